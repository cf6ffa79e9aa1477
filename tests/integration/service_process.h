// Starts a newsdesk server binary as a child process on a loopback port it
// picks itself (port 0, read back from --port_file), for integration tests.
#ifndef TESTS_INTEGRATION_SERVICE_PROCESS_H_
#define TESTS_INTEGRATION_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace newsdesk::testing {

class ServiceProcess {
 public:
  // Runs `binary` with `args` plus --port_file and, unless `args` has one,
  // --listen=127.0.0.1:0; returns once the port file appears. Output goes to
  // `log_path()`.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, std::vector<std::string> args, const std::string& work_dir,
      absl::Duration timeout = absl::Seconds(30));

  // Kills the process with SIGKILL if it still runs.
  ~ServiceProcess();

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  // Where the process's stdout and stderr go.
  const std::string& log_path() const { return log_path_; }

  // SIGKILL, then reap.
  void Kill();
  // SIGTERM, then wait up to `timeout`; returns the exit code, or an error
  // if the process did not exit in time (it is then killed).
  absl::StatusOr<int> Terminate(absl::Duration timeout = absl::Seconds(15));

 private:
  ServiceProcess(pid_t pid, int port, std::string log_path)
      : pid_(pid), port_(port), log_path_(std::move(log_path)) {}

  pid_t pid_;
  int port_;
  std::string log_path_;
  bool reaped_ = false;
};

// The last `lines` lines of the file at `path`, for failure messages.
std::string FileTail(const std::string& path, int lines = 40);

// Directory of the built programs: $NEWSDESK_BIN_DIR, or the directory of
// the running test binary.
std::string BinDir();

// Runs a shell command; its standard output and error, and its exit code in
// `code`.
std::string Shell(const std::string& command, int* code);

}  // namespace newsdesk::testing

#endif  // TESTS_INTEGRATION_SERVICE_PROCESS_H_
