// ThreadSanitizer build only (scripts/tsan.sh, -DNEWSDESK_TSAN=ON): makes
// the hand-overs of Debian's absl::Mutex, absl::CondVar and
// absl::Notification, and the reference counts of absl::Status, visible to
// ThreadSanitizer.
//
// Debian builds Abseil without -fsanitize=thread, so ThreadSanitizer sees
// neither the accesses inside libabsl_synchronization nor the ordering its
// locks make, and reports every access guarded by an absl::Mutex as a race.
// This file defines the member functions that the library exports (those
// that are out of line in absl/synchronization/*.h) in the program itself.
// The program comes first in the dynamic symbol lookup, so calls from our
// code, from gRPC's libraries and from libabsl_synchronization itself land
// here; each forwards to Abseil's definition (dlsym(RTLD_NEXT)) between the
// annotations of <sanitizer/tsan_interface.h> that Abseil makes itself when
// it is built with ThreadSanitizer (ABSL_TSAN_MUTEX_* in mutex.cc).
//
// Inline in the headers, and so compiled with our code and instrumented
// already: the constructors (Mutex() calls __tsan_mutex_create), the
// Writer*() aliases, MutexLock and the other scoped locks, and
// Notification::HasBeenNotified(). The last is an atomic load that
// ThreadSanitizer sees without the store Notify() makes in the library, so
// polling HasBeenNotified() gives no ordering (none of our code polls it;
// WaitForNotification*() does). CondVar::Signal()/SignalAll() are not
// wrapped: a signal orders nothing by itself, the waiter's taking the mutex
// again does (annotated in CondVar::Wait*()).
#include <sanitizer/tsan_interface.h>

#include <atomic>
#include <cstdint>

#include "absl/status/internal/status_internal.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tests/tsan/real_symbol.h"

#if !__has_feature(thread_sanitizer)
#error "tests/tsan/ belongs in the ThreadSanitizer build only"
#endif

namespace {

using newsdesk::tsan::MangledAbslNamespace;

// Abseil's own definition of a member function, by its mangled name:
// `nested` is "_ZN" (or "_ZNK" for a const member), `rest` what follows the
// namespace absl::<inline namespace>, e.g. "5Mutex4LockEv".
template <typename Fn>
Fn Real(const char* nested, const char* rest) {
  return newsdesk::tsan::Real<Fn>(nested + MangledAbslNamespace() + rest);
}

// Abseil's functions call each other (LockWhenWithTimeout calls
// LockWhenWithDeadline, Notify locks the notification's mutex): a call that
// arrives here while the same thread is already inside one of these
// functions is forwarded without annotations, so each operation is
// annotated once.
thread_local bool inside_abseil = false;

class Forwarding {
 public:
  Forwarding() : nested_(inside_abseil) { inside_abseil = true; }
  ~Forwarding() { inside_abseil = nested_; }
  bool nested() const { return nested_; }

 private:
  const bool nested_;
};

// A word of Abseil's state, read without telling ThreadSanitizer (a plain
// load in an uninstrumented function; atomics are instrumented everywhere):
// the object may have been made on a thread whose hand-over to this one
// happened inside an uninstrumented library, out of ThreadSanitizer's sight.
template <typename T>
__attribute__((no_sanitize("thread"))) T ReadUnseen(const std::atomic<T>* word) {
  return *reinterpret_cast<const volatile T*>(word);
}

// Whether the calling thread, which holds `mu`, holds it as a writer: bit
// kMuWriter (0x0008) of the mutex word, absl::Mutex's one data member
// (absl/synchronization/mutex.cc), read as Abseil's own annotations read it.
bool HeldAsWriter(const absl::Mutex* mu) {
  static_assert(sizeof(absl::Mutex) == sizeof(std::atomic<intptr_t>));
  constexpr intptr_t kMuWriter = 0x0008;
  return (ReadUnseen(reinterpret_cast<const std::atomic<intptr_t>*>(mu)) & kMuWriter) !=
         0;
}

// `call` takes `mu` (as a reader if `how` has __tsan_mutex_read_lock; it
// may fail if `how` has __tsan_mutex_try_lock, and then returns false).
template <typename Call>
bool Locking(absl::Mutex* mu, unsigned how, Call call) {
  Forwarding forwarding;
  if (forwarding.nested()) return call();
  __tsan_mutex_pre_lock(mu, how);
  const bool result = call();
  const bool failed = (how & __tsan_mutex_try_lock) != 0 && !result;
  __tsan_mutex_post_lock(mu, failed ? how | __tsan_mutex_try_lock_failed : how, 0);
  return result;
}

// `call` releases `mu`.
template <typename Call>
void Unlocking(absl::Mutex* mu, unsigned how, Call call) {
  Forwarding forwarding;
  if (forwarding.nested()) return call();
  __tsan_mutex_pre_unlock(mu, how);
  call();
  __tsan_mutex_post_unlock(mu, how);
}

// `call` is made holding `mu` and may release it and take it again before
// it returns (Await, CondVar::Wait): to ThreadSanitizer an unlock, then a
// lock. Conditions evaluated inside are not checked, as in Abseil's own
// annotations.
template <typename Call>
bool Waiting(absl::Mutex* mu, Call call) {
  Forwarding forwarding;
  if (forwarding.nested()) return call();
  const unsigned how = HeldAsWriter(mu) ? 0 : __tsan_mutex_read_lock;
  __tsan_mutex_pre_unlock(mu, how);
  const bool result = call();
  __tsan_mutex_post_unlock(mu, how);
  __tsan_mutex_pre_lock(mu, how);
  __tsan_mutex_post_lock(mu, how, 0);
  return result;
}

constexpr unsigned kWrite = 0;
constexpr unsigned kRead = __tsan_mutex_read_lock;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

// ---- Mutex ----------------------------------------------------------------

Mutex::~Mutex() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5MutexD1Ev");
  __tsan_mutex_destroy(this, __tsan_mutex_not_static);
  real(this);
}

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex4LockEv");
  Locking(this, kWrite, [&] {
    real(this);
    return true;
  });
}

