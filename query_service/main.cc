// newsdesk-query: maps flags and environment variables to
// QueryServerOptions, runs the server and shuts it down on SIGTERM/SIGINT.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/grpc/request_id.h"
#include "common/server/limit_flags.h"
#include "common/server/security_flags.h"
#include "common/server/server_util.h"
#include "glog/logging.h"
#include "query_service/server.h"
#include "query_service/story_flags.h"

ABSL_FLAG(std::string, listen, newsdesk::EnvOr("NEWSDESK_QUERY_LISTEN", "127.0.0.1:50052"),
          "host:port to serve on; port 0 picks a free one [env NEWSDESK_QUERY_LISTEN]");
ABSL_FLAG(std::string, ingest_address,
          newsdesk::EnvOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051"),
          "host:port of the ingest service to follow [env NEWSDESK_INGEST_ADDRESS]");
ABSL_FLAG(std::string, ingest_tls_ca, newsdesk::EnvOr("NEWSDESK_INGEST_TLS_CA", ""),
          "PEM file of the CA of the ingest service's certificate: the log link uses TLS "
          "[env NEWSDESK_INGEST_TLS_CA]");
ABSL_FLAG(std::string, ingest_tls_cert, newsdesk::EnvOr("NEWSDESK_INGEST_TLS_CERT", ""),
          "PEM file of the client certificate the log link presents (mutual TLS), with "
          "--ingest_tls_key [env NEWSDESK_INGEST_TLS_CERT]");
ABSL_FLAG(std::string, ingest_tls_key, newsdesk::EnvOr("NEWSDESK_INGEST_TLS_KEY", ""),
          "PEM file of that client certificate's key [env NEWSDESK_INGEST_TLS_KEY]");
ABSL_FLAG(std::string, token_file, "",
          "file holding the bearer token of the log link (a principal with role replica); "
          "default: the environment variable NEWSDESK_TOKEN");
ABSL_FLAG(std::string, data_dir,
          newsdesk::EnvOr("NEWSDESK_QUERY_DATA_DIR", "./newsdesk-data/query"),
          "directory of the local replica [env NEWSDESK_QUERY_DATA_DIR]");
ABSL_FLAG(int, replica_cache_mib,
          newsdesk::EnvOr("NEWSDESK_REPLICA_CACHE_MIB",
                          static_cast<int>(newsdesk::query::ReplicaStoreOptions::
                                               kDefaultBlockCacheBytes >> 20)),
          "MiB of the local replica's block cache, through which pages read their "
          "articles [env NEWSDESK_REPLICA_CACHE_MIB]");
ABSL_FLAG(bool, verify_replica_at_start,
          newsdesk::EnvOr("NEWSDESK_VERIFY_REPLICA_AT_START", 1) != 0,
          "verify the checksums of the local replica before loading it "
          "[env NEWSDESK_VERIFY_REPLICA_AT_START=0 turns it off]");
ABSL_FLAG(bool, rebuild_damaged_replica,
          newsdesk::EnvOr("NEWSDESK_REBUILD_DAMAGED_REPLICA", 1) != 0,
          "delete a local replica found damaged at start and fetch the whole log again "
          "(an entry found damaged while loading: fetch the log from it on); off: a "
          "damaged replica fails the start [env NEWSDESK_REBUILD_DAMAGED_REPLICA]");
ABSL_FLAG(std::string, data_files_dir,
          newsdesk::EnvOr("NEWSDESK_DATA_FILES_DIR", NEWSDESK_DEFAULT_DATA_FILES_DIR),
          "directory of the shipped data files: iptc/, entities/ [env NEWSDESK_DATA_FILES_DIR]");
ABSL_FLAG(std::string, port_file, newsdesk::EnvOr("NEWSDESK_QUERY_PORT_FILE", ""),
          "write the bound port to this file once serving [env NEWSDESK_QUERY_PORT_FILE]");
ABSL_FLAG(int, shutdown_grace_seconds, newsdesk::EnvOr("NEWSDESK_SHUTDOWN_GRACE_SECONDS", 10),
          "how long calls in flight may run after SIGTERM [env NEWSDESK_SHUTDOWN_GRACE_SECONDS]");
