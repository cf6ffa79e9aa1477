#include "query_service/server.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/health_client.h"
#include "common/grpc/reflection.h"
#include "common/entities/name_key.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"
#include "query_service/query_metrics.h"

namespace newsdesk::query {

absl::StatusOr<std::unique_ptr<QueryServer>> QueryServer::Create(QueryServerOptions options) {
  RETURN_IF_ERROR(ValidateStoryTrackerOptions(options.stories));
  std::unique_ptr<QueryServer> server(new QueryServer());
  ASSIGN_OR_RETURN(server->security_, auth::ServerSecurity::Create(options.security));
  ASSIGN_OR_RETURN(server->data_,
                   LoadSharedData(options.data_files_dir, options.iso_3166_path));
  ASSIGN_OR_RETURN(server->replica_, ReplicaStore::Open(options.data_dir, options.replica));
  server->stories_ = std::make_unique<StoryTracker>(options.stories, server->data_.taxonomy.get());
  server->index_ = std::make_unique<ArticleIndex>(
      server->data_.taxonomy.get(), &entities::NameKey, server->data_.lexicon.get(),
      server->stories_.get(), server->replica_.get(), options.links);
  ArticleIndex* index = server->index_.get();

  server->engine_ = std::make_unique<QueryEngine>(
      options.engine, index, server->data_.taxonomy.get());
  server->story_queries_ = std::make_unique<StoryQueries>(
      options.engine, server->stories_.get(), server->engine_.get(),
      server->data_.taxonomy.get());
  server->watches_ = std::make_unique<WatchRegistry>(
      options.watch, index, server->data_.taxonomy.get(),
      [engine = server->engine_.get()](absl::string_view name) {
        return engine->ResolveEntity(name);
      });
  server->service_ = std::make_unique<QueryServiceImpl>(
      server->engine_.get(), server->story_queries_.get(), server->watches_.get(),
      options.limits.max_concurrent_calls);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  SetReflection(options.enable_reflection, &builder);
  builder.AddListeningPort(options.listen_address, server->security_->credentials(),
                           &server->port_);
  ApplyServerLimits(options.limits, &builder);
  builder.RegisterService(server->service_.get());
  builder.experimental().SetInterceptorCreators(
      metrics::MakeRpcInterceptors(options.rpc, &server->metrics_));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_address));
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(false);
  // "liveness" reports that the process answers at all, also while it
  // catches up with the log; the server as a whole ("") is SERVING only
  // once caught up (readiness).
  health->SetServingStatus(kLivenessService, true);

  std::string log_description;
  if (options.log_backend == LogBackend::kJetStream) {
    JetStreamArticleLogClientOptions client_options = options.jetstream;
    if (client_options.consumer.empty()) {
      client_options.consumer = DefaultConsumerName(options.data_dir);
    }
    log_description = absl::StrCat("JetStream stream ", client_options.jetstream.stream,
                                   " as consumer ", client_options.consumer);
    ASSIGN_OR_RETURN(server->log_client_,
                     JetStreamArticleLogClient::Create(std::move(client_options)));
  } else {
    // Reconnect quickly when the ingest service comes back: gRPC's default
    // reconnect backoff grows to two minutes.
    grpc::ChannelArguments channel_args;
    channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    // A log message holds at least one whole article, which may be larger
    // than gRPC's default limit of 4 MiB once parsed.
    channel_args.SetMaxReceiveMessageSize(64 << 20);
    ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> link_credentials,
                     auth::MakeChannelCredentials(options.ingest_security));
    server->log_client_ = std::make_unique<GrpcArticleLogClient>(grpc::CreateCustomChannel(
        options.ingest_address, link_credentials, channel_args));
    log_description = absl::StrCat("the article log at ", options.ingest_address);
  }
  LogFollowerOptions follower_options = options.follower;
  follower_options.stop_when_log_is_behind = options.log_backend == LogBackend::kEmbedded;
  // Watchers get each article once indexed, or, watching stories, once
  // linked (with its story); the server is ready once the log it found at
  // the start is indexed and linked.
  server->link_stage_ = std::make_unique<LinkStage>(
      options.link_stage, index,
      [watches = server->watches_.get()](const std::shared_ptr<const Article>& article) {
        watches->Publish(article, /*linked=*/true);
      });
  server->follower_ = std::make_unique<LogFollower>(
      follower_options, server->log_client_.get(), server->replica_.get(), index,
      [server = server.get(), health, index] {
        server->link_stage_->WhenLinked(index->head(), [server, health] {
          server->ready_ = true;
          health->SetServingStatus(true);
          LOG(INFO) << "linked the article log up to where it was caught up; serving";
        });
      },
      [watches = server->watches_.get(), delay = IndexDelayRecorder(&server->metrics_)](
          const std::shared_ptr<const Article>& article) {
        delay(*article);
        watches->Publish(article, /*linked=*/false);
      },
      [server = server.get(), health] {
        server->ready_ = false;
        health->SetServingStatus(false);
      });
  server->link_stage_->Start();
  server->loader_ = std::thread([server = server.get(),
                                 repair = options.replica.rebuild_if_corrupt] {
    server->LoadThenFollow(repair);
  });
  AddQueryMetrics(index, server->follower_.get(), server->link_stage_.get(), options.data_dir,
                  &server->metrics_);
  if (!options.http.listen_address.empty()) {
    options.http.rest_services = {"QueryService"};
    options.http.security = server->security_.get();
    ASSIGN_OR_RETURN(server->http_,
                     HttpEndpoint::Start(options.http, &server->metrics_,
                                         server->server_->InProcessChannel({})));
    LOG(INFO) << "query service HTTP (metrics, REST) on port " << server->http_->port();
  }
  LOG(INFO) << "query service listening on port " << server->port_ << " ("
            << server->security_->Describe()
            << "); loading the local replica at " << options.data_dir
            << ", then following " << log_description;
  return server;
}

