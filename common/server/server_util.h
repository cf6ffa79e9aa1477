// Small pieces every newsdesk server binary needs: flag defaults from the
// environment, the port file that tells tests and scripts which port was
// bound, and waiting for SIGTERM or SIGINT.
#ifndef COMMON_SERVER_SERVER_UTIL_H_
#define COMMON_SERVER_SERVER_UTIL_H_

#include <string>

#include "absl/status/status.h"

namespace newsdesk {

// The value of environment variable `name`, or `fallback` when it is unset.
std::string EnvOr(const char* name, const std::string& fallback);
int EnvOr(const char* name, int fallback);
// "true"/"false", "1"/"0", "yes"/"no"; `fallback` when unset or unreadable.
bool EnvBoolOr(const char* name, bool fallback);

// Writes `port` and a newline to `path` atomically (write then rename), so a
// reader never sees a partial file. Does nothing when `path` is empty.
absl::Status WritePortFile(const std::string& path, int port);

// Turns off absl::Mutex's deadlock detection, which Debian's Abseil (built
// without NDEBUG) runs on every Lock() of every mutex, gRPC's included, under
// one process-wide lock. Servers call it first thing in main(); tests keep it.
void TurnOffMutexDeadlockDetection();

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later. Call first thing in main().
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace newsdesk

#endif  // COMMON_SERVER_SERVER_UTIL_H_
