// Figures for the scale benchmark: percentiles of client-side timings, and
// server-side latency percentiles read from a service's Prometheus
// histogram (newsdesk_rpc_latency_seconds) as the difference of two scrapes.
#ifndef BENCH_BENCH_STATS_H_
#define BENCH_BENCH_STATS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::bench {

struct Percentiles {
  double p50 = 0;
  double p99 = 0;
  size_t count = 0;
};

// Nearest-rank p50 and p99 of `values` (any unit); zeros when empty.
Percentiles Summarize(std::vector<double> values);

// A cumulative histogram: counts[i] observations at or below bounds[i]; the
// last bound is +Inf.
struct Histogram {
  std::vector<double> bounds;
  std::vector<double> counts;
};

// The histogram `name` (its _bucket lines holding `label`, such as
// method="SearchArticles"; "" for any) from the text a /metrics endpoint
// serves; an empty histogram when it has no such buckets yet.
Histogram HistogramOf(absl::string_view metrics_text, absl::string_view name,
                      absl::string_view label);

// The latency histogram of one method ("SearchArticles") from the text a
// /metrics endpoint serves; an empty histogram when the method has none yet.
Histogram LatencyHistogram(absl::string_view metrics_text, absl::string_view method);

// after - before, bucket by bucket (both of the same method).
Histogram Subtract(const Histogram& after, const Histogram& before);

// The q-quantile (0 < q < 1) by linear interpolation inside the bucket that
// holds it, as Prometheus' histogram_quantile does; 0 when empty.
double Quantile(const Histogram& h, double q);

// GET http://{host_port}{path} over HTTP/1.0; the body.
absl::StatusOr<std::string> HttpGet(const std::string& host_port, const std::string& path);

// Resident set size of a process in bytes, from /proc/{pid}/status.
absl::StatusOr<int64_t> ResidentBytes(int pid);

}  // namespace newsdesk::bench

#endif  // BENCH_BENCH_STATS_H_
