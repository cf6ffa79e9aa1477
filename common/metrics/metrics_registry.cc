#include "common/metrics/metrics_registry.h"

#include <filesystem>

#include "prometheus/counter.h"
#include "prometheus/text_serializer.h"

namespace newsdesk::metrics {

MetricsRegistry::MetricsRegistry()
    : registry_(std::make_shared<prometheus::Registry>()) {}

void MetricsRegistry::AddRefresher(std::function<void()> refresher) {
  absl::MutexLock lock(&mutex_);
  refreshers_.push_back(std::move(refresher));
}

std::string MetricsRegistry::Render() {
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& refresh : refreshers_) refresh();
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void AdvanceCounterTo(double value, prometheus::Counter& counter) {
  const double current = counter.Value();
  if (value > current) counter.Increment(value - current);
}

double DirectorySizeBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  double total = 0;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += static_cast<double>(size);
    }
  }
  return total;
}

}  // namespace newsdesk::metrics
