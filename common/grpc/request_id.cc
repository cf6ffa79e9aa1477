// glog declares its custom line prefix interface only with this defined.
#ifndef GLOG_CUSTOM_PREFIX_SUPPORT
#define GLOG_CUSTOM_PREFIX_SUPPORT
#endif
#include "common/grpc/request_id.h"

#include <iomanip>
#include <ostream>
#include <random>

#include "absl/strings/str_format.h"

#include "glog/logging.h"

namespace newsdesk {
namespace {

std::string& ThreadRequestId() {
  thread_local std::string id;
  return id;
}

// glog 0.6's own prefix, then the request id. glog writes a space after it.
void WritePrefix(std::ostream& s, const google::LogMessageInfo& info, void*) {
  const google::LogMessageTime& t = info.time;
  const char fill = s.fill();
  s << info.severity[0] << std::setfill('0') << std::setw(4) << 1900 + t.year()
    << std::setw(2) << 1 + t.month() << std::setw(2) << t.day() << ' ' << std::setw(2)
    << t.hour() << ':' << std::setw(2) << t.min() << ':' << std::setw(2) << t.sec() << '.'
    << std::setw(6) << t.usec() << std::setfill(fill) << ' ' << std::setw(5)
    << info.thread_id << ' ' << info.filename << ':' << info.line_number << ']';
  const std::string& id = ThreadRequestId();
  if (!id.empty()) s << " request_id=" << id;
}

}  // namespace

std::string NewRequestId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return absl::StrFormat("%016x", generator());
}

void SetCurrentRequestId(std::string id) { ThreadRequestId() = std::move(id); }

const std::string& CurrentRequestId() { return ThreadRequestId(); }

void InitLoggingWithRequestIds(const char* argv0) {
  google::InitGoogleLogging(argv0, &WritePrefix, nullptr);
}

}  // namespace newsdesk
