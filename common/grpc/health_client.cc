#include "common/grpc/health_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/grpc/status_util.h"

namespace newsdesk {
namespace {

// HealthCheckRequest{service} is field 1, length-delimited.
std::string EncodeRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;
  out.push_back(0x0a);
  out.push_back(static_cast<char>(service.size()));  // service names are short
  out += service;
  return out;
}

}  // namespace

absl::StatusOr<bool> CheckServing(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& service, absl::Duration timeout) {
  if (service.size() > 127) return absl::InvalidArgumentError("service name too long");
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  const std::string request = EncodeRequest(service);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_bytes(&slice, 1), response_bytes;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_bytes,
                 &response_bytes, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<grpc::Slice> slices;
  (void)response_bytes.Dump(&slices);
  std::string body;
  for (const auto& s : slices) body.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status = SERVING (1)}: field 1, varint 1.
  return body == std::string("\x08\x01", 2);
}

absl::Status WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel,
                              absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    absl::StatusOr<bool> serving = CheckServing(channel, "", absl::Seconds(1));
    if (serving.ok() && *serving) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("the service did not become SERVING in time");
}

}  // namespace newsdesk
