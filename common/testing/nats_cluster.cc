#include "common/testing/nats_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace newsdesk::testing {
namespace {

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

bool Connects(const std::string& host, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    close(fd);
    return false;
  }
  const bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::string NatsServerBinary() {
  if (const char* env = std::getenv("NEWSDESK_NATS_SERVER");
      env != nullptr && *env != '\0') {
    return IsExecutable(env) ? env : "";
  }
  if (IsExecutable("/usr/sbin/nats-server")) return "/usr/sbin/nats-server";
  if (const char* path = std::getenv("PATH")) {
    for (absl::string_view dir : absl::StrSplit(path, ':')) {
      const std::string candidate = absl::StrCat(dir, "/nats-server");
      if (IsExecutable(candidate)) return candidate;
    }
  }
  return "";
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

NatsCluster::NatsCluster(std::string work_dir, int size)
    : NatsCluster(std::move(work_dir), std::vector<NatsNode>(size)) {}

NatsCluster::NatsCluster(std::string work_dir, std::vector<NatsNode> nodes)
    : work_dir_(std::move(work_dir)) {
  std::filesystem::create_directories(work_dir_);
  const int size = static_cast<int>(nodes.size());
  servers_.resize(size);
  for (int i = 0; i < size; ++i) {
    const bool loopback = nodes[i].host == "127.0.0.1";
    servers_[i].node = std::move(nodes[i]);
    servers_[i].client_port = loopback ? FreeLoopbackPort() : 4222;
    servers_[i].cluster_port = size == 1 ? 0 : loopback ? FreeLoopbackPort() : 6222;
    servers_[i].store_dir = absl::StrCat(work_dir_, "/nats-", i);
    servers_[i].log_file = absl::StrCat(work_dir_, "/nats-", i, ".log");
  }
}

NatsCluster::~NatsCluster() {
  for (int i = 0; i < size(); ++i) {
    Resume(i);
    Kill(i);
  }
  // A failed test's stores and logs stay for the post-mortem.
  if (!::testing::Test::HasFailure() &&
      ::testing::UnitTest::GetInstance()->failed_test_count() == 0) {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir_, ignored);
  }
}

std::string NatsCluster::url(int i) const {
  return absl::StrCat("nats://", servers_[i].node.host, ":", servers_[i].client_port);
}

std::string NatsCluster::urls() const {
  std::vector<std::string> all;
  for (int i = 0; i < size(); ++i) all.push_back(url(i));
  return absl::StrJoin(all, ",");
}

absl::Status NatsCluster::Start() {
  for (int i = 0; i < size(); ++i) {
    if (absl::Status s = StartServer(i); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status NatsCluster::StartServer(int i) {
  const std::string binary = NatsServerBinary();
  if (binary.empty())
    return absl::FailedPreconditionError("nats-server is not installed");
  Server& server = servers_[i];
  if (server.pid > 0) return absl::FailedPreconditionError("server already running");
  std::vector<std::string> args = server.node.prefix;
  args.insert(args.end(),
              {binary, "--jetstream", "--store_dir", server.store_dir, "--addr",
               server.node.host, "--port", std::to_string(server.client_port),
               "--server_name", absl::StrCat("n", i)});
  if (size() > 1) {
    std::vector<std::string> routes;
    for (int j = 0; j < size(); ++j) {
      if (j != i) {
        routes.push_back(absl::StrCat("nats://", servers_[j].node.host, ":",
                                      servers_[j].cluster_port));
      }
    }
    args.insert(args.end(),
                {"--cluster_name", "newsdesk-test", "--cluster",
                 absl::StrCat("nats://", server.node.host, ":", server.cluster_port),
                 "--routes", absl::StrJoin(routes, ",")});
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int fd = open(server.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  server.pid = pid;
  return WaitAccepting(i, absl::Seconds(20));
}

absl::Status NatsCluster::WaitAccepting(int i, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (Connects(servers_[i].node.host, servers_[i].client_port)) return absl::OkStatus();
    int status;
    if (waitpid(servers_[i].pid, &status, WNOHANG) == servers_[i].pid) {
      servers_[i].pid = 0;
      return absl::InternalError(
          absl::StrCat("nats-server ", i, " exited; see ", servers_[i].log_file));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("nats-server ", i, " did not start; see ", servers_[i].log_file));
}

void NatsCluster::Kill(int i) {
  Server& server = servers_[i];
  if (server.pid <= 0) return;
  kill(server.pid, SIGKILL);
  waitpid(server.pid, nullptr, 0);
  server.pid = 0;
}

void NatsCluster::Stop(int i) {
  Server& server = servers_[i];
  if (server.pid <= 0) return;
  kill(server.pid, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (waitpid(server.pid, nullptr, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(server.pid, SIGKILL);
      waitpid(server.pid, nullptr, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  server.pid = 0;
}

void NatsCluster::Pause(int i) {
  if (servers_[i].pid > 0) kill(servers_[i].pid, SIGSTOP);
}

void NatsCluster::Resume(int i) {
  if (servers_[i].pid > 0) kill(servers_[i].pid, SIGCONT);
}

}  // namespace newsdesk::testing
