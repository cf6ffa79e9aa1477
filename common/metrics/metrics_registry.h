// The Prometheus metrics of one service (prometheus-cpp core): a registry
// that components add counters, gauges and histograms to, plus "refreshers"
// that set figures read from elsewhere (log head, index sizes, store size)
// just before each scrape. Render() writes the text exposition format.
#ifndef COMMON_METRICS_METRICS_REGISTRY_H_
#define COMMON_METRICS_METRICS_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/registry.h"

namespace newsdesk::metrics {

class MetricsRegistry {
 public:
  MetricsRegistry();

  // Where components build their metric families
  // (prometheus::BuildCounter()...Register(registry())).
  prometheus::Registry& registry() { return *registry_; }

  // Adds a function run before every scrape to bring gauges up to date. It
  // must stay valid until the registry is destroyed or Render is no longer
  // called.
  void AddRefresher(std::function<void()> refresher);

  // Every metric in the Prometheus text format (version 0.0.4).
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  absl::Mutex mutex_;
  std::vector<std::function<void()>> refreshers_ ABSL_GUARDED_BY(mutex_);
};

// Sets `counter` to `value` when `value` is larger: for counters mirrored from
// a monotonic figure such as a log head sequence.
void AdvanceCounterTo(double value, class prometheus::Counter& counter);

// The total size in bytes of the regular files under `path`; 0 if missing.
double DirectorySizeBytes(const std::string& path);

}  // namespace newsdesk::metrics

#endif  // COMMON_METRICS_METRICS_REGISTRY_H_
