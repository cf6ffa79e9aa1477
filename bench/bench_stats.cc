#include "bench/bench_stats.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace newsdesk::bench {

Percentiles Summarize(std::vector<double> values) {
  Percentiles p;
  p.count = values.size();
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  auto rank = [&](double q) {
    size_t i = static_cast<size_t>(std::ceil(q * values.size()));
    return values[std::min(values.size() - 1, i == 0 ? 0 : i - 1)];
  };
  p.p50 = rank(0.5);
  p.p99 = rank(0.99);
  return p;
}

Histogram LatencyHistogram(absl::string_view metrics_text, absl::string_view method) {
  return HistogramOf(metrics_text, "newsdesk_rpc_latency_seconds",
                     absl::StrCat("method=\"", method, "\""));
}

Histogram HistogramOf(absl::string_view metrics_text, absl::string_view name,
                      absl::string_view label) {
  Histogram h;
  const std::string prefix = absl::StrCat(name, "_bucket{");
  for (absl::string_view line : absl::StrSplit(metrics_text, '\n')) {
    if (!absl::StartsWith(line, prefix) || !absl::StrContains(line, label)) continue;
    const size_t le = line.find("le=\"");
    const size_t close = line.rfind('}');
    if (le == absl::string_view::npos || close == absl::string_view::npos) continue;
    absl::string_view bound = line.substr(le + 4);
    bound = bound.substr(0, bound.find('"'));
    double b = 0, count = 0;
    if (bound == "+Inf") {
      b = std::numeric_limits<double>::infinity();
    } else if (!absl::SimpleAtod(bound, &b)) {
      continue;
    }
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(line.substr(close + 1)), &count)) continue;
    h.bounds.push_back(b);
    h.counts.push_back(count);
  }
  return h;
}

Histogram Subtract(const Histogram& after, const Histogram& before) {
  Histogram d = after;
  if (before.counts.size() == after.counts.size()) {
    for (size_t i = 0; i < d.counts.size(); ++i) d.counts[i] -= before.counts[i];
  }
  return d;
}

double Quantile(const Histogram& h, double q) {
  if (h.counts.empty() || h.counts.back() <= 0) return 0;
  const double target = q * h.counts.back();
  for (size_t i = 0; i < h.counts.size(); ++i) {
    if (h.counts[i] < target) continue;
    if (std::isinf(h.bounds[i])) return i == 0 ? 0 : h.bounds[i - 1];
    const double lower = i == 0 ? 0 : h.bounds[i - 1];
    const double below = i == 0 ? 0 : h.counts[i - 1];
    const double in_bucket = h.counts[i] - below;
    if (in_bucket <= 0) return h.bounds[i];
    return lower + (h.bounds[i] - lower) * (target - below) / in_bucket;
  }
  return h.bounds.back();
}

absl::StatusOr<std::string> HttpGet(const std::string& host_port, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(host_port, ':');
  int port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port)) {
    return absl::InvalidArgumentError(absl::StrCat("not host:port: ", host_port));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, parts[0].c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("not an IPv4 address: ", parts[0]));
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to ", host_port));
  }
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: ", host_port,
                                           "\r\n\r\n");
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::UnavailableError("short write");
  }
  std::string response;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) response.append(buffer, n);
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  if (!absl::StartsWith(response, "HTTP/1.") || body == std::string::npos ||
      response.find(" 200 ") > body) {
    return absl::UnavailableError(absl::StrCat("GET ", path, " failed"));
  }
  return response.substr(body + 4);
}

absl::StatusOr<int64_t> ResidentBytes(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(in, line);) {
    if (!absl::StartsWith(line, "VmRSS:")) continue;
    int64_t kib = 0;
    absl::string_view value = absl::StripAsciiWhitespace(absl::string_view(line).substr(6));
    value = absl::StripSuffix(value, " kB");
    if (absl::SimpleAtoi(value, &kib)) return kib * 1024;
  }
  return absl::NotFoundError(absl::StrCat("no VmRSS for process ", pid));
}

}  // namespace newsdesk::bench
