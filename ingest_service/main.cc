// newsdesk-ingest: maps flags and environment variables to
// IngestServerOptions, runs the server and shuts it down on SIGTERM/SIGINT.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/grpc/request_id.h"
#include "common/server/limit_flags.h"
#include "common/server/security_flags.h"
#include "common/server/server_util.h"
#include "glog/logging.h"
#include "ingest_service/server.h"

ABSL_FLAG(std::string, listen, newsdesk::EnvOr("NEWSDESK_INGEST_LISTEN", "127.0.0.1:50051"),
          "host:port to serve on; port 0 picks a free one [env NEWSDESK_INGEST_LISTEN]");
ABSL_FLAG(std::string, data_dir,
          newsdesk::EnvOr("NEWSDESK_INGEST_DATA_DIR", "./newsdesk-data/ingest"),
          "directory of the article store [env NEWSDESK_INGEST_DATA_DIR]");
ABSL_FLAG(bool, verify_store_at_start,
          newsdesk::EnvOr("NEWSDESK_VERIFY_STORE_AT_START", 1) != 0,
          "verify the checksums of the whole article store before serving "
          "[env NEWSDESK_VERIFY_STORE_AT_START=0 turns it off]");
ABSL_FLAG(std::string, backup_dir, newsdesk::EnvOr("NEWSDESK_BACKUP_DIR", ""),
          "directory AdminService.CreateBackup (newsdesk backup) writes backups into; "
          "empty: backups are refused [env NEWSDESK_BACKUP_DIR]");
ABSL_FLAG(std::string, restore_from, "",
          "a backup directory to restore into --data_dir before starting; --data_dir must "
          "be missing or empty");
ABSL_FLAG(std::string, data_files_dir,
          newsdesk::EnvOr("NEWSDESK_DATA_FILES_DIR", NEWSDESK_DEFAULT_DATA_FILES_DIR),
          "directory of the shipped data files: iptc/, entities/, topics/ "
          "[env NEWSDESK_DATA_FILES_DIR]");
ABSL_FLAG(std::string, port_file, newsdesk::EnvOr("NEWSDESK_INGEST_PORT_FILE", ""),
          "write the bound port to this file once serving [env NEWSDESK_INGEST_PORT_FILE]");
ABSL_FLAG(int, max_content_bytes,
          newsdesk::EnvOr("NEWSDESK_MAX_CONTENT_BYTES", 1 << 20),
          "largest article content accepted, in bytes [env NEWSDESK_MAX_CONTENT_BYTES]");
ABSL_FLAG(int, shutdown_grace_seconds, newsdesk::EnvOr("NEWSDESK_SHUTDOWN_GRACE_SECONDS", 10),
          "how long calls in flight may run after SIGTERM [env NEWSDESK_SHUTDOWN_GRACE_SECONDS]");
ABSL_FLAG(std::string, topic_model, newsdesk::EnvOr("NEWSDESK_TOPIC_MODEL", ""),
          "topic model file written by `newsdesk-topics train`; when set, topics come "
          "from it instead of the shipped term table [env NEWSDESK_TOPIC_MODEL]");
ABSL_FLAG(std::string, entity_model, newsdesk::EnvOr("NEWSDESK_ENTITY_MODEL", ""),
          "entity model made by newsdesk-train-entities; empty uses the rule-based "
          "extractor [env NEWSDESK_ENTITY_MODEL]");
ABSL_FLAG(std::string, word_list,
          newsdesk::EnvOr("NEWSDESK_WORD_LIST", "/usr/share/dict/american-english"),
          "English word list for entity extraction (Debian's wamerican) "
          "[env NEWSDESK_WORD_LIST]");
ABSL_FLAG(std::string, wordnet, newsdesk::EnvOr("NEWSDESK_WORDNET_DIR", "/usr/share/wordnet"),
          "WordNet's folder (Debian's wordnet-base), whose names type the entities the "
          "rule-based extractor does not know; empty for none [env NEWSDESK_WORDNET_DIR]");
ABSL_FLAG(int, max_log_subscribers, newsdesk::EnvOr("NEWSDESK_MAX_LOG_SUBSCRIBERS", 64),
          "article log streams open at once; more are refused with RESOURCE_EXHAUSTED "
          "[env NEWSDESK_MAX_LOG_SUBSCRIBERS]");
