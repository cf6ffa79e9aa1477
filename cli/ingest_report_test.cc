#include "cli/ingest_report.h"

#include <sstream>

#include "common/grpc/status_util.h"
#include "common/status/field_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(IngestReportTest, ShortIngestsPrintNoProgress) {
  absl::Time now = absl::UnixEpoch();
  std::ostringstream progress;
  IngestReport report(3, progress, absl::Seconds(2), [&now] { return now; });
  for (int i = 0; i < 3; ++i) {
    now += absl::Milliseconds(100);
    report.Done();
  }
  EXPECT_THAT(progress.str(), IsEmpty());
}

TEST(IngestReportTest, LongIngestsPrintCountRateAndEta) {
  absl::Time now = absl::UnixEpoch();
  std::ostringstream progress;
  IngestReport report(1000, progress, absl::Seconds(2), [&now] { return now; });
  for (int i = 0; i < 250; ++i) {
    now += absl::Milliseconds(10);  // 100 articles/s
    report.Done(i % 50 == 0 ? "INVALID_ARGUMENT: article.content" : "");
  }
  // One line after 2 s (200 done), none before the next 2 s.
  EXPECT_EQ(progress.str(),
            "ingest: 200/1000 (20.0%)  100.0 articles/s  ETA 0:08  4 failed\n");
}

TEST(IngestReportTest, FailuresAreGroupedByReasonMostFrequentFirst) {
  std::ostringstream progress, out;
  IngestReport report(5, progress);
  report.Done("UNAVAILABLE: store closed");
  report.Done("INVALID_ARGUMENT: article.content");
  report.Done("INVALID_ARGUMENT: article.content");
  report.Done();
  report.Done("INVALID_ARGUMENT: article.content");
  EXPECT_EQ(report.failed(), 4);
  report.PrintFailures(out);
  EXPECT_EQ(out.str(),
            "  3 x INVALID_ARGUMENT: article.content\n"
            "  1 x UNAVAILABLE: store closed\n");
}

TEST(IngestReportTest, ReasonNamesTheFieldWhenTheServiceDid) {
  const grpc::Status named = ToGrpcStatus(
      InvalidFieldError("article.content", "content is 2000000 bytes; the limit is 1048576"));
  EXPECT_EQ(IngestReport::Reason(named.error_code(), named.error_message(),
                                 named.error_details()),
            "INVALID_ARGUMENT: article.content");
  const grpc::Status plain = ToGrpcStatus(absl::UnavailableError("store closed"));
  EXPECT_EQ(IngestReport::Reason(plain.error_code(), plain.error_message(),
                                 plain.error_details()),
            "UNAVAILABLE: store closed");
  EXPECT_THAT(IngestReport::Reason(14, "connection refused", ""), HasSubstr("UNAVAILABLE"));
}

}  // namespace
}  // namespace newsdesk::cli
