#include "common/grpc/request_id.h"

namespace newsdesk {
namespace {

std::string& ThreadRequestId() {
  thread_local std::string id;
  return id;
}

}  // namespace

void SetCurrentRequestId(std::string id) { ThreadRequestId() = std::move(id); }

const std::string& CurrentRequestId() { return ThreadRequestId(); }

}  // namespace newsdesk
