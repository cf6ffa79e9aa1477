#include "common/grpc/request_id.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::testing::ContainsRegex;
using ::testing::Not;

// The line of `log` that contains `text`.
std::string LineWith(const std::string& log, absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, text)) return std::string(line);
  }
  return "";
}

TEST(RequestIdTest, LinesLoggedWhileHandlingACallCarryItsId) {
  if (!google::IsGoogleLoggingInitialized()) InitLoggingWithRequestIds("common_test");
  FLAGS_logtostderr = true;
  ::testing::internal::CaptureStderr();
  SetCurrentRequestId("call-7");
  LOG(INFO) << "inside the call";
  LOG(WARNING) << "still inside";
  SetCurrentRequestId("");
  LOG(INFO) << "between calls";
  const std::string log = ::testing::internal::GetCapturedStderr();

  // glog's own prefix, then the id.
  EXPECT_THAT(LineWith(log, "inside the call"),
              ContainsRegex("^I[0-9]{8} [0-9:.]{15} +[0-9]+ request_id_test.cc:[0-9]+\\] "
                            "request_id=call-7 inside the call$"));
  EXPECT_THAT(LineWith(log, "still inside"), ContainsRegex("^W.*\\] request_id=call-7 "));
  EXPECT_THAT(LineWith(log, "between calls"),
              ContainsRegex("request_id_test.cc:[0-9]+\\] between calls$"));
  EXPECT_THAT(LineWith(log, "between calls"), Not(ContainsRegex("request_id=")));
}

}  // namespace
}  // namespace newsdesk
