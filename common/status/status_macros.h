// RETURN_IF_ERROR and ASSIGN_OR_RETURN for code that returns absl::Status or
// absl::StatusOr<T>. Abseil 20220623 ships neither.
#ifndef COMMON_STATUS_STATUS_MACROS_H_
#define COMMON_STATUS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function if it is not OK.
#define RETURN_IF_ERROR(expr)                                   \
  do {                                                          \
    ::absl::Status newsdesk_status_ = (expr);                   \
    if (!newsdesk_status_.ok()) return newsdesk_status_;        \
  } while (false)

#define NEWSDESK_STATUS_CONCAT_INNER_(a, b) a##b
#define NEWSDESK_STATUS_CONCAT_(a, b) NEWSDESK_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status if it is not
// OK, otherwise moves the value into `lhs`, which may be a declaration:
//   ASSIGN_OR_RETURN(auto store, RocksDbArticleStore::Open(options));
#define ASSIGN_OR_RETURN(lhs, rexpr)                                        \
  NEWSDESK_ASSIGN_OR_RETURN_IMPL_(                                          \
      NEWSDESK_STATUS_CONCAT_(newsdesk_statusor_, __LINE__), lhs, rexpr)

#define NEWSDESK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = *std::move(statusor)

#endif  // COMMON_STATUS_STATUS_MACROS_H_
