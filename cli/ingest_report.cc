#include "cli/ingest_report.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_format.h"
#include "common/grpc/status_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace newsdesk::cli {

IngestReport::IngestReport(int total, std::ostream& progress, absl::Duration interval,
                           std::function<absl::Time()> now)
    : total_(total),
      progress_(progress),
      interval_(interval),
      now_(std::move(now)),
      start_(now_()),
      last_print_(start_) {}

void IngestReport::Done(const std::string& reason) {
  ++done_;
  if (!reason.empty()) {
    ++failed_;
    ++failures_[reason];
  }
  const absl::Time now = now_();
  if (now - last_print_ < interval_ || done_ >= total_) return;
  last_print_ = now;
  const double seconds = absl::ToDoubleSeconds(now - start_);
  const double rate = seconds > 0 ? done_ / seconds : 0;
  const int64_t eta = rate > 0 ? std::llround((total_ - done_) / rate) : 0;
  progress_ << absl::StrFormat("ingest: %d/%d (%.1f%%)  %.1f articles/s  ETA %d:%02d", done_,
                               total_, 100.0 * done_ / total_, rate, eta / 60, eta % 60);
  if (failed_ > 0) progress_ << "  " << failed_ << " failed";
  progress_ << "\n" << std::flush;
}

std::string IngestReport::Reason(int code, const std::string& message,
                                 const std::string& details) {
  const std::string name = GrpcCodeName(static_cast<grpc::StatusCode>(code));
  google::rpc::Status status;
  if (!details.empty() && status.ParseFromString(details)) {
    for (const auto& any : status.details()) {
      google::rpc::BadRequest bad_request;
      if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0 &&
          !bad_request.field_violations(0).field().empty()) {
        return name + ": " + bad_request.field_violations(0).field();
      }
    }
  }
  return name + ": " + message;
}

void IngestReport::PrintFailures(std::ostream& out) const {
  std::vector<std::pair<std::string, int>> sorted(failures_.begin(), failures_.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [reason, count] : sorted) out << "  " << count << " x " << reason << "\n";
}

}  // namespace newsdesk::cli
