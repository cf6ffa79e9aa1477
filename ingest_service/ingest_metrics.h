// The ingest service's own Prometheus figures, read at each scrape:
//   newsdesk_ingest_articles_stored_total  articles stored (the log head); its
//                                          rate() is the ingest rate
//   newsdesk_log_head_sequence             the last sequence of the article log
//   newsdesk_store_size_bytes              bytes on disk of the article store
// Per-RPC counts and latencies come from the RPC interceptor.
#ifndef INGEST_SERVICE_INGEST_METRICS_H_
#define INGEST_SERVICE_INGEST_METRICS_H_

#include <string>

#include "common/metrics/metrics_registry.h"
#include "ingest_service/store/article_store.h"

namespace newsdesk::ingest {

// `log` must outlive every scrape of `metrics`.
void AddIngestMetrics(const ArticleLog* log, std::string data_dir,
                      metrics::MetricsRegistry* metrics);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_INGEST_METRICS_H_
