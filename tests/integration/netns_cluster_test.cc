// The cluster on several hosts, made of Linux network namespaces: each
// NATS server, ingest replica and query replica runs in a namespace of its
// own with its own address, all joined by veth links to a bridge in a hub
// namespace; the test itself runs in a client namespace. Everything is made
// and torn down by the test, and nothing touches the host's own network.
//
// While clients ingest through both ingest replicas, one NATS server, one
// ingest replica and one query replica are killed with SIGKILL and started
// again, then one NATS server and one query replica are cut off the network
// for a while. After recovery every acknowledged article is on both query
// replicas exactly once, at the log position its acknowledgement gave, the
// replicas hold the same log, and nothing unacknowledged appears.
//
// Needs root and `ip netns` (iproute2); skips otherwise. A separate program,
// because it moves its own process into the client namespace. Longer run:
//   NEWSDESK_CLUSTER_ROUNDS=20 build/bin/netns_cluster_test
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/testing/nats_cluster.h"
#include "gtest/gtest.h"
#include "tests/integration/jetstream_cluster.h"

namespace newsdesk::testing {
namespace {

std::string IpBinary() {
  for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// Runs a command, quietly; OK when it exits 0.
absl::Status Run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("failed: ", absl::StrJoin(args, " ")));
}

// Network namespaces named "<prefix>-<node>" around a hub namespace with a
// bridge; deleted again on destruction.
class Namespaces {
 public:
  explicit Namespaces(std::string prefix) : ip_(IpBinary()), prefix_(std::move(prefix)) {}
  ~Namespaces() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
      Run({ip_, "netns", "del", *it}).IgnoreError();
    }
  }

  absl::Status MakeHub() {
    const std::string hub = Name("hub");
    if (absl::Status s = Run({ip_, "netns", "add", hub}); !s.ok()) return s;
    made_.push_back(hub);
    for (std::vector<std::string> command :
         {std::vector<std::string>{ip_, "-n", hub, "link", "add", "br0", "type",
                                   "bridge"},
          {ip_, "-n", hub, "link", "set", "br0", "up"},
          {ip_, "-n", hub, "link", "set", "lo", "up"}}) {
      if (absl::Status s = Run(command); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // A namespace for `node` with address `address`/24 on its eth0, linked to
  // the hub's bridge through the hub's interface "v-<node>".
  absl::Status AddNode(const std::string& node, const std::string& address) {
    const std::string ns = Name(node);
    const std::string hub = Name("hub");
    if (absl::Status s = Run({ip_, "netns", "add", ns}); !s.ok()) return s;
    made_.push_back(ns);
    for (std::vector<std::string> command :
         {std::vector<std::string>{ip_, "-n", hub, "link", "add", "v-" + node, "type",
                                   "veth", "peer", "name", "eth0", "netns", ns},
          {ip_, "-n", hub, "link", "set", "v-" + node, "master", "br0", "up"},
          {ip_, "-n", ns, "addr", "add", address + "/24", "dev", "eth0"},
          {ip_, "-n", ns, "link", "set", "eth0", "up"},
          {ip_, "-n", ns, "link", "set", "lo", "up"}}) {
      if (absl::Status s = Run(command); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Cuts a node off the network (its link at the hub goes down), or back.
  absl::Status Cut(const std::string& node) {
    return Run({ip_, "-n", Name("hub"), "link", "set", "v-" + node, "down"});
  }
  absl::Status Heal(const std::string& node) {
    return Run({ip_, "-n", Name("hub"), "link", "set", "v-" + node, "up"});
  }

  // The command prefix that runs a program in the node's namespace.
  std::vector<std::string> Prefix(const std::string& node) const {
    return {ip_, "netns", "exec", Name(node)};
  }

  // Moves the calling thread (and the threads it starts later) into the
  // node's namespace.
  absl::Status Enter(const std::string& node) {
    const int fd = open(absl::StrCat("/var/run/netns/", Name(node)).c_str(), O_RDONLY);
    if (fd < 0) return absl::InternalError("cannot open the namespace");
    const int result = setns(fd, CLONE_NEWNET);
    close(fd);
    return result == 0 ? absl::OkStatus() : absl::InternalError("setns failed");
  }

 private:
  std::string Name(const std::string& node) const {
    return absl::StrCat(prefix_, "-", node);
  }

  std::string ip_;
  std::string prefix_;
  std::vector<std::string> made_;
};

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

TEST(NetnsClusterTest, KillNineAndNetworkCutsLoseNothingAndDuplicateNothing) {
  if (getuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
  if (IpBinary().empty()) GTEST_SKIP() << "iproute2 (ip) is not installed";
  if (NatsServerBinary().empty()) GTEST_SKIP() << "nats-server is not installed";
  Namespaces namespaces(absl::StrCat("nd", getpid()));
  if (!namespaces.MakeHub().ok()) GTEST_SKIP() << "cannot make network namespaces here";

  const std::vector<std::pair<std::string, std::string>> nodes = {
      {"nats0", "10.77.0.1"},    {"nats1", "10.77.0.2"},    {"nats2", "10.77.0.3"},
      {"ingest0", "10.77.0.11"}, {"ingest1", "10.77.0.12"}, {"query0", "10.77.0.21"},
      {"query1", "10.77.0.22"},  {"client", "10.77.0.100"}};
  for (const auto& [node, address] : nodes) {
    ASSERT_TRUE(namespaces.AddNode(node, address).ok()) << node;
  }
  ASSERT_TRUE(namespaces.Enter("client").ok());

  const std::string work_dir =
      absl::StrCat(::testing::TempDir(), "/netns_cluster-", getpid());
  std::filesystem::remove_all(work_dir);
  std::vector<NatsNode> nats_nodes;
  for (int i = 0; i < 3; ++i) {
    nats_nodes.push_back(NatsNode{nodes[i].second, namespaces.Prefix(nodes[i].first)});
  }
  NatsCluster nats(work_dir + "/nats", nats_nodes);
  ASSERT_TRUE(nats.Start().ok());
  auto node = [&](int i) {
    return ServiceNode{nodes[i].second, namespaces.Prefix(nodes[i].first)};
  };
  ClusterReplicas replicas(work_dir, nats.urls(), {node(3), node(4)}, {node(5), node(6)});
  ASSERT_TRUE(replicas.StartIngest(0).ok());
  ASSERT_TRUE(replicas.StartIngest(1).ok());
  ASSERT_TRUE(replicas.StartQuery(0).ok());
  ASSERT_TRUE(replicas.StartQuery(1).ok());

  ClusterLoad load(&replicas);
  load.Start(4);
  load.WaitForMore(30);
  const int rounds = EnvInt("NEWSDESK_CLUSTER_ROUNDS", 1);
  for (int round = 0; round < rounds && !::testing::Test::HasFailure(); ++round) {
    const int server = round % 3;
    std::cout << "round " << round << ": kill -9 NATS server " << server << std::endl;
    nats.Kill(server);
    load.WaitForMore(30);
    ASSERT_TRUE(nats.StartServer(server).ok());

    std::cout << "round " << round << ": kill -9 ingest and query replica" << std::endl;
    replicas.KillIngest(round % 2);
    replicas.KillQuery(round % 2);
    load.WaitForMore(30);
    ASSERT_TRUE(replicas.StartIngest(round % 2).ok());
    ASSERT_TRUE(replicas.StartQuery(round % 2).ok());
    load.WaitForMore(20);

    const std::string cut_server = nodes[(server + 1) % 3].first;
    const std::string cut_query = nodes[5 + (round + 1) % 2].first;
    std::cout << "round " << round << ": " << cut_server << " and " << cut_query
              << " cut off the network" << std::endl;
    ASSERT_TRUE(namespaces.Cut(cut_server).ok());
    ASSERT_TRUE(namespaces.Cut(cut_query).ok());
    load.WaitForMore(20);  // two of three NATS servers still take writes
    absl::SleepFor(absl::Seconds(2));
    ASSERT_TRUE(namespaces.Heal(cut_server).ok());
    ASSERT_TRUE(namespaces.Heal(cut_query).ok());
    load.WaitForMore(20);
  }
  load.Stop();
  const std::map<std::string, int64_t> acked = load.acked();
  std::cout << acked.size() << " articles acknowledged, " << load.failed_calls()
            << " failed calls retried" << std::endl;

  std::map<int64_t, std::string> first;
  for (int q = 0; q < 2; ++q) {
    ASSERT_TRUE(WaitForArticleCount(replicas.query_address(q), acked.size()).ok())
        << "query " << q;
    auto all = AllArticlesBySequence(replicas.query_address(q));
    ASSERT_TRUE(all.ok()) << all.status();
    std::set<std::string> ids;
    for (const auto& [sequence, id] : *all) {
      EXPECT_TRUE(ids.insert(id).second) << "query " << q << ": " << id << " twice";
    }
    EXPECT_EQ(all->size(), acked.size()) << "query " << q;
    std::map<std::string, int64_t> where;  // id -> sequence on this replica
    for (const auto& [sequence, id] : *all) where[id] = sequence;
    int misplaced = 0;
    for (const auto& [id, sequence] : acked) {
      auto it = where.find(id);
      if (it != where.end() && it->second == sequence) continue;
      if (++misplaced <= 5) {
        ADD_FAILURE() << "query " << q << ": " << id << " acknowledged at sequence "
                      << sequence << " but found at "
                      << (it == where.end() ? std::string("none")
                                            : std::to_string(it->second));
      }
    }
    EXPECT_EQ(misplaced, 0) << "query " << q;
    if (q == 0) {
      first = *all;
    } else {
      EXPECT_TRUE(*all == first) << "the replicas differ";
    }
  }
}

}  // namespace
}  // namespace newsdesk::testing
