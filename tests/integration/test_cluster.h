// One ingest service and one query service as real processes on loopback
// ports, each with its own data directory under a test's work directory,
// for integration tests. Either service can be killed and started again on
// the same data directory and port.
#ifndef TESTS_INTEGRATION_TEST_CLUSTER_H_
#define TESTS_INTEGRATION_TEST_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/security/credentials.h>

#include "absl/status/status.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace newsdesk::testing {

// How the cluster's services are secured and how the test reaches them.
// The default is the local development mode: plaintext, no authentication.
struct ClusterSecurity {
  std::vector<std::string> ingest_flags = {"--dev_mode_no_auth"};
  std::vector<std::string> query_flags = {"--dev_mode_no_auth"};
  // What the cluster's stubs and health checks connect with.
  std::shared_ptr<grpc::ChannelCredentials> client_credentials =
      grpc::InsecureChannelCredentials();
};

class TestCluster {
 public:
  // Creates `work_dir` plus the process id afresh, so test processes that
  // run at once never share one.
  explicit TestCluster(std::string work_dir);
  // Stops both services; removes the work directory unless a test failed,
  // so its logs stay for a look.
  ~TestCluster();

  // Applies to the services started after it.
  void set_security(ClusterSecurity security) { security_ = std::move(security); }

  // Starts (or restarts) a service. A restart keeps the data directory and
  // the port of the first start. `extra_flags` go to newsdesk-ingest.
  absl::Status StartIngest(const std::vector<std::string>& extra_flags = {});
  absl::Status StartQuery(const std::vector<std::string>& extra_flags = {});

  // Waits until the query service reports SERVING on grpc.health.v1.
  absl::Status WaitQueryServing(absl::Duration timeout = absl::Seconds(30));

  // Address of the ingest service; stays the same across restarts.
  std::string ingest_address() const { return "127.0.0.1:" + std::to_string(ingest_port_); }
  std::string query_address() const { return "127.0.0.1:" + std::to_string(query_port_); }

  // Where the services' data directories (ingest-data, query-data) and logs
  // are.
  const std::string& work_dir() const { return work_dir_; }

  ServiceProcess* ingest() { return ingest_.get(); }
  ServiceProcess* query() { return query_.get(); }
  v1::IngestService::Stub* ingest_stub() { return ingest_stub_.get(); }
  v1::QueryService::Stub* query_stub() { return query_stub_.get(); }

  // Every article the query service has, read page by page.
  absl::StatusOr<std::vector<v1::Article>> AllArticles(int page_size = 1000);

  // Waits until the query service has at least `count` articles, indexed
  // and linked (stories, near-copies).
  absl::Status WaitForArticleCount(int64_t count, absl::Duration timeout = absl::Seconds(30));

 private:
  std::shared_ptr<grpc::Channel> Channel(int port) const;

  std::string work_dir_;
  ClusterSecurity security_;
  int ingest_port_ = 0;
  int query_port_ = 0;
  std::unique_ptr<ServiceProcess> ingest_;
  std::unique_ptr<ServiceProcess> query_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<v1::QueryService::Stub> query_stub_;
};

}  // namespace newsdesk::testing

#endif  // TESTS_INTEGRATION_TEST_CLUSTER_H_
