#include "common/grpc/status_util.h"

#include "gtest/gtest.h"

namespace newsdesk {
namespace {

TEST(StatusUtilTest, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(StatusUtilTest, EveryCodeMapsToTheSameCanonicalCode) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), "message");
    const grpc::Status mapped = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(mapped.error_code()), code);
    EXPECT_EQ(FromGrpcStatus(mapped).code(), status.code());
  }
}

TEST(StatusUtilTest, CallerMessagesPassThrough) {
  const grpc::Status mapped =
      ToGrpcStatus(absl::InvalidArgumentError("content is empty"));
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(mapped.error_message(), "content is empty");
}

TEST(StatusUtilTest, InternalMessagesDoNotLeak) {
  const grpc::Status mapped =
      ToGrpcStatus(absl::InternalError("IO error: /var/lib/newsdesk/000012.log"));
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(mapped.error_message().find("/var/lib"), std::string::npos);
  EXPECT_EQ(ToGrpcStatus(absl::UnknownError("x")).error_code(),
            grpc::StatusCode::UNKNOWN);
}

TEST(StatusUtilTest, UnknownAbslCodeMapsToUnknown) {
  const absl::Status odd(static_cast<absl::StatusCode>(42), "odd");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
}

}  // namespace
}  // namespace newsdesk
