// The CLI's flags refused before any call is made: a token never goes out
// in plaintext, half a client certificate is a usage error, and so is a
// hints file that cannot be read.
#include "cli/cli.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::cli {
namespace {

using ::testing::HasSubstr;

TEST(CliSecurityTest, ATokenNeedsTls) {
  const std::string token_file = ::testing::TempDir() + "/cli_test.token";
  std::ofstream(token_file) << "secret\n";
  std::ostringstream out, err;
  EXPECT_EQ(cli::Run({"--token_file=" + token_file, "topics"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("a token is only sent over TLS: give --tls_ca"));

  setenv("NEWSDESK_TOKEN", "secret", 1);
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::Run({"topics"}, out2, err2), 2);
  unsetenv("NEWSDESK_TOKEN");
  EXPECT_THAT(err2.str(), HasSubstr("only sent over TLS"));
}

TEST(CliSecurityTest, BadTlsFlagsAreUsageErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::Run({"--tls_ca=/nonexistent/ca.crt", "topics"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("cannot read --tls_ca"));
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::Run({"--tls_cert=client.crt", "topics"}, out2, err2), 2);
  EXPECT_THAT(err2.str(), HasSubstr("give both --tls_cert and --tls_key"));
  std::ostringstream out3, err3;
  EXPECT_EQ(cli::Run({"--token_file=/nonexistent/token", "topics"}, out3, err3), 2);
  EXPECT_THAT(err3.str(), HasSubstr("cannot read --token_file"));
}

TEST(CliIngestTest, AnUnreadableOrBadHintsFileIsAUsageError) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::Run({"--hints=/nonexistent/hints.tsv", "ingest", "a.txt"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("--hints: cannot read /nonexistent/hints.tsv"));
  const std::string hints = ::testing::TempDir() + "/cli_test_hints.tsv";
  std::ofstream(hints) << "a.txt 2023-04-06\n";  // no tab
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::Run({"--hints=" + hints, "ingest", "a.txt"}, out2, err2), 2);
  EXPECT_THAT(err2.str(),
              HasSubstr("line 1: want a file name, a tab and a publish-time hint"));
}

}  // namespace
}  // namespace newsdesk::cli
