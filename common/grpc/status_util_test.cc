#include "common/grpc/status_util.h"

#include "common/grpc/request_id.h"

#include "common/status/field_error.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
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

TEST(StatusUtilTest, InternalMessagesNameTheRequestId) {
  SetCurrentRequestId("req-42");
  const grpc::Status mapped = ToGrpcStatus(absl::InternalError("RocksDB: /data/CURRENT"));
  SetCurrentRequestId("");
  EXPECT_EQ(mapped.error_message(),
            "internal error; the server log has details under request id req-42");
}

TEST(StatusUtilTest, UnknownAbslCodeMapsToUnknown) {
  const absl::Status odd(static_cast<absl::StatusCode>(42), "odd");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
}

TEST(StatusUtilTest, BadRequestsCarryAFieldViolation) {
  const grpc::Status mapped =
      ToGrpcStatus(InvalidFieldError("article.content", "content is empty"));
  EXPECT_EQ(mapped.error_message(), "content is empty");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(mapped.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "article.content");
  EXPECT_EQ(bad_request.field_violations(0).description(), "content is empty");
}

TEST(StatusUtilTest, BadRequestWithoutANamedFieldStillDescribesIt) {
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(
      ToGrpcStatus(absl::InvalidArgumentError("end_time must be after start_time"))
          .error_details()));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "end_time must be after start_time");
}

TEST(StatusUtilTest, UnavailableAdvisesARetry) {
  for (const absl::Status& status : {absl::UnavailableError("store closed"),
                                     absl::ResourceExhaustedError("overloaded")}) {
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(ToGrpcStatus(status).error_details()));
    ASSERT_EQ(details.details_size(), 1);
    google::rpc::RetryInfo retry;
    ASSERT_TRUE(details.details(0).UnpackTo(&retry));
    EXPECT_EQ(
        retry.retry_delay().seconds() * 1000 + retry.retry_delay().nanos() / 1000000,
        kRetryDelayMillis);
  }
}

TEST(StatusUtilTest, InternalErrorsCarryNoDetails) {
  EXPECT_TRUE(ToGrpcStatus(absl::InternalError("disk")).error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::NotFoundError("no article")).error_details().size() > 0);
}

TEST(StatusUtilTest, HttpStatusFollowsGoogleRpcCodeMapping) {
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::OK), 200);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusFromGrpcCode(grpc::StatusCode::INTERNAL), 500);
}

TEST(StatusUtilTest, CodeNamesAreCanonical) {
  EXPECT_STREQ(GrpcCodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_STREQ(GrpcCodeName(grpc::StatusCode::UNAVAILABLE), "UNAVAILABLE");
  EXPECT_STREQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "UNKNOWN");
}

}  // namespace
}  // namespace newsdesk
