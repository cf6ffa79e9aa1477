#include "tests/integration/ingest_load.h"

#include <grpcpp/grpcpp.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace newsdesk::testing {

std::string ArticleText(int n) {
  return absl::StrCat("Report number ", n, " from the restart test\n\n",
                      "March 3, 2024\n\n",
                      "Officials in Kyiv said on Tuesday that talks number ", n,
                      " would continue. Volodymyr Zelensky met the delegation.\n");
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

void ExpectReadable(TestCluster* cluster, const std::string& id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  grpc::Status status;
  while (absl::Now() < deadline) {
    v1::GetArticleRequest request;
    request.set_name("articles/" + id);
    v1::GetArticleResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    status = cluster->query_stub()->GetArticle(&context, request, &response);
    if (status.ok()) {
      EXPECT_EQ(response.article().article_id(), id);
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ADD_FAILURE() << "acknowledged article " << id << " not readable: " << status.error_message();
}

void ExpectExactlyOnce(TestCluster* cluster, const std::set<std::string>& acked) {
  auto all = cluster->AllArticles(500);
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> ids;
  std::set<int64_t> sequences;
  for (const v1::Article& a : *all) {
    EXPECT_TRUE(ids.insert(a.article_id()).second) << "duplicate " << a.article_id();
    EXPECT_TRUE(sequences.insert(a.log_sequence()).second);
  }
  for (const std::string& id : acked) EXPECT_TRUE(ids.count(id)) << "lost " << id;
  ASSERT_FALSE(sequences.empty());
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), static_cast<int64_t>(sequences.size()));
}

}  // namespace newsdesk::testing
