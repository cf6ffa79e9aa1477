#include "ingest_service/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/health_client.h"
#include "common/grpc/reflection.h"
#include "common/status/status_macros.h"
#include "ingest_service/ingest_metrics.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

absl::StatusOr<std::unique_ptr<IngestServer>> IngestServer::Create(
    IngestServerOptions options) {
  std::unique_ptr<IngestServer> server(new IngestServer());
  ASSIGN_OR_RETURN(server->security_, auth::ServerSecurity::Create(options.security));
  ASSIGN_OR_RETURN(server->data_,
                   LoadSharedData(options.data_files_dir, options.iso_3166_path));
  server->parser_ = std::make_unique<ArticleParser>();
  if (options.entity_model_path.empty()) {
    RuleEntityExtractorOptions extractor_options;
    extractor_options.common_words_path = options.word_list_path;
    extractor_options.wordnet_dir = options.wordnet_dir;
    server->extractor_ = std::make_unique<RuleEntityExtractor>(server->data_.lexicon.get(),
                                                               extractor_options);
  } else {
    server->word_list_ = WordList::Load(options.word_list_path);
    ASSIGN_OR_RETURN(std::unique_ptr<PerceptronTagger> tagger,
                     PerceptronTagger::Load(options.entity_model_path,
                                            server->data_.lexicon.get(), &server->word_list_));
    LOG(INFO) << "Entity model " << options.entity_model_path << ": "
              << tagger->feature_count() << " features";
    server->extractor_ = std::make_unique<ModelEntityExtractor>(
        server->data_.lexicon.get(), std::move(tagger), options.entity_model_path);
  }
  if (options.topic_model_path.empty()) {
    ASSIGN_OR_RETURN(server->classifier_,
                     KeywordTopicClassifier::Load(
                         server->data_.taxonomy.get(),
                         absl::StrCat(options.data_files_dir, "/topics/topic_terms.tsv")));
  } else {
    ASSIGN_OR_RETURN(server->topic_model_,
                     TopicModel::Load(options.topic_model_path, *server->data_.taxonomy));
    server->classifier_ = std::make_unique<ModelTopicClassifier>(
        server->topic_model_.get(), server->data_.taxonomy.get());
    LOG(INFO) << "topics from the model " << options.topic_model_path << " ("
              << server->topic_model_->codes().size() << " topics)";
  }

  std::string store_description;
  if (options.log_backend == LogBackend::kJetStream) {
    ASSIGN_OR_RETURN(server->jetstream_store_, JetStreamArticleStore::Open(options.jetstream));
    server->store_ = server->jetstream_store_.get();
    server->log_ = server->jetstream_store_.get();
    store_description = absl::StrCat("JetStream stream ", options.jetstream.jetstream.stream);
  } else {
    if (!options.restore_from.empty()) {
      RETURN_IF_ERROR(RestoreStore(options.restore_from, options.data_dir));
    }
    RocksDbArticleStoreOptions store_options;
    store_options.path = options.data_dir;
    store_options.verify_at_open = options.verify_store_at_open;
    ASSIGN_OR_RETURN(server->rocksdb_store_, RocksDbArticleStore::Open(store_options));
    server->store_ = server->rocksdb_store_.get();
    server->log_ = server->rocksdb_store_.get();
    store_description = absl::StrCat("store ", options.data_dir);
  }
  server->alias_table_ = std::make_unique<entities::AliasTable>(server->data_.lexicon.get());
  AliasChangeStore* alias_store = server->rocksdb_store_ != nullptr
                                      ? static_cast<AliasChangeStore*>(server->rocksdb_store_.get())
                                      : server->jetstream_store_.get();
  ASSIGN_OR_RETURN(server->alias_editor_,
                   AliasEditor::Create(server->alias_table_.get(), alias_store, nullptr));
  server->alias_service_ = std::make_unique<EntityAliasServiceImpl>(server->alias_editor_.get());

  server->ingestor_ = std::make_unique<Ingestor>(
      options.ingestor, server->parser_.get(), server->extractor_.get(),
      server->classifier_.get(), server->store_, server->alias_table_.get());
  server->reclassifier_ = std::make_unique<Reclassifier>(server->classifier_.get(),
                                                        server->store_, server->log_);
  server->ingest_service_ = std::make_unique<IngestServiceImpl>(
      server->ingestor_.get(), server->reclassifier_.get(), options.limits.max_concurrent_calls);
  server->log_service_ =
      std::make_unique<ArticleLogServiceImpl>(options.log, server->log_);
  BackupsOptions backups_options;
  backups_options.backup_dir = options.backup_dir;
  server->backups_ =
      std::make_unique<Backups>(std::move(backups_options), server->rocksdb_store_.get());
  server->admin_service_ = std::make_unique<AdminServiceImpl>(server->backups_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  SetReflection(options.enable_reflection, &builder);
  builder.AddListeningPort(options.listen_address, server->security_->credentials(),
                           &server->port_);
  ApplyServerLimits(options.limits, &builder);
  builder.RegisterService(server->ingest_service_.get());
  builder.RegisterService(server->log_service_.get());
  builder.RegisterService(server->alias_service_.get());
  builder.RegisterService(server->admin_service_.get());
  builder.experimental().SetInterceptorCreators(
      metrics::MakeRpcInterceptors(options.rpc, &server->metrics_));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address));
  }
  AddIngestMetrics(server->log_, options.data_dir, &server->metrics_);
  if (!options.http.listen_address.empty()) {
    options.http.rest_services = {"IngestService", "ArticleLogService", "EntityAliasService",
                                  "AdminService"};
    options.http.security = server->security_.get();
    ASSIGN_OR_RETURN(server->http_,
                     HttpEndpoint::Start(options.http, &server->metrics_,
                                         server->server_->InProcessChannel({})));
    LOG(INFO) << "ingest service HTTP (metrics, REST) on port " << server->http_->port();
  }
  // Started last: a Create that fails has no thread to stop.
  if (server->jetstream_store_ != nullptr) {
    server->alias_refresher_ = std::thread([server = server.get(),
                                            interval = options.alias_refresh_interval] {
      while (!server->stop_alias_refresh_.WaitForNotificationWithTimeout(interval)) {
        const absl::Status refreshed = server->alias_editor_->Refresh();
        LOG_IF(WARNING, !refreshed.ok()) << "reading the alias table's changes: " << refreshed;
      }
    });
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  server->server_->GetHealthCheckService()->SetServingStatus(kLivenessService, true);
  server->options_ = std::move(options);
  LOG(INFO) << "ingest service listening on port " << server->port_ << " ("
            << server->security_->Describe() << "), " << store_description
            << " at log sequence " << server->log_->HeadSequence() << ", taxonomy "
            << server->data_.taxonomy->version() << ", entity data "
            << server->extractor_->version();
  return server;
}

IngestServer::~IngestServer() {
  // A server whose Create failed never started: there is nothing to stop.
  if (server_ != nullptr) Shutdown(absl::ZeroDuration());
}

void IngestServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  LOG(INFO) << "ingest service shutting down";
  // A Create that failed part-way leaves some parts unbuilt.
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    // Log streams never finish by themselves: they end within a heartbeat
    // interval of Stop(). Ingest calls in flight finish, then the store
    // closes.
    log_service_->Stop();
    http_.reset();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
  }
  if (alias_refresher_.joinable()) {
    stop_alias_refresh_.Notify();
    alias_refresher_.join();
  }
  if (rocksdb_store_ != nullptr) rocksdb_store_->Close();
  if (jetstream_store_ != nullptr) jetstream_store_->Close();
  LOG(INFO) << "ingest service stopped";
}

void IngestServer::Wait() { server_->Wait(); }

}  // namespace newsdesk::ingest
