// newsdesk-health-probe: exits 0 when a gRPC server reports SERVING on
// grpc.health.v1 for a service name, 1 otherwise. Container images use it as
// their HEALTHCHECK, and Kubernetes its exec probes (native gRPC probes
// cannot speak TLS). Health is open: no token is needed, but a server with
// mutual TLS wants a client certificate.
//   newsdesk-health-probe --address=127.0.0.1:50052 --service=liveness
//       --tls_ca=/etc/newsdesk/tls/ca.crt --tls_server_name=newsdesk-query
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "common/auth/grpc_security.h"
#include "common/grpc/health_client.h"
#include "common/server/server_util.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051", "host:port of the server");
ABSL_FLAG(std::string, service, "",
          "service name to check: empty for the whole server (SERVING once ready), "
          "liveness for the process alone");
ABSL_FLAG(int, timeout_ms, 2000, "how long the check may take");
ABSL_FLAG(std::string, tls_ca, newsdesk::EnvOr("NEWSDESK_TLS_CA", ""),
          "PEM file of the CA of the server's certificate: TLS [env NEWSDESK_TLS_CA]");
ABSL_FLAG(std::string, tls_cert, newsdesk::EnvOr("NEWSDESK_TLS_CLIENT_CERT", ""),
          "client certificate for mutual TLS [env NEWSDESK_TLS_CLIENT_CERT]");
ABSL_FLAG(std::string, tls_key, newsdesk::EnvOr("NEWSDESK_TLS_CLIENT_KEY", ""),
          "its key [env NEWSDESK_TLS_CLIENT_KEY]");
ABSL_FLAG(std::string, tls_server_name, newsdesk::EnvOr("NEWSDESK_TLS_SERVER_NAME", ""),
          "the name the server's certificate must carry, when it is not the address's "
          "host (probing 127.0.0.1) [env NEWSDESK_TLS_SERVER_NAME]");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("checks grpc.health.v1 of a newsdesk service");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      newsdesk::auth::MakeChannelCredentials({absl::GetFlag(FLAGS_tls_ca),
                                              absl::GetFlag(FLAGS_tls_cert),
                                              absl::GetFlag(FLAGS_tls_key), ""});
  if (!credentials.ok()) {
    std::cerr << credentials.status().message() << "\n";
    return EXIT_FAILURE;
  }
  grpc::ChannelArguments arguments;
  if (!absl::GetFlag(FLAGS_tls_server_name).empty()) {
    arguments.SetSslTargetNameOverride(absl::GetFlag(FLAGS_tls_server_name));
  }
  absl::StatusOr<bool> serving = newsdesk::CheckServing(
      grpc::CreateCustomChannel(absl::GetFlag(FLAGS_address), *credentials, arguments),
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
