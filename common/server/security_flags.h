// The security flags both services share (TLS of every listener and
// authentication), each with its environment variable:
//   --tls_cert, --tls_key        [NEWSDESK_TLS_CERT, NEWSDESK_TLS_KEY]
//   --tls_client_ca              [NEWSDESK_TLS_CLIENT_CA]  mutual TLS
//   --auth_tokens_file           [NEWSDESK_AUTH_TOKENS_FILE]
//   --auth_reload_seconds        [NEWSDESK_AUTH_RELOAD_SECONDS]
//   NEWSDESK_AUTH_TOKENS         principal lines in the environment
//   --dev_mode_no_auth           [NEWSDESK_DEV_MODE_NO_AUTH=1]
// Link this library only into a service's main.
#ifndef COMMON_SERVER_SECURITY_FLAGS_H_
#define COMMON_SERVER_SECURITY_FLAGS_H_

#include "common/auth/grpc_security.h"

namespace newsdesk {

// The options the flags (and environment) give.
auth::ServerSecurityOptions ServerSecurityOptionsFromFlags();

}  // namespace newsdesk

#endif  // COMMON_SERVER_SECURITY_FLAGS_H_
