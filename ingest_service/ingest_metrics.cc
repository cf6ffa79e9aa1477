#include "ingest_service/ingest_metrics.h"

#include "prometheus/counter.h"
#include "prometheus/gauge.h"

namespace newsdesk::ingest {

void AddIngestMetrics(const ArticleLog* log, std::string data_dir,
                      metrics::MetricsRegistry* metrics) {
  prometheus::Registry& registry = metrics->registry();
  prometheus::Counter& stored = prometheus::BuildCounter()
                                    .Name("newsdesk_ingest_articles_stored_total")
                                    .Help("Articles stored since the store was created.")
                                    .Register(registry)
                                    .Add({});
  prometheus::Gauge& head = prometheus::BuildGauge()
                                .Name("newsdesk_log_head_sequence")
                                .Help("The last sequence of the article log.")
                                .Register(registry)
                                .Add({});
  prometheus::Gauge& size = prometheus::BuildGauge()
                                .Name("newsdesk_store_size_bytes")
                                .Help("Bytes on disk of the article store.")
                                .Register(registry)
                                .Add({{"store", "articles"}});
  metrics->AddRefresher([log, data_dir = std::move(data_dir), &stored, &head, &size] {
    const double sequence = static_cast<double>(log->HeadSequence());
    metrics::AdvanceCounterTo(sequence, stored);
    head.Set(sequence);
    size.Set(metrics::DirectorySizeBytes(data_dir));
  });
}

}  // namespace newsdesk::ingest