ABSL_FLAG(bool, reflection, true, "serve gRPC server reflection");
ABSL_FLAG(std::string, http_listen, newsdesk::EnvOr("NEWSDESK_QUERY_HTTP_LISTEN", ""),
          "host:port of the HTTP endpoint: Prometheus /metrics and the REST door "
          "/v1/{Service}/{Method}; empty: none (e.g. 127.0.0.1:9452) [env NEWSDESK_QUERY_HTTP_LISTEN]");
ABSL_FLAG(std::string, http_port_file, newsdesk::EnvOr("NEWSDESK_QUERY_HTTP_PORT_FILE", ""),
          "write the bound HTTP port to this file once serving [env NEWSDESK_QUERY_HTTP_PORT_FILE]");
ABSL_FLAG(bool, access_log, newsdesk::EnvOr("NEWSDESK_ACCESS_LOG", 0) != 0,
          "log one line per RPC with its request id [env NEWSDESK_ACCESS_LOG=1]");
ABSL_FLAG(std::string, log_backend, newsdesk::EnvOr("NEWSDESK_LOG_BACKEND", "embedded"),
          "which article log to follow: embedded (the ingest service's, at --ingest_address) "
          "or jetstream (a NATS JetStream stream) [env NEWSDESK_LOG_BACKEND]");
ABSL_FLAG(std::string, nats_servers, newsdesk::EnvOr("NEWSDESK_NATS_SERVERS", ""),
          "comma-separated NATS server URLs, with --log_backend=jetstream "
          "[env NEWSDESK_NATS_SERVERS]");
ABSL_FLAG(std::string, jetstream_stream,
          newsdesk::EnvOr("NEWSDESK_JETSTREAM_STREAM", "NEWSDESK_ARTICLES"),
          "JetStream stream of the article log [env NEWSDESK_JETSTREAM_STREAM]");
ABSL_FLAG(std::string, jetstream_consumer, newsdesk::EnvOr("NEWSDESK_JETSTREAM_CONSUMER", ""),
          "durable consumer name of this replica; default newsdesk-query-<host>-<hash of "
          "--data_dir> [env NEWSDESK_JETSTREAM_CONSUMER]");
ABSL_FLAG(bool, jetstream_verify_with_leader,
          newsdesk::EnvBoolOr("NEWSDESK_JETSTREAM_VERIFY_WITH_LEADER", true),
          "check every log entry a consumer delivers against the stream leader's copy "
          "(one request per entry; nats-server 2.9 can keep diverged copies of a stream) "
          "[env NEWSDESK_JETSTREAM_VERIFY_WITH_LEADER]");
ABSL_FLAG(int, max_log_wait_ms, newsdesk::EnvOr("NEWSDESK_MAX_LOG_WAIT_MS", 5000),
          "longest a query with min_log_position waits for this replica to reach it "
          "[env NEWSDESK_MAX_LOG_WAIT_MS]");
ABSL_FLAG(int, link_stage_nice, newsdesk::EnvOr("NEWSDESK_LINK_STAGE_NICE", 10),
          "added to the nice value of the thread that links stories and near-copies, so "
          "that indexing and queries come first on a busy machine (0: the same priority) "
          "[env NEWSDESK_LINK_STAGE_NICE]");
ABSL_FLAG(int, max_watchers, newsdesk::EnvOr("NEWSDESK_MAX_WATCHERS", 100),
          "most WatchArticles streams at once; more get RESOURCE_EXHAUSTED "
          "[env NEWSDESK_MAX_WATCHERS]");
ABSL_FLAG(int, watch_queue, newsdesk::EnvOr("NEWSDESK_WATCH_QUEUE", 1000),
          "matching articles queued for one WatchArticles stream before a client that "
          "reads too slowly is cut off with RESOURCE_EXHAUSTED [env NEWSDESK_WATCH_QUEUE]");

