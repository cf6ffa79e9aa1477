// newsdesk-health-probe: exits 0 when a gRPC server reports SERVING on
// grpc.health.v1 for a service name, 1 otherwise. Container images use it as
// their HEALTHCHECK; Kubernetes uses its native gRPC probes instead.
//   newsdesk-health-probe --address=127.0.0.1:50052 --service=liveness
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "common/grpc/health_client.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051", "host:port of the server");
ABSL_FLAG(std::string, service, "",
          "service name to check: empty for the whole server (SERVING once ready), "
          "liveness for the process alone");
ABSL_FLAG(int, timeout_ms, 2000, "how long the check may take");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("checks grpc.health.v1 of a newsdesk service");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<bool> serving = newsdesk::CheckServing(
      grpc::CreateChannel(absl::GetFlag(FLAGS_address),
                          grpc::InsecureChannelCredentials()),
      absl::GetFlag(FLAGS_service), absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  if (!serving.ok()) {
    std::cerr << absl::GetFlag(FLAGS_address) << ": " << serving.status().message()
              << "\n";
    return EXIT_FAILURE;
  }
  if (!*serving) {
    std::cerr << absl::GetFlag(FLAGS_address) << ": not serving\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
