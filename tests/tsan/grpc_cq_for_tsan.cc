// ThreadSanitizer build only (scripts/tsan.sh, -DNEWSDESK_TSAN=ON): makes
// the hand-over of a gRPC completion queue visible to ThreadSanitizer.
//
// Every call of gRPC's C++ API (client and sync server alike) hands its
// work between threads through a completion queue: the thread that
// finishes an operation posts its tag (grpc_cq_end_op), and the thread
// waiting on the queue takes the tag back (grpc_completion_queue_next or
// _pluck) and goes on with the objects the tag stands for (the call, its
// messages, the server context). gRPC's core is uninstrumented and orders
// this with atomics ThreadSanitizer does not see, so every such hand-over
// would be reported as a race in gRPC's inline C++ code. As in
// absl_sync_for_tsan.cc, these definitions interpose the library's: posting
// a tag releases at its address, taking it back acquires there.
#include <grpc/grpc.h>
#include <sanitizer/tsan_interface.h>

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "tests/tsan/real_symbol.h"

#if !__has_feature(thread_sanitizer)
#error "tests/tsan/ belongs in the ThreadSanitizer build only"
#endif

// Internal to gRPC's core; only its address passes through here.
struct grpc_cq_completion;

namespace {

// Tags are the addresses of the objects they stand for; small integers are
// not (and ThreadSanitizer can only annotate addresses it maps).
bool IsAddress(const void* tag) { return reinterpret_cast<uintptr_t>(tag) >= 4096; }

void Acquire(const grpc_event& event) {
  if (event.type == GRPC_OP_COMPLETE && IsAddress(event.tag)) __tsan_acquire(event.tag);
}

}  // namespace

// src/core/lib/surface/completion_queue.h (gRPC 1.51: grpc_error_handle is
// absl::Status).
void grpc_cq_end_op(grpc_completion_queue* cq, void* tag, absl::Status error,
                    void (*done)(void* done_arg, grpc_cq_completion* storage),
                    void* done_arg, grpc_cq_completion* storage, bool internal) {
  using Fn =
      void (*)(grpc_completion_queue*, void*, absl::Status,
               void (*)(void*, grpc_cq_completion*), void*, grpc_cq_completion*, bool);
  static const auto real =
      newsdesk::tsan::Real<Fn>("_Z14grpc_cq_end_opP21grpc_completion_queuePvN" +
                               newsdesk::tsan::MangledAbslNamespace() +
                               "6StatusEPFvS1_P18grpc_cq_completionES1_S6_b");
  if (IsAddress(tag)) __tsan_release(tag);
  real(cq, tag, std::move(error), done, done_arg, storage, internal);
}

extern "C" grpc_event grpc_completion_queue_next(grpc_completion_queue* cq,
                                                 gpr_timespec deadline, void* reserved) {
  using Fn = grpc_event (*)(grpc_completion_queue*, gpr_timespec, void*);
  static const auto real = newsdesk::tsan::Real<Fn>("grpc_completion_queue_next");
  const grpc_event event = real(cq, deadline, reserved);
  Acquire(event);
  return event;
}

extern "C" grpc_event grpc_completion_queue_pluck(grpc_completion_queue* cq, void* tag,
                                                  gpr_timespec deadline, void* reserved) {
  using Fn = grpc_event (*)(grpc_completion_queue*, void*, gpr_timespec, void*);
  static const auto real = newsdesk::tsan::Real<Fn>("grpc_completion_queue_pluck");
  const grpc_event event = real(cq, tag, deadline, reserved);
  Acquire(event);
  return event;
}
