// TLS and authentication for gRPC, both sides, over the Authenticator core.
//
// Server: ServerSecurity turns ServerSecurityOptions into the credentials of
// a listening port. With authentication on (the default) it needs TLS (a
// bearer token is never accepted in plaintext) and installs an
// AuthMetadataProcessor that checks every call against the role table before
// any handler runs: UNAUTHENTICATED without known credentials,
// PERMISSION_DENIED without the role (messages from Authenticator::Check,
// codes through ToGrpcStatus). Mutual TLS (tls_client_ca) requires a client
// certificate signed by that CA; its names may identify the principal.
// Without any configuration it refuses to start; dev_mode_no_auth turns
// authentication off and says so loudly in the log.
//
// Client: MakeChannelCredentials for the CLI, the query service's log link
// and tools: TLS with a CA (and a client certificate for mutual TLS), and the
// bearer token as call credentials (refused over plaintext).
#ifndef COMMON_AUTH_GRPC_SECURITY_H_
#define COMMON_AUTH_GRPC_SECURITY_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"

namespace newsdesk::auth {

struct ServerSecurityOptions {
  // PEM files of the server's certificate (chain) and private key for the
  // gRPC port; both or neither. Without them the port is plaintext (dev mode
  // only).
  std::string tls_cert;
  std::string tls_key;
  // PEM file of the CA that signs client certificates: mutual TLS, every
  // client must present a certificate it signed. Empty: not required.
  std::string tls_client_ca;
  // Where principals come from (tokens file, NEWSDESK_AUTH_TOKENS).
  AuthenticatorOptions auth;
  // How often the tokens file is read again (a changed file takes effect,
  // a broken one is logged and ignored); zero: never.
  absl::Duration auth_reload_interval = absl::Seconds(10);
  // Local development only: no authentication, plaintext allowed.
  bool dev_mode_no_auth = false;
};

// A server's TLS identity as PEM text, for its other listeners (the HTTP
// port) to serve with the same certificate.
struct TlsIdentity {
  std::string cert_chain;
  std::string private_key;
  std::string client_ca;  // empty without mutual TLS
};

class ServerSecurity {
 public:
  // Checks the options and reads the files. FAILED_PRECONDITION, naming the
  // flags to give, when authentication is on and TLS or principals are
  // missing.
  static absl::StatusOr<std::unique_ptr<ServerSecurity>> Create(
      const ServerSecurityOptions& options);

  // The credentials of the gRPC listening port (with the auth processor).
  std::shared_ptr<grpc::ServerCredentials> credentials() const { return credentials_; }
  // Null in dev mode. Used by the REST door, which calls over the in-process
  // channel and so is not seen by the processor.
  const Authenticator* authenticator() const { return authenticator_.get(); }
  // The TLS identity; unset for a plaintext (dev mode) server.
  const std::optional<TlsIdentity>& tls_identity() const { return tls_identity_; }
  // How the server is secured, for the start-up log line.
  std::string Describe() const;

 ~ServerSecurity();  // Stops the reloading of the tokens file.

 private:
  ServerSecurity() = default;
  // Reloads the tokens file every `interval` until stopped.
  void ReloadTokens(absl::Duration interval);

  std::unique_ptr<Authenticator> authenticator_;
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  std::optional<TlsIdentity> tls_identity_;
  absl::Notification stop_reloading_;
  std::thread reloader_;
};

struct ClientSecurityOptions {
  // PEM file of the CA that signed the server's certificate: TLS. Empty:
  // plaintext.
  std::string tls_ca;
  // PEM files of a client certificate and key, for mutual TLS.
  std::string tls_cert;
  std::string tls_key;
  // A bearer token sent with every call (needs TLS); empty: none.
  std::string token;
};

// Channel credentials for `options`; INVALID_ARGUMENT for a token without
// TLS or half a client certificate, FAILED_PRECONDITION for unreadable files.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ClientSecurityOptions& options);

// The bearer token in `token_file` (surrounding white space removed), or
// else in the environment variable NEWSDESK_TOKEN; empty when neither is set.
absl::StatusOr<std::string> ReadToken(const std::string& token_file);

}  // namespace newsdesk::auth

#endif  // COMMON_AUTH_GRPC_SECURITY_H_
