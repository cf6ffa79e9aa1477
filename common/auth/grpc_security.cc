#include "common/auth/grpc_security.h"

#include <grpcpp/security/auth_metadata_processor.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/grpc/status_util.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::auth {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", flag, " ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Value(const grpc::string_ref& ref) { return std::string(ref.data(), ref.size()); }

// Checks each call before its handler runs.
class AuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  explicit AuthProcessor(const Authenticator* authenticator) : authenticator_(authenticator) {}

  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* /*response_metadata*/) override {
    Credentials credentials;
    std::string method;
    if (auto it = auth_metadata.find(":path"); it != auth_metadata.end()) method = Value(it->second);
    if (auto it = auth_metadata.find("authorization"); it != auth_metadata.end()) {
      credentials.authorization = Value(it->second);
      consumed_auth_metadata->emplace("authorization", credentials.authorization);
    }
    if (context->IsPeerAuthenticated()) {
      for (const char* property : {"x509_common_name", "x509_subject_alternative_name"}) {
        for (const grpc::string_ref& name : context->FindPropertyValues(property)) {
          credentials.certificate_names.push_back(Value(name));
        }
      }
    }
    const absl::Status status = authenticator_->Check(method, credentials);
    if (!status.ok()) {
      VLOG(1) << "refused " << method << ": " << status;
      const grpc::Status refused = ToGrpcStatus(status);
      // The processor's status carries a code and message only.
      return grpc::Status(refused.error_code(), refused.error_message());
    }
    return grpc::Status::OK;
  }

 private:
  const Authenticator* const authenticator_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ServerSecurity>> ServerSecurity::Create(
    const ServerSecurityOptions& options) {
  std::unique_ptr<ServerSecurity> security(new ServerSecurity());
  const bool has_auth = !options.auth.tokens_file.empty() || !options.auth.tokens_text.empty();
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("give both --tls_cert and --tls_key, or neither");
  }
  const bool tls = !options.tls_cert.empty();
  if (!options.tls_client_ca.empty() && !tls) {
    return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
  }
  if (options.dev_mode_no_auth) {
    if (has_auth) {
      return absl::InvalidArgumentError(
          "--dev_mode_no_auth turns authentication off: drop --auth_tokens_file and "
          "NEWSDESK_AUTH_TOKENS, or drop --dev_mode_no_auth");
    }
    LOG(WARNING) << "*** DEVELOPMENT MODE (--dev_mode_no_auth): AUTHENTICATION IS OFF. "
                    "Anyone who reaches this port may ingest, query, edit aliases and make "
                    "backups. Never run it like this outside a development machine. ***";
  } else {
    if (!tls) {
      return absl::FailedPreconditionError(
          "authentication is on and needs TLS: give --tls_cert and --tls_key (optionally "
          "--tls_client_ca for mutual TLS) and the principals in --auth_tokens_file or "
          "NEWSDESK_AUTH_TOKENS; or start with --dev_mode_no_auth for local development only");
    }
    if (!has_auth) {
      return absl::FailedPreconditionError(
          "authentication is on and no principals are given: give --auth_tokens_file or "
          "NEWSDESK_AUTH_TOKENS (lines \"<roles> sha256:<token hash>|cert:<name> <name>\"); "
          "or start with --dev_mode_no_auth for local development only");
    }
    ASSIGN_OR_RETURN(security->authenticator_, Authenticator::Create(options.auth));
  }
  if (!tls) {
    security->credentials_ = grpc::InsecureServerCredentials();
    return security;
  }
  TlsIdentity identity;
  ASSIGN_OR_RETURN(identity.cert_chain, ReadFile(options.tls_cert, "--tls_cert"));
  ASSIGN_OR_RETURN(identity.private_key, ReadFile(options.tls_key, "--tls_key"));
  if (!options.tls_client_ca.empty()) {
    ASSIGN_OR_RETURN(identity.client_ca, ReadFile(options.tls_client_ca, "--tls_client_ca"));
  }
  grpc::SslServerCredentialsOptions ssl(
      identity.client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                 : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = identity.client_ca;
  ssl.pem_key_cert_pairs.push_back({identity.private_key, identity.cert_chain});
  security->tls_identity_ = std::move(identity);
  security->credentials_ = grpc::SslServerCredentials(ssl);
  if (security->credentials_ == nullptr) {
    return absl::InvalidArgumentError("the TLS certificate or key cannot be used");
  }
  if (security->authenticator_ != nullptr) {
    security->credentials_->SetAuthMetadataProcessor(
        std::make_shared<AuthProcessor>(security->authenticator_.get()));
    if (!options.auth.tokens_file.empty() && options.auth_reload_interval > absl::ZeroDuration()) {
      security->reloader_ = std::thread(&ServerSecurity::ReloadTokens, security.get(),
                                        options.auth_reload_interval);
    }
  }
  return security;
}

ServerSecurity::~ServerSecurity() {
  stop_reloading_.Notify();
  if (reloader_.joinable()) reloader_.join();
}

void ServerSecurity::ReloadTokens(absl::Duration interval) {
  while (!stop_reloading_.WaitForNotificationWithTimeout(interval)) {
    const absl::StatusOr<bool> reloaded = authenticator_->Reload();
    if (!reloaded.ok()) {
      LOG(ERROR) << "the auth tokens file was not reloaded; the principals read before stay "
                    "in force: "
                 << reloaded.status().message();
    } else if (*reloaded) {
      LOG(INFO) << "auth tokens file reloaded: " << authenticator_->principal_count()
                << " principals";
    }
  }
}

std::string ServerSecurity::Describe() const {
  const std::string tls = !tls_identity_.has_value()            ? "plaintext"
                          : tls_identity_->client_ca.empty() ? "TLS"
                                                             : "mutual TLS";
  if (authenticator_ == nullptr) return absl::StrCat(tls, ", authentication OFF (dev mode)");
  return absl::StrCat(tls, ", authentication on (", authenticator_->principal_count(),
                      " principals)");
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ClientSecurityOptions& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("give both --tls_cert and --tls_key, or neither");
  }
  if (options.tls_ca.empty()) {
    if (!options.token.empty()) {
      return absl::InvalidArgumentError(
          "a token is only sent over TLS: give --tls_ca (the CA of the server's certificate)");
    }
    if (!options.tls_cert.empty()) {
      return absl::InvalidArgumentError("a client certificate needs TLS: give --tls_ca");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFile(options.tls_ca, "--tls_ca"));
  if (!options.tls_cert.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_cert_chain, ReadFile(options.tls_cert, "--tls_cert"));
    ASSIGN_OR_RETURN(ssl.pem_private_key, ReadFile(options.tls_key, "--tls_key"));
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::SslCredentials(ssl);
  if (!options.token.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(options.token));
  }
  return credentials;
}

absl::StatusOr<std::string> ReadToken(const std::string& token_file) {
  if (!token_file.empty()) {
    ASSIGN_OR_RETURN(std::string token, ReadFile(token_file, "--token_file"));
    return std::string(absl::StripAsciiWhitespace(token));
  }
  const char* env = std::getenv("NEWSDESK_TOKEN");
  return std::string(absl::StripAsciiWhitespace(env == nullptr ? "" : env));
}

}  // namespace newsdesk::auth
