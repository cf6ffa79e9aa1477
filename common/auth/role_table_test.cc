// Every RPC of every newsdesk.v1 service (read from the .proto files, so a
// new RPC is seen as soon as it is written) and of the gRPC services the
// servers add must have a role, and Authenticator::Check must enforce it:
// the role's holders pass, everyone else is refused.
#include "common/auth/role_table.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"

namespace newsdesk::auth {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

// "/package.Service/Method" of every RPC in the API's descriptor set.
std::vector<std::string> ApiMethods() {
  std::ifstream in(NEWSDESK_API_DESCRIPTOR_SET, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  google::protobuf::FileDescriptorSet set;
  EXPECT_TRUE(set.ParseFromString(bytes.str())) << NEWSDESK_API_DESCRIPTOR_SET;
  std::vector<std::string> methods;
  for (const auto& file : set.file()) {
    if (file.package() != "newsdesk.v1") continue;
    for (const auto& service : file.service()) {
      for (const auto& method : service.method()) {
        methods.push_back(absl::StrCat("/", file.package(), ".", service.name(), "/",
                                       method.name()));
      }
    }
  }
  return methods;
}

// The services gRPC itself adds to both servers.
const std::vector<std::string> kGrpcMethods = {
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
};

std::vector<std::string> AllMethods() {
  std::vector<std::string> methods = ApiMethods();
  methods.insert(methods.end(), kGrpcMethods.begin(), kGrpcMethods.end());
  return methods;
}

constexpr Role kRoles[] = {Role::kRead, Role::kWrite, Role::kReplica, Role::kAdmin};

// One principal per role, each with a token equal to the role's name.
std::unique_ptr<Authenticator> OnePrincipalPerRole() {
  std::string lines;
  for (Role role : kRoles) {
    absl::StrAppend(&lines, RoleName(role), " sha256:", Sha256Hex(RoleName(role)), " ",
                    RoleName(role), "-caller\n");
  }
  auto authenticator = Authenticator::Create({"", lines});
  EXPECT_THAT(authenticator.status(), IsOk());
  return *std::move(authenticator);
}

Credentials Bearer(absl::string_view token) {
  return Credentials{absl::StrCat("Bearer ", token), {}};
}

TEST(RoleTableTest, TheApiHasRpcs) {
  // Guards the descriptor set: an empty one would make the tests below pass.
  EXPECT_GE(ApiMethods().size(), 20u);
}

TEST(RoleTableTest, EveryRpcHasARole) {
  for (const std::string& method : AllMethods()) {
    EXPECT_TRUE(RequiredRole(method).has_value())
        << method << " has no entry in common/auth/role_table.cc: add one";
  }
}

TEST(RoleTableTest, EveryRpcIsCheckedAgainstItsRole) {
  std::unique_ptr<Authenticator> authenticator = OnePrincipalPerRole();
  for (const std::string& method : AllMethods()) {
    SCOPED_TRACE(method);
    const std::optional<Role> required = RequiredRole(method);
    if (!required.has_value()) continue;  // reported above
    if (*required == Role::kOpen) {
      EXPECT_THAT(authenticator->Check(method, {}), IsOk());
      continue;
    }
    EXPECT_THAT(authenticator->Check(method, {}), StatusIs(absl::StatusCode::kUnauthenticated));
    EXPECT_THAT(authenticator->Check(method, Bearer("forged")),
                StatusIs(absl::StatusCode::kUnauthenticated));
    for (Role role : kRoles) {
      const absl::Status status = authenticator->Check(method, Bearer(RoleName(role)));
      if (role == *required) {
        EXPECT_THAT(status, IsOk()) << RoleName(role);
      } else {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied,
                                     ::testing::HasSubstr(absl::StrCat(
                                         "needs role ", RoleName(*required)))))
            << RoleName(role);
      }
    }
  }
}

TEST(RoleTableTest, RolesFollowThePolicy) {
  // Queries read; ingest writes; edits and operations are admin's; only
  // health is open.
  for (const std::string& method : AllMethods()) {
    SCOPED_TRACE(method);
    const std::optional<Role> role = RequiredRole(method);
    if (!role.has_value()) continue;
    if (absl::StartsWith(method, "/newsdesk.v1.QueryService/")) {
      EXPECT_EQ(*role, Role::kRead);
    }
    if (absl::StartsWith(method, "/newsdesk.v1.ArticleLogService/")) {
      EXPECT_EQ(*role, Role::kReplica);
    }
    if (absl::StartsWith(method, "/newsdesk.v1.AdminService/")) {
      EXPECT_EQ(*role, Role::kAdmin);
    }
    EXPECT_EQ(*role == Role::kOpen, absl::StartsWith(method, "/grpc.health.v1.Health/"));
  }
  EXPECT_EQ(RequiredRole("/newsdesk.v1.IngestService/IngestArticle"), Role::kWrite);
  EXPECT_EQ(RequiredRole("/newsdesk.v1.IngestService/BatchIngestArticles"), Role::kWrite);
  EXPECT_EQ(RequiredRole("/newsdesk.v1.IngestService/ReclassifyArticles"), Role::kAdmin);
  EXPECT_EQ(RequiredRole("/newsdesk.v1.EntityAliasService/AddAlias"), Role::kAdmin);
  EXPECT_EQ(RequiredRole("/newsdesk.v1.EntityAliasService/MergeEntities"), Role::kAdmin);
}

TEST(RoleTableTest, AMethodOutsideTheTableIsRefusedToEveryone) {
  std::unique_ptr<Authenticator> authenticator = OnePrincipalPerRole();
  EXPECT_FALSE(RequiredRole("/newsdesk.v1.QueryService/NoSuchRpc").has_value());
  for (Role role : kRoles) {
    EXPECT_THAT(authenticator->Check("/newsdesk.v1.QueryService/NoSuchRpc",
                                     Bearer(RoleName(role))),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         ::testing::HasSubstr("not in the role table")));
  }
}

}  // namespace
}  // namespace newsdesk::auth
