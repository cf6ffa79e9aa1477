#include "common/auth/authenticator.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::auth {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::IsOkAndHolds;
using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kQuery[] = "/newsdesk.v1.QueryService/GetArticle";
constexpr char kIngest[] = "/newsdesk.v1.IngestService/IngestArticle";
constexpr char kBackup[] = "/newsdesk.v1.AdminService/CreateBackup";

std::string Line(absl::string_view roles, absl::string_view token, absl::string_view name) {
  return absl::StrCat(roles, " sha256:", Sha256Hex(token), " ", name, "\n");
}

Credentials Bearer(absl::string_view token) {
  return Credentials{absl::StrCat("Bearer ", token), {}};
}

TEST(Sha256HexTest, MatchesTheStandardDigest) {
  // sha256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthenticatorTest, TokensMapToTheirPrincipalsRoles) {
  auto authenticator = Authenticator::Create(
      {"", Line("read", "r-token", "frontend") + "# a comment\n\n" +
               Line("write,read", "w-token", "crawler") + Line("admin", "a-token", "ops")});
  ASSERT_THAT(authenticator.status(), IsOk());
  EXPECT_EQ((*authenticator)->principal_count(), 3);
  absl::StatusOr<Principal> crawler = (*authenticator)->Authenticate(Bearer("w-token"));
  ASSERT_THAT(crawler.status(), IsOk());
  EXPECT_EQ(crawler->name, "crawler");
  EXPECT_TRUE(crawler->roles.contains(Role::kWrite));
  EXPECT_TRUE(crawler->roles.contains(Role::kRead));

  EXPECT_THAT((*authenticator)->Check(kQuery, Bearer("r-token")), IsOk());
  EXPECT_THAT((*authenticator)->Check(kIngest, Bearer("r-token")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("frontend (roles: read) may not call "
                                 "/newsdesk.v1.IngestService/IngestArticle: it needs role "
                                 "write")));
  EXPECT_THAT((*authenticator)->Check(kIngest, Bearer("w-token")), IsOk());
  EXPECT_THAT((*authenticator)->Check(kBackup, Bearer("w-token")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // admin does not imply write.
  EXPECT_THAT((*authenticator)->Check(kIngest, Bearer("a-token")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT((*authenticator)->Check(kBackup, Bearer("a-token")), IsOk());
}

TEST(AuthenticatorTest, UnknownOrMissingCredentialsAreUnauthenticated) {
  auto authenticator = Authenticator::Create({"", Line("read", "secret", "frontend")});
  ASSERT_THAT(authenticator.status(), IsOk());
  EXPECT_THAT((*authenticator)->Check(kQuery, {}),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("no credentials")));
  const absl::Status forged = (*authenticator)->Check(kQuery, Bearer("guess"));
  EXPECT_THAT(forged, StatusIs(absl::StatusCode::kUnauthenticated,
                               HasSubstr("unknown bearer token")));
  EXPECT_THAT(forged.message(), Not(HasSubstr("guess")));  // no token is echoed
  EXPECT_THAT((*authenticator)->Check(kQuery, Credentials{"Basic dXNlcjpwdw==", {}}),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("not a bearer token")));
  // Health checks stay open.
  EXPECT_THAT((*authenticator)->Check("/grpc.health.v1.Health/Check", {}), IsOk());
}

TEST(AuthenticatorTest, ClientCertificatesMapByName) {
  auto authenticator = Authenticator::Create(
      {"", "replica cert:query-1.newsdesk.internal query-replica\n" +
               Line("read", "t", "frontend")});
  ASSERT_THAT(authenticator.status(), IsOk());
  Credentials by_cert{"", {"Query One", "query-1.newsdesk.internal"}};
  EXPECT_THAT((*authenticator)->Check("/newsdesk.v1.ArticleLogService/SubscribeArticles",
                                      by_cert),
              IsOk());
  EXPECT_THAT((*authenticator)->Check(kQuery, by_cert),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT((*authenticator)->Check(kQuery, Credentials{"", {"stranger"}}),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("names no principal")));
  // A token wins over the certificate.
  by_cert.authorization = "Bearer t";
  EXPECT_THAT((*authenticator)->Check(kQuery, by_cert), IsOk());
}

TEST(AuthenticatorTest, BadLinesAreRefusedWithTheirLineNumber) {
  const std::string hash = Sha256Hex("x");
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"read sha256:" + hash, "line 1: expected three fields"},
      {"\nreader sha256:" + hash + " x", "line 2: unknown role \"reader\""},
      {"read sha256:abc x", "64 hex digits"},
      {"read plain-token x", "tokens are never stored"},
      {"read cert: x", "empty certificate name"},
      {Line("read", "x", "a") + Line("write", "x", "b"), "line 2: token listed twice"},
      {"read cert:n a;write cert:n b", "line 2: certificate name listed twice"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Authenticator::Create({"", c.text}).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.text;
  }
  EXPECT_THAT(Authenticator::Create({"", "# nothing\n"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no principals")));
}

TEST(AuthenticatorTest, ReadsAFileAndTheEnvironmentLines) {
  const std::string path = ::testing::TempDir() + "/tokens";
  std::ofstream(path) << Line("read", "from-file", "file-principal");
  auto authenticator = Authenticator::Create({path, Line("write", "from-env", "env-principal")});
  ASSERT_THAT(authenticator.status(), IsOk());
  EXPECT_THAT((*authenticator)->Check(kQuery, Bearer("from-file")), IsOk());
  EXPECT_THAT((*authenticator)->Check(kIngest, Bearer("from-env")), IsOk());
  std::remove(path.c_str());
  EXPECT_THAT(Authenticator::Create({path, ""}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot read")));
}

TEST(AuthenticatorTest, ReloadTakesANewFileAndKeepsTheOldOneWhenTheNewIsBad) {
  const std::string path = ::testing::TempDir() + "/tokens-reload";
  std::ofstream(path) << Line("read", "old-token", "frontend");
  auto authenticator = Authenticator::Create({path, Line("write", "from-env", "crawler")});
  ASSERT_THAT(authenticator.status(), IsOk());
  Authenticator& auth = **authenticator;
  EXPECT_THAT(auth.Reload(), IsOkAndHolds(false));  // unchanged

  // The old token is revoked, a new one given: effective at once.
  std::ofstream(path) << Line("read", "new-token", "frontend");
  EXPECT_THAT(auth.Reload(), IsOkAndHolds(true));
  EXPECT_THAT(auth.Check(kQuery, Bearer("old-token")),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(auth.Check(kQuery, Bearer("new-token")), IsOk());
  EXPECT_THAT(auth.Check(kIngest, Bearer("from-env")), IsOk());

  // A broken file is reported once and changes nothing.
  std::ofstream(path) << "read sha256:abc frontend\n";
  EXPECT_THAT(auth.Reload(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("64 hex digits")));
  EXPECT_THAT(auth.Reload(), IsOkAndHolds(false));
  EXPECT_THAT(auth.Check(kQuery, Bearer("new-token")), IsOk());
  EXPECT_EQ(auth.principal_count(), 2);

  // A file that is gone: an error, the principals stay.
  std::remove(path.c_str());
  EXPECT_THAT(auth.Reload(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(auth.Check(kQuery, Bearer("new-token")), IsOk());
}

}  // namespace
}  // namespace newsdesk::auth