ABSL_FLAG(bool, reflection, true, "serve gRPC server reflection");
ABSL_FLAG(std::string, http_listen, newsdesk::EnvOr("NEWSDESK_INGEST_HTTP_LISTEN", ""),
          "host:port of the HTTP endpoint: Prometheus /metrics and the REST door "
          "/v1/{Service}/{Method}; empty: none (e.g. 127.0.0.1:9451) [env NEWSDESK_INGEST_HTTP_LISTEN]");
ABSL_FLAG(std::string, http_port_file, newsdesk::EnvOr("NEWSDESK_INGEST_HTTP_PORT_FILE", ""),
          "write the bound HTTP port to this file once serving [env NEWSDESK_INGEST_HTTP_PORT_FILE]");
ABSL_FLAG(bool, access_log, newsdesk::EnvOr("NEWSDESK_ACCESS_LOG", 0) != 0,
          "log one line per RPC with its request id [env NEWSDESK_ACCESS_LOG=1]");
ABSL_FLAG(std::string, log_backend, newsdesk::EnvOr("NEWSDESK_LOG_BACKEND", "embedded"),
          "where articles are stored and published: embedded (RocksDB in --data_dir) or "
          "jetstream (a NATS JetStream stream shared by ingest replicas) "
          "[env NEWSDESK_LOG_BACKEND]");
ABSL_FLAG(std::string, nats_servers, newsdesk::EnvOr("NEWSDESK_NATS_SERVERS", ""),
          "comma-separated NATS server URLs, with --log_backend=jetstream "
          "[env NEWSDESK_NATS_SERVERS]");
ABSL_FLAG(std::string, jetstream_stream,
          newsdesk::EnvOr("NEWSDESK_JETSTREAM_STREAM", "NEWSDESK_ARTICLES"),
          "JetStream stream of the article log [env NEWSDESK_JETSTREAM_STREAM]");
ABSL_FLAG(int, jetstream_replicas, newsdesk::EnvOr("NEWSDESK_JETSTREAM_REPLICAS", 3),
          "copies of the stream the NATS cluster keeps, when this replica creates it: 3 "
          "survives the loss of one server, 1 is for a single NATS server "
          "[env NEWSDESK_JETSTREAM_REPLICAS]");

int main(int argc, char** argv) {
  newsdesk::TurnOffMutexDeadlockDetection();
  newsdesk::BlockTerminationSignals();
  absl::SetProgramUsageMessage("newsdesk ingest service: parses and stores articles");
  absl::ParseCommandLine(argc, argv);
  FLAGS_logtostderr = true;
  newsdesk::InitLoggingWithRequestIds(argv[0]);

  newsdesk::ingest::IngestServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.data_files_dir = absl::GetFlag(FLAGS_data_files_dir);
  options.limits = newsdesk::ServerLimitsFromFlags();
  options.log.max_subscribers = absl::GetFlag(FLAGS_max_log_subscribers);
  options.verify_store_at_open = absl::GetFlag(FLAGS_verify_store_at_start);
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  options.restore_from = absl::GetFlag(FLAGS_restore_from);
  options.ingestor.max_content_bytes = absl::GetFlag(FLAGS_max_content_bytes);
  options.topic_model_path = absl::GetFlag(FLAGS_topic_model);
  options.enable_reflection = absl::GetFlag(FLAGS_reflection);
  options.security = newsdesk::ServerSecurityOptionsFromFlags();
  options.entity_model_path = absl::GetFlag(FLAGS_entity_model);
  options.word_list_path = absl::GetFlag(FLAGS_word_list);
  options.wordnet_dir = absl::GetFlag(FLAGS_wordnet);
  options.http.listen_address = absl::GetFlag(FLAGS_http_listen);
  options.rpc.access_log = absl::GetFlag(FLAGS_access_log);
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
    options.jetstream.jetstream.replicas = absl::GetFlag(FLAGS_jetstream_replicas);
    options.jetstream.jetstream.client_name = "newsdesk-ingest";
  }

  auto server = newsdesk::ingest::IngestServer::Create(std::move(options));
  if (!server.ok()) {
    LOG(ERROR) << "cannot start the ingest service: " << server.status();
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
