// IngestServer::Create failures: a store that cannot be opened is an error
// status, never a crash while the half-built server is torn down.
#include "ingest_service/server.h"

#include "absl/strings/str_cat.h"
#include "common/testing/nats_cluster.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;

TEST(IngestServerTest, UnreachableJetStreamLogFailsCreateCleanly) {
  IngestServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_files_dir = NEWSDESK_DATA_DIR;
  options.log_backend = LogBackend::kJetStream;
  options.jetstream.jetstream.servers = {
      absl::StrCat("nats://127.0.0.1:", testing::FreeLoopbackPort())};
  EXPECT_THAT(IngestServer::Create(options), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace newsdesk::ingest
