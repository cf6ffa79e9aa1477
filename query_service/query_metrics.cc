#include "query_service/query_metrics.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"

namespace newsdesk::query {

void AddQueryMetrics(const ArticleIndex* index, const LogFollower* follower,
                     const LinkStage* link_stage, std::string data_dir,
                     metrics::MetricsRegistry* metrics) {
  prometheus::Registry& registry = metrics->registry();
  prometheus::Counter& indexed = prometheus::BuildCounter()
                                     .Name("newsdesk_query_articles_indexed_total")
                                     .Help("Articles applied to the index.")
                                     .Register(registry)
                                     .Add({});
  prometheus::Gauge& lag =
      prometheus::BuildGauge()
          .Name("newsdesk_query_log_lag")
          .Help("Article log entries stored by ingest and not yet applied here.")
          .Register(registry)
          .Add({});
  prometheus::Gauge& link_lag =
      prometheus::BuildGauge()
          .Name("newsdesk_query_link_lag")
          .Help("Log entries applied to the index whose story and near-copy links are not "
                "applied yet.")
          .Register(registry)
          .Add({});
  prometheus::Counter& link_failures = prometheus::BuildCounter()
                                           .Name("newsdesk_query_link_failures_total")
                                           .Help("Failed runs of the link stage (retried).")
                                           .Register(registry)
                                           .Add({});
  auto& sizes = prometheus::BuildGauge()
                    .Name("newsdesk_index_size")
                    .Help("Items in the in-memory index, by kind.")
                    .Register(registry);
  prometheus::Gauge& articles = sizes.Add({{"kind", "articles"}});
  prometheus::Gauge& entities = sizes.Add({{"kind", "entities"}});
  prometheus::Gauge& topics = sizes.Add({{"kind", "topics"}});
  prometheus::Gauge& size = prometheus::BuildGauge()
                                .Name("newsdesk_store_size_bytes")
                                .Help("Bytes on disk of the local replica of the log.")
                                .Register(registry)
                                .Add({{"store", "replica"}});
  metrics->AddRefresher([=, data_dir = std::move(data_dir), &indexed, &lag, &link_lag,
                         &link_failures, &articles, &entities, &topics, &size] {
    const int64_t head = index->head();
    link_lag.Set(static_cast<double>(std::max<int64_t>(0, head - index->linked_head())));
    metrics::AdvanceCounterTo(static_cast<double>(link_stage->failures()), link_failures);
    const ArticleIndex::Sizes sizes = index->sizes();
    metrics::AdvanceCounterTo(static_cast<double>(sizes.articles), indexed);
    lag.Set(static_cast<double>(std::max<int64_t>(0, follower->log_head() - head)));
    articles.Set(static_cast<double>(sizes.articles));
    entities.Set(static_cast<double>(sizes.entities));
    topics.Set(static_cast<double>(sizes.topics));
    size.Set(metrics::DirectorySizeBytes(data_dir));
  });
}

std::function<void(const Article&)> IndexDelayRecorder(metrics::MetricsRegistry* metrics) {
  prometheus::Histogram& delay =
      prometheus::BuildHistogram()
          .Name("newsdesk_query_index_delay_seconds")
          .Help("Time from the ingest service storing an article to this service indexing "
                "it, for each new article (includes the difference of the two clocks).")
          .Register(metrics->registry())
          .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                           0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                                                           10, 30, 60});
  return [&delay](const Article& article) {
    if (article.ingest_time == absl::InfinitePast()) return;
    delay.Observe(std::max(0.0, absl::ToDoubleSeconds(absl::Now() - article.ingest_time)));
  };
}

}  // namespace newsdesk::query