void QueryServer::LoadThenFollow(bool repair) {
  const absl::Time start = absl::Now();
  // Until the log stream reports its head, the lag metric counts what is
  // left of the replica to load.
  follower_->NoteLogHead(replica_->head());
  absl::Status loaded = replica_->ForEach([this](LogEntry entry) {
    if (stop_loading_.load()) return absl::CancelledError("the query service is stopping");
    return index_->Apply(std::move(entry));
  });
  if (stop_loading_.load()) return;
  if (absl::IsDataLoss(loaded) && repair) {
    // The entries the index applied are sound; the rest come from the log.
    LOG(ERROR) << loaded << "; dropping the local replica's entries after log sequence "
               << index_->head() << " and fetching them from the article log again";
    loaded = replica_->TruncateAfter(index_->head());
  }
  if (!loaded.ok()) {
    LOG(ERROR) << "cannot load the local replica: " << loaded
               << "; the query service will not follow the article log";
    server_->GetHealthCheckService()->SetServingStatus(kLivenessService, false);
    return;
  }
  LOG(INFO) << "loaded " << index_->sizes().articles << " articles (" << index_->head()
            << " log entries) from the local replica in " << absl::Now() - start
            << "; following the article log from sequence " << index_->head() + 1;
  follower_->Start();
}

QueryServer::~QueryServer() { Shutdown(absl::ZeroDuration()); }

void QueryServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  // A Create that failed part-way leaves some parts unbuilt.
  LOG(INFO) << "query service shutting down";
  if (server_ != nullptr) server_->GetHealthCheckService()->SetServingStatus(false);
  stop_loading_ = true;
  if (loader_.joinable()) loader_.join();  // before the follower it may start
  if (follower_ != nullptr) follower_->Stop();
  if (link_stage_ != nullptr) link_stage_->Stop();
  if (watches_ != nullptr) watches_->Close();  // ends the streams
  http_.reset();
  if (server_ != nullptr) {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
  }
  replica_.reset();
  LOG(INFO) << "query service stopped";
}

}  // namespace newsdesk::query
