// Which role each RPC needs: the one table both services' authorization
// reads (the gRPC auth processor and the REST door). A method missing from it
// is refused to everyone, and role_table_test fails for any RPC of a served
// service that has no entry, so a new RPC must be added here.
#ifndef COMMON_AUTH_ROLE_TABLE_H_
#define COMMON_AUTH_ROLE_TABLE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::auth {

enum class Role {
  kOpen,     // anyone, without credentials (health checks)
  kRead,     // queries, alias table reads, reflection
  kWrite,    // ingest
  kReplica,  // query replicas reading the article log
  kAdmin,    // alias edits, re-classification, backups
};

// "open", "read", "write", "replica", "admin".
const char* RoleName(Role role);

// The role named `name` (not "open": that is no role a caller holds).
absl::StatusOr<Role> ParseRole(absl::string_view name);

// The role `method` ("/newsdesk.v1.QueryService/GetArticle", the gRPC path,
// or "/metrics" for the HTTP port's metrics)
// needs, or nullopt when it is not in the table.
std::optional<Role> RequiredRole(absl::string_view method);

}  // namespace newsdesk::auth

#endif  // COMMON_AUTH_ROLE_TABLE_H_
