// A bad request that names the request field at fault. The message is for
// people as before; the field path travels as a status payload, and the gRPC adapters
// turn it into a google.rpc.BadRequest field violation (common/grpc/status_util.h) that
// callers can act on.
#ifndef COMMON_STATUS_FIELD_ERROR_H_
#define COMMON_STATUS_FIELD_ERROR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/types/optional.h"
#include "absl/strings/string_view.h"

namespace newsdesk {

// The payload key of the field path of an INVALID_ARGUMENT status.
inline constexpr char kFieldPayload[] = "newsdesk/field";

// INVALID_ARGUMENT with `message`, naming `field`: its path in the request
// message, in proto field names ("article.content").
inline absl::Status InvalidFieldError(absl::string_view field,
                                      absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kFieldPayload, absl::Cord(field));
  return status;
}

// The field path of a status made by InvalidFieldError, if any.
inline std::optional<std::string> FieldOf(const absl::Status& status) {
  absl::optional<absl::Cord> field = status.GetPayload(kFieldPayload);
  if (!field.has_value()) return std::nullopt;
  return std::string(*field);
}

// `status` naming `to` instead when it names the field `from`; any other
// status unchanged. For a core that names a field by its path in one request
// message, served by an RPC whose request has the field elsewhere.
inline absl::Status RenameField(absl::Status status, absl::string_view from,
                                absl::string_view to) {
  if (FieldOf(status) == from) status.SetPayload(kFieldPayload, absl::Cord(to));
  return status;
}

}  // namespace newsdesk

#endif  // COMMON_STATUS_FIELD_ERROR_H_