int main(int argc, char** argv) {
  newsdesk::TurnOffMutexDeadlockDetection();
  newsdesk::BlockTerminationSignals();
  absl::SetProgramUsageMessage("newsdesk query service: answers article queries");
  absl::ParseCommandLine(argc, argv);
  FLAGS_logtostderr = true;
  newsdesk::InitLoggingWithRequestIds(argv[0]);

  newsdesk::query::QueryServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.ingest_address = absl::GetFlag(FLAGS_ingest_address);
  options.ingest_security.tls_ca = absl::GetFlag(FLAGS_ingest_tls_ca);
  options.ingest_security.tls_cert = absl::GetFlag(FLAGS_ingest_tls_cert);
  options.ingest_security.tls_key = absl::GetFlag(FLAGS_ingest_tls_key);
  absl::StatusOr<std::string> token = newsdesk::auth::ReadToken(absl::GetFlag(FLAGS_token_file));
  if (!token.ok()) {
    LOG(ERROR) << token.status();
    return EXIT_FAILURE;
  }
  options.ingest_security.token = *std::move(token);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.replica.verify_at_open = absl::GetFlag(FLAGS_verify_replica_at_start);
  options.replica.rebuild_if_corrupt = absl::GetFlag(FLAGS_rebuild_damaged_replica);
  options.replica.block_cache_bytes = int64_t{absl::GetFlag(FLAGS_replica_cache_mib)} << 20;
  options.data_files_dir = absl::GetFlag(FLAGS_data_files_dir);
  options.limits = newsdesk::ServerLimitsFromFlags();
  options.enable_reflection = absl::GetFlag(FLAGS_reflection);
  options.security = newsdesk::ServerSecurityOptionsFromFlags();
  options.http.listen_address = absl::GetFlag(FLAGS_http_listen);
  options.rpc.access_log = absl::GetFlag(FLAGS_access_log);
  options.engine.max_log_wait = absl::Milliseconds(absl::GetFlag(FLAGS_max_log_wait_ms));
  options.watch.max_watchers = absl::GetFlag(FLAGS_max_watchers);
  options.watch.queue_capacity = absl::GetFlag(FLAGS_watch_queue);
  options.link_stage.nice_increment = absl::GetFlag(FLAGS_link_stage_nice);
  absl::StatusOr<newsdesk::query::StoryTrackerOptions> stories =
      newsdesk::query::StoryTrackerOptionsFromFlags();
  if (!stories.ok()) {
    LOG(ERROR) << "cannot start the query service: " << stories.status().message();
    return EXIT_FAILURE;
  }
  options.stories = *std::move(stories);
  absl::StatusOr<newsdesk::LogBackend> backend =
      newsdesk::ParseLogBackend(absl::GetFlag(FLAGS_log_backend));
  if (!backend.ok()) {
    LOG(ERROR) << backend.status();
    return EXIT_FAILURE;
  }
  options.log_backend = *backend;
  if (options.log_backend == newsdesk::LogBackend::kJetStream) {
    auto servers = newsdesk::jetstream::ParseServerList(absl::GetFlag(FLAGS_nats_servers));
    if (!servers.ok()) {
      LOG(ERROR) << servers.status();
      return EXIT_FAILURE;
    }
    options.jetstream.jetstream.servers = *std::move(servers);
    options.jetstream.jetstream.stream = absl::GetFlag(FLAGS_jetstream_stream);
    options.jetstream.jetstream.client_name = "newsdesk-query";
    options.jetstream.consumer = absl::GetFlag(FLAGS_jetstream_consumer);
    options.jetstream.verify_with_stream_leader =
        absl::GetFlag(FLAGS_jetstream_verify_with_leader);
  }

  auto server = newsdesk::query::QueryServer::Create(std::move(options));
  if (!server.ok()) {
    LOG(ERROR) << "cannot start the query service: " << server.status();
    return EXIT_FAILURE;
  }
  if (absl::Status s = newsdesk::WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
      !s.ok()) {
    LOG(ERROR) << s;
    return EXIT_FAILURE;
  }
  if ((*server)->http_port() != 0) {
    if (absl::Status s = newsdesk::WritePortFile(absl::GetFlag(FLAGS_http_port_file),
                                                 (*server)->http_port());
        !s.ok()) {
      LOG(ERROR) << s;
      return EXIT_FAILURE;
    }
  }
  const int signal = newsdesk::WaitForTerminationSignal();
  LOG(INFO) << "signal " << signal << " received";
  (*server)->Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return EXIT_SUCCESS;
}
