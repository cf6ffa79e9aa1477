#include "bench/bench_stats.h"

#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace newsdesk::bench {
namespace {

TEST(SummarizeTest, NearestRankPercentiles) {
  std::vector<double> values;
  for (int i = 100; i >= 1; --i) values.push_back(i);
  const Percentiles p = Summarize(values);
  EXPECT_EQ(p.count, 100u);
  EXPECT_DOUBLE_EQ(p.p50, 50);
  EXPECT_DOUBLE_EQ(p.p99, 99);
  EXPECT_EQ(Summarize({}).count, 0u);
  EXPECT_DOUBLE_EQ(Summarize({7}).p99, 7);
}

constexpr char kMetrics[] = R"(# HELP newsdesk_rpc_latency_seconds Time
# TYPE newsdesk_rpc_latency_seconds histogram
newsdesk_rpc_latency_seconds_count{method="GetArticle",service="newsdesk.v1.QueryService"} 5
newsdesk_rpc_latency_seconds_bucket{method="GetArticle",service="newsdesk.v1.QueryService",le="0.001"} 5
newsdesk_rpc_latency_seconds_bucket{method="GetArticle",service="newsdesk.v1.QueryService",le="+Inf"} 5
newsdesk_rpc_latency_seconds_bucket{method="SearchArticles",service="newsdesk.v1.QueryService",le="0.001"} 10
newsdesk_rpc_latency_seconds_bucket{method="SearchArticles",service="newsdesk.v1.QueryService",le="0.002"} 90
newsdesk_rpc_latency_seconds_bucket{method="SearchArticles",service="newsdesk.v1.QueryService",le="0.004"} 100
newsdesk_rpc_latency_seconds_bucket{method="SearchArticles",service="newsdesk.v1.QueryService",le="+Inf"} 100
)";

TEST(HistogramTest, ReadsOneMethodsBuckets) {
  const Histogram h = LatencyHistogram(kMetrics, "SearchArticles");
  ASSERT_EQ(h.bounds.size(), 4u);
  EXPECT_DOUBLE_EQ(h.bounds[1], 0.002);
  EXPECT_TRUE(std::isinf(h.bounds[3]));
  EXPECT_DOUBLE_EQ(h.counts[2], 100);
  EXPECT_TRUE(LatencyHistogram(kMetrics, "CountArticles").bounds.empty());
}

// A histogram without labels, beside others whose names it begins.
TEST(HistogramTest, ReadsAHistogramWithoutLabels) {
  const std::string text = std::string(kMetrics) +
                           "newsdesk_query_index_delay_seconds_bucket{le=\"0.01\"} 3\n"
                           "newsdesk_query_index_delay_seconds_bucket{le=\"+Inf\"} 4\n"
                           "newsdesk_query_index_delay_seconds_count 4\n";
  const Histogram h = HistogramOf(text, "newsdesk_query_index_delay_seconds", "");
  ASSERT_EQ(h.bounds.size(), 2u);
  EXPECT_DOUBLE_EQ(h.bounds[0], 0.01);
  EXPECT_DOUBLE_EQ(h.counts[1], 4);
  EXPECT_EQ(HistogramOf(text, "newsdesk_rpc_latency_seconds", "").bounds.size(), 6u);
  EXPECT_TRUE(HistogramOf(text, "newsdesk_query_index_delay", "").bounds.empty());
}

TEST(HistogramTest, QuantileInterpolatesInsideTheBucket) {
  const Histogram h = LatencyHistogram(kMetrics, "SearchArticles");
  // 50th of 100 lies 40 of 80 observations into (0.001, 0.002].
  EXPECT_DOUBLE_EQ(Quantile(h, 0.5), 0.0015);
  // 99th lies 9 of 10 into (0.002, 0.004].
  EXPECT_NEAR(Quantile(h, 0.99), 0.0038, 1e-12);
  EXPECT_DOUBLE_EQ(Quantile(Histogram{}, 0.5), 0);
}

TEST(HistogramTest, SubtractGivesTheObservationsBetweenScrapes) {
  const Histogram after = LatencyHistogram(kMetrics, "SearchArticles");
  Histogram before = after;
  before.counts = {10, 10, 10, 10};
  const Histogram d = Subtract(after, before);
  EXPECT_DOUBLE_EQ(d.counts[0], 0);
  EXPECT_DOUBLE_EQ(d.counts[3], 90);
  // All 90 new observations are above 1 ms.
  EXPECT_GT(Quantile(d, 0.01), 0.001);
}

TEST(ResidentBytesTest, ReadsThisProcess) {
  auto rss = ResidentBytes(getpid());
  ASSERT_TRUE(rss.ok()) << rss.status();
  EXPECT_GT(*rss, 1 << 20);
  EXPECT_FALSE(ResidentBytes(-1).ok());
}

TEST(HttpGetTest, RejectsBadAddresses) {
  EXPECT_EQ(HttpGet("nohostport", "/").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpGet("example:80", "/").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace newsdesk::bench
