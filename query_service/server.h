// The query server: owns the local replica, the index, the log follower and
// the gRPC server (QueryService, health, reflection). It listens as soon as
// the replica is open: the index is loaded from the replica on a thread of
// its own, and the follower starts after it. Health is NOT_SERVING until the
// follower has caught up with the article log after a start, and again once
// the log is found behind the local replica (a restored ingest store): the
// replica must then be rebuilt. The "liveness" service is SERVING from the
// start, so a large replica loading (minutes at a million articles) is not
// taken for a hung process; it turns NOT_SERVING only when the replica
// cannot be loaded.
#ifndef QUERY_SERVICE_SERVER_H_
#define QUERY_SERVICE_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "common/auth/grpc_security.h"
#include "absl/time/time.h"
#include "common/data/shared_data.h"
#include "common/grpc/server_limits.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/rpc_interceptor.h"
#include "common/server/http_endpoint.h"
#include "grpcpp/server.h"
#include "query_service/core/query_engine.h"
#include "query_service/core/watch_registry.h"
#include "common/server/log_backend.h"
#include "query_service/follower/article_log_client.h"
#include "query_service/follower/jetstream_article_log_client.h"
#include "query_service/follower/link_stage.h"
#include "query_service/follower/log_follower.h"
#include "query_service/grpc/query_service_impl.h"
#include "query_service/index/article_index.h"
#include "query_service/replica/replica_store.h"

namespace newsdesk::query {

struct QueryServerOptions {
  // host:port to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:50052";
  // Which article log to follow: the ingest service's (embedded) or a
  // JetStream stream.
  LogBackend log_backend = LogBackend::kEmbedded;
  // host:port of the ingest service whose article log is followed, with
  // log_backend kEmbedded.
  std::string ingest_address = "127.0.0.1:50051";
  // The stream and this replica's consumer, with log_backend kJetStream. An
  // empty consumer name means DefaultConsumerName(data_dir).
  JetStreamArticleLogClientOptions jetstream;
  // Directory of the local replica of the log.
  std::string data_dir = "./newsdesk-data/query";
  // Checks of the local replica at start; a damaged one is rebuilt from the
  // log unless rebuild_if_corrupt is off (then the start fails).
  ReplicaStoreOptions replica;
  // Directory of the shipped data files (iptc/, entities/).
  std::string data_files_dir;
  std::string iso_3166_path = "/usr/share/iso-codes/json/iso_3166-1.json";
  QueryEngineOptions engine;
  // Near-copy detection and story grouping as articles are indexed; Create
  // refuses options ValidateStoryTrackerOptions refuses (the --story_* flags).
  StoryTrackerOptions stories;
  // What callers can make the server hold: calls at once, message sizes,
  // memory, keepalive (common/grpc/server_limits.h).
  ServerLimits limits;
  // Standing queries (WatchArticles): most at once, queue per watcher.
  WatchRegistryOptions watch;
  LogFollowerOptions follower;
  // The link stage (stories and near-copies) behind indexing: its queue's
  // bound and its retry backoff.
  LinkOptions links{/*deferred=*/true};
  LinkStageOptions link_stage;
  bool enable_reflection = true;
  // TLS of the gRPC and HTTP ports and who may call what
  // (common/auth/grpc_security.h). Authentication is on unless
  // security.dev_mode_no_auth.
  auth::ServerSecurityOptions security;
  // How the log link reaches the ingest service (log_backend kEmbedded):
  // TLS, a client certificate, and the token of a principal with role replica.
  auth::ClientSecurityOptions ingest_security;
  // Metrics and the REST door on an HTTP port (none when its address is
  // empty); request ids and the access log of every call.
  HttpEndpointOptions http;
  metrics::RpcInterceptorOptions rpc;
};

class QueryServer {
 public:
  // Loads the data files, opens the replica and starts serving; loading the
  // index from the replica and then following the log go on in the
  // background. Queries meanwhile see the articles loaded so far, as while
  // catching up with the log.
  static absl::StatusOr<std::unique_ptr<QueryServer>> Create(QueryServerOptions options);
  ~QueryServer();

  int port() const { return port_; }
  // The HTTP port bound, or 0 when there is no HTTP endpoint.
  int http_port() const { return http_ ? http_->port() : 0; }

  // True once the index has caught up with the log after the start, and
  // linked it (readiness: SERVING).
  bool ready() const { return ready_.load(); }

  // Stops following the log, lets calls in flight finish for up to `grace`
  // and closes the replica.
  void Shutdown(absl::Duration grace);

 private:
  QueryServer() = default;
  // Applies every entry of the local replica to the index, then starts the
  // follower. A damaged entry with `repair` drops it and the entries after
  // it from the replica (the follower fetches them from the log again);
  // otherwise, or on any other error, liveness turns NOT_SERVING and the
  // follower does not start.
  void LoadThenFollow(bool repair);

  metrics::MetricsRegistry metrics_;
  SharedData data_;
  std::unique_ptr<ReplicaStore> replica_;
  std::unique_ptr<StoryTracker> stories_;  // the index's linker
  std::unique_ptr<ArticleIndex> index_;
  std::unique_ptr<QueryEngine> engine_;
  std::unique_ptr<StoryQueries> story_queries_;
  std::unique_ptr<WatchRegistry> watches_;
  std::unique_ptr<QueryServiceImpl> service_;
  std::unique_ptr<ArticleLogClient> log_client_;
  std::unique_ptr<LogFollower> follower_;
  std::unique_ptr<LinkStage> link_stage_;
  std::atomic<bool> ready_{false};
  std::unique_ptr<auth::ServerSecurity> security_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpEndpoint> http_;
  std::thread loader_;  // LoadThenFollow
  std::atomic<bool> stop_loading_{false};
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_SERVER_H_
