#include "tests/integration/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace newsdesk::testing {

std::string BinDir() {
  if (const char* dir = std::getenv("NEWSDESK_BIN_DIR")) return dir;
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
}

std::string Shell(const std::string& command, int* code) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
  *code = pclose(pipe);
  return out;
}

std::string FileTail(const std::string& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(std::move(line));
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out = absl::StrCat("--- last lines of ", path, " ---\n");
  for (const std::string& line : tail) absl::StrAppend(&out, line, "\n");
  return out;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const std::string& binary, std::vector<std::string> args, const std::string& work_dir,
    absl::Duration timeout) {
  static std::atomic<int> counter{0};
  const std::string name = std::filesystem::path(binary).filename().string();
  const std::string stem = absl::StrCat(work_dir, "/", name, "-", counter++);
  const std::string port_file = stem + ".port";
  const std::string log_file = stem + ".log";
  std::filesystem::remove(port_file);
  bool has_listen = false;
  for (const std::string& a : args) has_listen |= absl::StartsWith(a, "--listen=");
  if (!has_listen) args.push_back("--listen=127.0.0.1:0");
  args.push_back("--port_file=" + port_file);

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::ifstream in(port_file);
    int port = 0;
    std::string line;
    if (in && std::getline(in, line) && absl::SimpleAtoi(line, &port) && port > 0) {
      return std::unique_ptr<ServiceProcess>(new ServiceProcess(pid, port, log_file));
    }
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return absl::InternalError(absl::StrCat(name, " exited before serving; see ", log_file));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return absl::DeadlineExceededError(absl::StrCat(name, " did not start; see ", log_file));
}

ServiceProcess::~ServiceProcess() { Kill(); }

void ServiceProcess::Kill() {
  if (reaped_) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  reaped_ = true;
}

absl::StatusOr<int> ServiceProcess::Terminate(absl::Duration timeout) {
  if (reaped_) return absl::FailedPreconditionError("process already ended");
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill();
  return absl::DeadlineExceededError("process did not exit after SIGTERM");
}

}  // namespace newsdesk::testing