void Mutex::ReaderLock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex10ReaderLockEv");
  Locking(this, kRead, [&] {
    real(this);
    return true;
  });
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex7TryLockEv");
  return Locking(this, kWrite | __tsan_mutex_try_lock, [&] { return real(this); });
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex13ReaderTryLockEv");
  return Locking(this, kRead | __tsan_mutex_try_lock, [&] { return real(this); });
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex6UnlockEv");
  Unlocking(this, kWrite, [&] { real(this); });
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex12ReaderUnlockEv");
  Unlocking(this, kRead, [&] { real(this); });
}

// The *When* functions always return holding the mutex, also on a timeout.
void Mutex::LockWhen(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN", "5Mutex8LockWhenERKNS0_9ConditionE");
  Locking(this, kWrite, [&] {
    real(this, cond);
    return true;
  });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN", "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Locking(this, kRead, [&] {
    real(this, cond);
    return true;
  });
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN", "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  bool met = false;
  Locking(this, kWrite, [&] {
    met = real(this, cond, timeout);
    return true;
  });
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN", "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  bool met = false;
  Locking(this, kRead, [&] {
    met = real(this, cond, timeout);
    return true;
  });
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN", "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  bool met = false;
  Locking(this, kWrite, [&] {
    met = real(this, cond, deadline);
    return true;
  });
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN", "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  bool met = false;
  Locking(this, kRead, [&] {
    met = real(this, cond, deadline);
    return true;
  });
  return met;
}

void Mutex::Await(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex5AwaitERKNS0_9ConditionE");
  Waiting(this, [&] {
    real(this, cond);
    return true;
  });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN", "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return Waiting(this, [&] { return real(this, cond, timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN", "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Waiting(this, [&] { return real(this, cond, deadline); });
}

// ---- CondVar ----------------------------------------------------------------

void CondVar::Wait(Mutex* mu) {
  static const auto real =
      Real<void (*)(CondVar*, Mutex*)>("_ZN", "7CondVar4WaitEPNS0_5MutexE");
  Waiting(mu, [&] {
    real(this, mu);
    return true;
  });
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Duration)>(
      "_ZN", "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return Waiting(mu, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Time)>(
      "_ZN", "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return Waiting(mu, [&] { return real(this, mu, deadline); });
}

// ---- Notification -------------------------------------------------------
// Notify() releases at the notification's address and a wait that sees it
// notified acquires there; the locking of the notification's own mutex
// inside is forwarded unannotated (Forwarding).

void Notification::Notify() {
  static const auto real =
      Real<void (*)(Notification*)>("_ZN", "12Notification6NotifyEv");
  Forwarding forwarding;
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real = Real<void (*)(const Notification*)>(
      "_ZNK", "12Notification19WaitForNotificationEv");
  Forwarding forwarding;
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, Duration)>(
      "_ZNK", "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  Forwarding forwarding;
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, Time)>(
      "_ZNK", "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  Forwarding forwarding;
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

// ---- Status -----------------------------------------------------------------
// A non-OK Status shares a reference-counted representation between copies
// on any threads; the last Unref deletes it (in the library, after an
// atomic decrement ThreadSanitizer does not see). As for any reference
// count: each Unref releases, and the one that drops the last reference
// acquires before the delete. `rep` is the representation's address + 1
// (Status::RepToPointer).

void Status::UnrefNonInlined(uintptr_t rep) {
  static const auto real = Real<void (*)(uintptr_t)>("_ZN", "6Status15UnrefNonInlinedEm");
  auto* shared = reinterpret_cast<status_internal::StatusRep*>(rep - 1);
  const bool last = ReadUnseen(&shared->ref) == 1;
  __tsan_release(shared);
  if (last) __tsan_acquire(shared);
  real(rep);
}

ABSL_NAMESPACE_END
}  // namespace absl
