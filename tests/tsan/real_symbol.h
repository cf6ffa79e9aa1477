// ThreadSanitizer build only: the definition that a function of this
// program interposes, for the wrappers of tests/tsan/.
#ifndef NEWSDESK_TESTS_TSAN_REAL_SYMBOL_H_
#define NEWSDESK_TESTS_TSAN_REAL_SYMBOL_H_

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/base/options.h"

namespace newsdesk::tsan {

#define NEWSDESK_TSAN_STR(x) NEWSDESK_TSAN_STR2(x)
#define NEWSDESK_TSAN_STR2(x) #x

// The mangled form of Abseil's inline namespace, "4absl7debian3" for
// Debian's Abseil 20220623.
inline std::string MangledAbslNamespace() {
  const std::string inline_ns = NEWSDESK_TSAN_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  return "4absl" + std::to_string(inline_ns.size()) + inline_ns;
}

// The next definition of the symbol `name` after this program's own, in the
// shared library that this program's definition hides; aborts if there is
// none (the wrapper would have nothing to forward to).
template <typename Fn>
Fn Real(const std::string& name) {
  void* symbol = dlsym(RTLD_NEXT, name.c_str());
  if (symbol == nullptr) {
    std::fprintf(stderr, "tests/tsan: no definition of %s to forward to\n", name.c_str());
    std::abort();
  }
  return reinterpret_cast<Fn>(symbol);
}

}  // namespace newsdesk::tsan

#endif  // NEWSDESK_TESTS_TSAN_REAL_SYMBOL_H_
