// The query service's own Prometheus figures, read at each scrape:
//   newsdesk_query_articles_indexed_total  articles applied to the index; its
//                                          rate() is the indexing rate
//   newsdesk_query_log_lag                 log entries ingest has stored that
//                                          this service has not applied yet
//   newsdesk_query_link_lag                log entries applied here whose
//                                          story and near-copy links the link
//                                          stage has not applied yet
//   newsdesk_query_link_failures_total     failed runs of the link stage
//                                          (retried; see the log)
//   newsdesk_index_articles / _entities / _topics   index sizes
//   newsdesk_store_size_bytes              bytes on disk of the local replica
//   newsdesk_query_index_delay_seconds     a histogram: for each new article,
//                                          the time from the ingest service
//                                          storing it to this service indexing
//                                          it (freshness; IndexDelayRecorder)
// Per-RPC counts and latencies come from the RPC interceptor.
#ifndef QUERY_SERVICE_QUERY_METRICS_H_
#define QUERY_SERVICE_QUERY_METRICS_H_

#include <functional>
#include <string>

#include "common/metrics/metrics_registry.h"
#include "query_service/follower/link_stage.h"
#include "query_service/follower/log_follower.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

// `index`, `follower` and `link_stage` must outlive every scrape of
// `metrics`.
void AddQueryMetrics(const ArticleIndex* index, const LogFollower* follower,
                     const LinkStage* link_stage, std::string data_dir,
                     metrics::MetricsRegistry* metrics);

// Registers newsdesk_query_index_delay_seconds in `metrics` and returns
// what records an article into it as it is indexed: the time from its
// Article::ingest_time (when the ingest service stored it) to now. Across
// machines the figure holds the difference of their clocks too. Articles of
// unknown ingest time are left out.
std::function<void(const Article&)> IndexDelayRecorder(metrics::MetricsRegistry* metrics);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_QUERY_METRICS_H_
