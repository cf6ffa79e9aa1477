#include "common/auth/role_table.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace newsdesk::auth {
namespace {

const absl::flat_hash_map<std::string, Role>& Table() {
  static const auto* table = new absl::flat_hash_map<std::string, Role>{
      // Query service.
      {"/newsdesk.v1.QueryService/GetArticle", Role::kRead},
      {"/newsdesk.v1.QueryService/SearchArticles", Role::kRead},
      {"/newsdesk.v1.QueryService/FindArticlesByEntity", Role::kRead},
      {"/newsdesk.v1.QueryService/FindArticlesByDateRange", Role::kRead},
      {"/newsdesk.v1.QueryService/FindArticlesByTopic", Role::kRead},
      {"/newsdesk.v1.QueryService/ListEntities", Role::kRead},
      {"/newsdesk.v1.QueryService/ListTopics", Role::kRead},
      {"/newsdesk.v1.QueryService/CountArticles", Role::kRead},
      {"/newsdesk.v1.QueryService/ResolveEntity", Role::kRead},
      {"/newsdesk.v1.QueryService/WatchArticles", Role::kRead},
      {"/newsdesk.v1.QueryService/GetStory", Role::kRead},
      {"/newsdesk.v1.QueryService/ListStories", Role::kRead},
      // Ingest service.
      {"/newsdesk.v1.IngestService/IngestArticle", Role::kWrite},
      {"/newsdesk.v1.IngestService/BatchIngestArticles", Role::kWrite},
      {"/newsdesk.v1.IngestService/ParseArticle", Role::kWrite},
      {"/newsdesk.v1.IngestService/ReclassifyArticles", Role::kAdmin},
      {"/newsdesk.v1.ArticleLogService/SubscribeArticles", Role::kReplica},
      {"/newsdesk.v1.ArticleLogService/GetLogState", Role::kReplica},
      {"/newsdesk.v1.EntityAliasService/AddAlias", Role::kAdmin},
      {"/newsdesk.v1.EntityAliasService/RemoveAlias", Role::kAdmin},
      {"/newsdesk.v1.EntityAliasService/MergeEntities", Role::kAdmin},
      {"/newsdesk.v1.EntityAliasService/SplitEntity", Role::kAdmin},
      {"/newsdesk.v1.EntityAliasService/ListAliasChanges", Role::kRead},
      {"/newsdesk.v1.EntityAliasService/GetAliasTable", Role::kRead},
      {"/newsdesk.v1.AdminService/CreateBackup", Role::kAdmin},
      // Both: health stays open (load balancers, probes); reflection
      // describes the API to callers who may use it.
      {"/grpc.health.v1.Health/Check", Role::kOpen},
      {"/grpc.health.v1.Health/Watch", Role::kOpen},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", Role::kRead},
      // The HTTP port's Prometheus metrics.
      {"/metrics", Role::kRead},
  };
  return *table;
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kOpen: return "open";
    case Role::kRead: return "read";
    case Role::kWrite: return "write";
    case Role::kReplica: return "replica";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kRead, Role::kWrite, Role::kReplica, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role \"", name, "\" (roles: read, write, replica, admin)"));
}

std::optional<Role> RequiredRole(absl::string_view method) {
  auto it = Table().find(method);
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

}  // namespace newsdesk::auth
