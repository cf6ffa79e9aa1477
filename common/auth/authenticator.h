// Who a caller is and whether it may make a call. Knows no gRPC: the gRPC
// auth processor (common/auth/grpc_security.h) and the REST door hand it the
// method, the `authorization` value and the client certificate's names.
//
// Principals come from lines of text (a file, --auth_tokens_file, or the
// environment variable NEWSDESK_AUTH_TOKENS, whose lines may also be
// separated by ';'):
//
//   # roles            credential                   name
//   read               sha256:<64 hex digits>       web-frontend
//   write,read         sha256:<64 hex digits>       crawler-1
//   replica            cert:query.newsdesk.internal query-replica-1
//   admin,write,read   sha256:<64 hex digits>       ops
//
// A bearer token is stored only as the SHA-256 of its bytes
// (`printf %s "$TOKEN" | sha256sum`), so the file gives away no token; `cert:`
// names a client certificate by its subject common name or a subject
// alternative name (it needs mutual TLS). Roles are listed explicitly: admin
// does not imply write.
#ifndef COMMON_AUTH_AUTHENTICATOR_H_
#define COMMON_AUTH_AUTHENTICATOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/role_table.h"

namespace newsdesk::auth {

struct Principal {
  std::string name;
  absl::flat_hash_set<Role> roles;
};

// What a caller presented.
struct Credentials {
  // The `authorization` metadata or header ("Bearer <token>"); empty if none.
  std::string authorization;
  // The verified client certificate's common name and subject alternative
  // names; empty without mutual TLS.
  std::vector<std::string> certificate_names;
};

struct AuthenticatorOptions {
  // A principals file; empty: none.
  std::string tokens_file;
  // Principal lines (from NEWSDESK_AUTH_TOKENS); empty: none.
  std::string tokens_text;
};

class Authenticator {
 public:
  // Reads the principals of `options`. INVALID_ARGUMENT names the line at
  // fault; FAILED_PRECONDITION when the file cannot be read or no principal
  // is given at all.
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(
      const AuthenticatorOptions& options);

  // Reads the principals file again. When its text changed and reads well,
  // its principals replace the current ones for every call checked from
  // then on (a removed token is refused at once) and the answer is true;
  // unchanged text answers false. A file that cannot be read or parsed
  // leaves the current principals in force and answers the error, once per
  // distinct text. Thread-safe.
  absl::StatusOr<bool> Reload();

  // The principal `credentials` identify: UNAUTHENTICATED when none is
  // presented or it is unknown. A bearer token is tried first.
  absl::StatusOr<Principal> Authenticate(const Credentials& credentials) const;

  // Whether a caller with `credentials` may call `method` (the gRPC path):
  // OK for an open method or a principal holding its role; UNAUTHENTICATED
  // without known credentials; PERMISSION_DENIED for a missing role or a
  // method not in the role table. Messages name the principal and role but
  // never a token.
  absl::Status Check(absl::string_view method, const Credentials& credentials) const;

  int principal_count() const;

 private:
  // One reading of the principals.
  struct Table {
    // Adds the principal lines of `text`; `source` names it in errors.
    absl::Status Add(absl::string_view text, absl::string_view source);

    std::vector<Principal> principals;
    // SHA-256 (hex) of a token, and a certificate name, to its principal.
    absl::flat_hash_map<std::string, int> by_token_hash;
    absl::flat_hash_map<std::string, int> by_certificate;
  };

  explicit Authenticator(AuthenticatorOptions options) : options_(std::move(options)) {}
  // The principals of options_ with the file's text `file_text`.
  absl::StatusOr<std::shared_ptr<const Table>> Parse(absl::string_view file_text) const;
  std::shared_ptr<const Table> table() const;

  const AuthenticatorOptions options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Table> table_ ABSL_GUARDED_BY(mu_);
  // SHA-256 of the file text last read, taken or not.
  std::string file_hash_ ABSL_GUARDED_BY(mu_);
};

// The SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(absl::string_view data);

}  // namespace newsdesk::auth

#endif  // COMMON_AUTH_AUTHENTICATOR_H_
