// The ingest server: owns the store, the parsing and extraction pipeline and
// the gRPC server (IngestService, ArticleLogService, health, reflection).
#ifndef INGEST_SERVICE_SERVER_H_
#define INGEST_SERVICE_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/grpc_security.h"
#include "common/data/shared_data.h"
#include "common/grpc/server_limits.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/rpc_interceptor.h"
#include "common/server/http_endpoint.h"
#include "grpcpp/server.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/topic_model.h"
#include "ingest_service/extract/model_entity_extractor.h"
#include "ingest_service/extract/word_list.h"
#include "ingest_service/extract/wordnet_names.h"
#include "ingest_service/aliases/alias_editor.h"
#include "ingest_service/backup/backups.h"
#include "ingest_service/grpc/admin_service_impl.h"
#include "ingest_service/grpc/article_log_service_impl.h"
#include "ingest_service/grpc/entity_alias_service_impl.h"
#include "ingest_service/grpc/ingest_service_impl.h"
#include "common/server/log_backend.h"
#include "ingest_service/store/jetstream_article_store.h"
#include "ingest_service/store/rocksdb_article_store.h"

namespace newsdesk::ingest {

struct IngestServerOptions {
  // host:port to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:50051";
  // Where articles are stored and published: the embedded store in
  // `data_dir`, or a JetStream stream shared with other ingest replicas.
  LogBackend log_backend = LogBackend::kEmbedded;
  // Directory of the embedded article store.
  std::string data_dir = "./newsdesk-data/ingest";
  // Verify the checksums of the whole store before serving (a damaged store
  // then fails the start with a clear message instead of failing reads).
  bool verify_store_at_open = true;
  // Optional: a backup (a directory CreateBackup wrote) to restore into
  // data_dir, which must be missing or empty, before the store opens.
  std::string restore_from;
  // Where AdminService.CreateBackup writes backups; none can be made when
  // empty.
  std::string backup_dir;
  // The JetStream stream, with log_backend kJetStream.
  JetStreamArticleStoreOptions jetstream;
  // With kJetStream: how often the alias table takes in the changes other
  // ingest replicas made, so that articles ingested here are linked with
  // them (edits made here apply at once).
  absl::Duration alias_refresh_interval = absl::Seconds(2);
  // Directory of the shipped data files (iptc/, entities/, topics/).
  std::string data_files_dir;
  // Debian iso-codes country list, used when present.
  std::string iso_3166_path = "/usr/share/iso-codes/json/iso_3166-1.json";
  // Optional. A topic model file written by `newsdesk-topics train`; when
  // set, articles are classified with it instead of the shipped term table
  // (data_files_dir/topics/topic_terms.tsv).
  std::string topic_model_path;
  // English word list (Debian's wamerican) for the entity extractors.
  std::string word_list_path = "/usr/share/dict/american-english";
  // WordNet's folder (Debian's wordnet-base) for the rule-based extractor:
  // it types names outside the entity table. Empty or missing: context only.
  std::string wordnet_dir = kDefaultWordNetDir;
  // Optional: an entity model made by newsdesk-train-entities. Empty uses the
  // rule-based extractor; a model that cannot be loaded fails start-up.
  std::string entity_model_path;
  IngestorOptions ingestor;
  ArticleLogServiceOptions log;
  // What callers can make the server hold: calls at once, message sizes,
  // memory, keepalive (common/grpc/server_limits.h). Log subscribers are
  // limited by log.max_subscribers.
  ServerLimits limits;
  bool enable_reflection = true;
  // TLS of the gRPC and HTTP ports and who may call what
  // (common/auth/grpc_security.h). Authentication is on unless
  // security.dev_mode_no_auth.
  auth::ServerSecurityOptions security;
  // Metrics and the REST door on an HTTP port (none when its address is
  // empty); request ids and the access log of every call.
  HttpEndpointOptions http;
  metrics::RpcInterceptorOptions rpc;
};

class IngestServer {
 public:
  // Loads the data files, opens the store and starts serving.
  static absl::StatusOr<std::unique_ptr<IngestServer>> Create(IngestServerOptions options);
  ~IngestServer();

  // The port actually bound.
  int port() const { return port_; }
  // The HTTP port bound, or 0 when there is no HTTP endpoint.
  int http_port() const { return http_ ? http_->port() : 0; }

  // Stops taking calls, lets calls in flight finish for up to `grace`
  // (cancelling the rest), ends log streams and closes the store cleanly.
  void Shutdown(absl::Duration grace);

  // Blocks until Shutdown has completed.
  void Wait();

 private:
  IngestServer() = default;

  IngestServerOptions options_;
  metrics::MetricsRegistry metrics_;
  SharedData data_;
  std::unique_ptr<ArticleParser> parser_;
  WordList word_list_;
  std::unique_ptr<EntityExtractor> extractor_;
  std::unique_ptr<TopicModel> topic_model_;
  std::unique_ptr<TopicClassifier> classifier_;
  // One of the two backends is open; store_ and log_ point into it.
  std::unique_ptr<RocksDbArticleStore> rocksdb_store_;
  std::unique_ptr<JetStreamArticleStore> jetstream_store_;
  ArticleStore* store_ = nullptr;
  ArticleLog* log_ = nullptr;
  // The editable alias table, its history in the store of either backend.
  std::unique_ptr<entities::AliasTable> alias_table_;
  std::unique_ptr<AliasEditor> alias_editor_;
  std::unique_ptr<EntityAliasServiceImpl> alias_service_;
  // With kJetStream: takes in other replicas' alias changes until stopped.
  absl::Notification stop_alias_refresh_;
  std::thread alias_refresher_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<Reclassifier> reclassifier_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<ArticleLogServiceImpl> log_service_;
  std::unique_ptr<Backups> backups_;
  std::unique_ptr<AdminServiceImpl> admin_service_;
  std::unique_ptr<auth::ServerSecurity> security_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpEndpoint> http_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_SERVER_H_
