#include "common/server/security_flags.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "common/server/server_util.h"

ABSL_FLAG(std::string, tls_cert, newsdesk::EnvOr("NEWSDESK_TLS_CERT", ""),
          "PEM file of the server certificate (chain) for the gRPC port; with --tls_key "
          "[env NEWSDESK_TLS_CERT]");
ABSL_FLAG(std::string, tls_key, newsdesk::EnvOr("NEWSDESK_TLS_KEY", ""),
          "PEM file of the server's private key [env NEWSDESK_TLS_KEY]");
ABSL_FLAG(std::string, tls_client_ca, newsdesk::EnvOr("NEWSDESK_TLS_CLIENT_CA", ""),
          "PEM file of the CA of client certificates: mutual TLS, gRPC clients must present "
          "a certificate it signed [env NEWSDESK_TLS_CLIENT_CA]");
ABSL_FLAG(std::string, auth_tokens_file, newsdesk::EnvOr("NEWSDESK_AUTH_TOKENS_FILE", ""),
          "principals, one a line: \"<roles> sha256:<token hash>|cert:<name> <name>\", roles "
          "read, write, replica, admin (docs/DEPLOY.md); lines may also come from "
          "NEWSDESK_AUTH_TOKENS [env NEWSDESK_AUTH_TOKENS_FILE]");
ABSL_FLAG(int, auth_reload_seconds, newsdesk::EnvOr("NEWSDESK_AUTH_RELOAD_SECONDS", 10),
          "how often --auth_tokens_file is read again: a changed file takes effect (a removed "
          "token is refused from then on), a broken one is logged and the principals read "
          "before stay; 0: never [env NEWSDESK_AUTH_RELOAD_SECONDS]");
ABSL_FLAG(bool, dev_mode_no_auth, newsdesk::EnvOr("NEWSDESK_DEV_MODE_NO_AUTH", 0) != 0,
          "local development only: no authentication, plaintext allowed; without it the "
          "service needs --tls_cert, --tls_key and --auth_tokens_file "
          "[env NEWSDESK_DEV_MODE_NO_AUTH=1]");

namespace newsdesk {

auth::ServerSecurityOptions ServerSecurityOptionsFromFlags() {
  auth::ServerSecurityOptions options;
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  options.auth.tokens_file = absl::GetFlag(FLAGS_auth_tokens_file);
  options.auth.tokens_text = EnvOr("NEWSDESK_AUTH_TOKENS", "");
  options.auth_reload_interval = absl::Seconds(std::max(0, absl::GetFlag(FLAGS_auth_reload_seconds)));
  options.dev_mode_no_auth = absl::GetFlag(FLAGS_dev_mode_no_auth);
  return options;
}

}  // namespace newsdesk
