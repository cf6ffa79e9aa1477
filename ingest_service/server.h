// The ingest server: owns the store, the parsing and extraction pipeline and
// the gRPC server (IngestService, ArticleLogService, health, reflection).
#ifndef INGEST_SERVICE_SERVER_H_
#define INGEST_SERVICE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/data/shared_data.h"
#include "grpcpp/server.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/grpc/article_log_service_impl.h"
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
  // The JetStream stream, with log_backend kJetStream.
  JetStreamArticleStoreOptions jetstream;
  // Directory of the shipped data files (iptc/, entities/, topics/).
  std::string data_files_dir;
  // Debian iso-codes country list, used when present.
  std::string iso_3166_path = "/usr/share/iso-codes/json/iso_3166-1.json";
  IngestorOptions ingestor;
  ArticleLogServiceOptions log;
  // Largest request message accepted, in bytes: content plus metadata.
  int max_receive_message_bytes = 4 << 20;
  bool enable_reflection = true;
};

class IngestServer {
 public:
  // Loads the data files, opens the store and starts serving.
  static absl::StatusOr<std::unique_ptr<IngestServer>> Create(IngestServerOptions options);
  ~IngestServer();

  // The port actually bound.
  int port() const { return port_; }

  // Stops taking calls, lets calls in flight finish for up to `grace`
  // (cancelling the rest), ends log streams and closes the store cleanly.
  void Shutdown(absl::Duration grace);

  // Blocks until Shutdown has completed.
  void Wait();

 private:
  IngestServer() = default;

  IngestServerOptions options_;
  SharedData data_;
  std::unique_ptr<ArticleParser> parser_;
  std::unique_ptr<EntityExtractor> extractor_;
  std::unique_ptr<TopicClassifier> classifier_;
  // One of the two backends is open; store_ and log_ point into it.
  std::unique_ptr<RocksDbArticleStore> rocksdb_store_;
  std::unique_ptr<JetStreamArticleStore> jetstream_store_;
  ArticleStore* store_ = nullptr;
  ArticleLog* log_ = nullptr;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<ArticleLogServiceImpl> log_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_SERVER_H_
