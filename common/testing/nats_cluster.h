// Real nats-server processes with JetStream for tests: one server, or a
// cluster of several joined by routes, each on free loopback ports with its
// own store directory under a test's work directory (removed with the
// cluster unless the test failed). A server can be killed
// (SIGKILL) and started again on the same ports and directory.
#ifndef COMMON_TESTING_NATS_CLUSTER_H_
#define COMMON_TESTING_NATS_CLUSTER_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace newsdesk::testing {

// The nats-server program: $NEWSDESK_NATS_SERVER, /usr/sbin/nats-server or
// the one on PATH; empty when there is none (tests then skip).
std::string NatsServerBinary();

// A loopback TCP port that was free when asked.
int FreeLoopbackPort();

// Where one server runs: its address, and a command prefix that starts it
// elsewhere (e.g. {"/usr/sbin/ip", "netns", "exec", "ns1"} for a network
// namespace). On loopback, ports are picked free; on an address of its own,
// a server uses NATS' standard ports 4222 (clients) and 6222 (routes).
struct NatsNode {
  std::string host = "127.0.0.1";
  std::vector<std::string> prefix;
};

class NatsCluster {
 public:
  // `size` servers on loopback (1: no clustering). Nothing runs until
  // Start().
  NatsCluster(std::string work_dir, int size);
  // One server per node.
  NatsCluster(std::string work_dir, std::vector<NatsNode> nodes);
  // Kills every server still running and, unless the current test has
  // failed, removes `work_dir`.
  ~NatsCluster();

  // Starts every server and waits until each takes client connections.
  absl::Status Start();
  // Starts server `i` again (after Kill) on its ports and store.
  absl::Status StartServer(int i);
  // SIGKILL, then reap.
  void Kill(int i);
  // SIGTERM (nats-server's clean shutdown), then reap; SIGKILL after 30 s.
  void Stop(int i);
  // SIGSTOP / SIGCONT: the server stays up but stops answering.
  void Pause(int i);
  void Resume(int i);

  int size() const { return static_cast<int>(servers_.size()); }
  bool running(int i) const { return servers_[i].pid > 0; }
  // "nats://127.0.0.1:port" of server i, and of all as a comma list.
  std::string url(int i) const;
  std::string urls() const;

 private:
  struct Server {
    NatsNode node;
    int client_port = 0;
    int cluster_port = 0;
    pid_t pid = 0;
    std::string store_dir;
    std::string log_file;
  };

  absl::Status WaitAccepting(int i, absl::Duration timeout);

  std::string work_dir_;
  std::vector<Server> servers_;
};

}  // namespace newsdesk::testing

#endif  // COMMON_TESTING_NATS_CLUSTER_H_
