// newsdesk-query: maps flags and environment variables to
// QueryServerOptions, runs the server and shuts it down on SIGTERM/SIGINT.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/server/server_util.h"
#include "glog/logging.h"
#include "query_service/server.h"

ABSL_FLAG(std::string, listen, newsdesk::EnvOr("NEWSDESK_QUERY_LISTEN", "127.0.0.1:50052"),
          "host:port to serve on; port 0 picks a free one [env NEWSDESK_QUERY_LISTEN]");
ABSL_FLAG(std::string, ingest_address,
          newsdesk::EnvOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051"),
          "host:port of the ingest service to follow [env NEWSDESK_INGEST_ADDRESS]");
ABSL_FLAG(std::string, data_dir,
          newsdesk::EnvOr("NEWSDESK_QUERY_DATA_DIR", "./newsdesk-data/query"),
          "directory of the local replica [env NEWSDESK_QUERY_DATA_DIR]");
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

int main(int argc, char** argv) {
  newsdesk::BlockTerminationSignals();
  absl::SetProgramUsageMessage("newsdesk query service: answers article queries");
  absl::ParseCommandLine(argc, argv);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);

  newsdesk::query::QueryServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.ingest_address = absl::GetFlag(FLAGS_ingest_address);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.data_files_dir = absl::GetFlag(FLAGS_data_files_dir);
  options.enable_reflection = absl::GetFlag(FLAGS_reflection);
  options.http.listen_address = absl::GetFlag(FLAGS_http_listen);
  options.rpc.access_log = absl::GetFlag(FLAGS_access_log);

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
