// Helpers of the cluster tests (JetStream log): the newsdesk processes of a
// cluster (ingest and query replicas, each on a node: loopback, or a
// network namespace of its own), a client load that retries failed ingests
// on the other ingest replica, and readers of a query replica's log.
#ifndef TESTS_INTEGRATION_JETSTREAM_CLUSTER_H_
#define TESTS_INTEGRATION_JETSTREAM_CLUSTER_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tests/integration/service_process.h"

namespace newsdesk::testing {

// Where a service runs: the address it listens on, and a command prefix
// that starts it there (empty for loopback).
struct ServiceNode {
  std::string host = "127.0.0.1";
  std::vector<std::string> prefix;
};

// A distinct, valid article for every n.
std::string ClusterArticleText(int n);

// Ingest and query replicas with --log_backend=jetstream. Each keeps its
// port and data directory across restarts.
class ClusterReplicas {
 public:
  ClusterReplicas(std::string work_dir, std::string nats_urls,
                  std::vector<ServiceNode> ingest, std::vector<ServiceNode> query);

  // Retries for a while: the first ingest replica creates the R3 stream,
  // which fails until the NATS cluster has elected its leader.
  absl::Status StartIngest(int i);
  absl::Status StartQuery(int i);
  void KillIngest(int i) { ingest_[i].process->Kill(); }
  void KillQuery(int i) { query_[i].process->Kill(); }

  std::string ingest_address(int i) const;
  std::string query_address(int i) const;
  // The end of query replica i's log, for failure messages.
  std::string query_log_tail(int i) const;
  int ingest_count() const { return static_cast<int>(ingest_.size()); }

 private:
  struct Replica {
    ServiceNode node;
    int port = 0;
    std::unique_ptr<ServiceProcess> process;
  };
  absl::StatusOr<std::unique_ptr<ServiceProcess>> Launch(const Replica& replica,
                                                         const std::string& binary,
                                                         std::vector<std::string> flags);

  std::string work_dir_;
  std::string nats_urls_;
  std::vector<Replica> ingest_;
  std::vector<Replica> query_;
};

// Ingests ClusterArticleText(0, 1, 2, ...) from several threads; a call
// that fails is retried on the next ingest replica until acknowledged.
class ClusterLoad {
 public:
  explicit ClusterLoad(ClusterReplicas* replicas) : replicas_(replicas) {}
  ~ClusterLoad() { Stop(); }

  void Start(int threads);
  // Starts no new article and retries the ones in progress until they are
  // acknowledged (a careful client), for at most a minute.
  void Stop();
  // Waits until `count` more articles are acknowledged; a test failure when
  // ingest stalls for a minute.
  void WaitForMore(int64_t count);

  int64_t ack_count();
  // id -> the log sequence its acknowledgement gave.
  std::map<std::string, int64_t> acked();
  int attempted() const { return next_; }
  int failed_calls() const { return failed_calls_; }

 private:
  void Run(int replica);

  ClusterReplicas* replicas_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> give_up_{false};
  std::atomic<int> next_{0};
  std::atomic<int> failed_calls_{0};
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::map<std::string, int64_t> acked_ ABSL_GUARDED_BY(mu_);
};

// Every article of a query replica, log sequence -> id; an error when a
// sequence comes twice.
absl::StatusOr<std::map<int64_t, std::string>> AllArticlesBySequence(
    const std::string& address);

// Waits until the replica reports SERVING and holds `count` articles, for
// at most `timeout` (a NATS cluster restarted as a whole elects its leaders
// again first, which takes long on a loaded machine).
absl::Status WaitForArticleCount(const std::string& address, int64_t count,
                                 absl::Duration timeout = absl::Seconds(120));

}  // namespace newsdesk::testing

#endif  // TESTS_INTEGRATION_JETSTREAM_CLUSTER_H_
