// Follows the article log in a NATS JetStream stream with a durable pull
// consumer of its own, one per query replica. The consumer's position is
// kept in the NATS cluster, but the local replica store stays the truth: a
// Follow that starts anywhere else than just after the consumer's
// acknowledged position re-creates the consumer at the requested sequence.
// Each batch is acknowledged (ack-all) after the handler has applied it,
// redelivered entries included. A consumer that stops delivering while the
// stream has more is re-created (see `stall_timeout`). Entries are checked
// against the stream leader's copy (see `verify_with_stream_leader`).
// Unused consumers are removed by the server after `inactive_threshold`.
// A stream that ends before the requested start (it lost acknowledged
// articles, or was deleted and created again) is DATA_LOSS, never followed.
#ifndef QUERY_SERVICE_FOLLOWER_JETSTREAM_ARTICLE_LOG_CLIENT_H_
#define QUERY_SERVICE_FOLLOWER_JETSTREAM_ARTICLE_LOG_CLIENT_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/jetstream/jetstream_connection.h"
#include "query_service/follower/article_log_client.h"

namespace newsdesk::query {

struct JetStreamArticleLogClientOptions {
  jetstream::JetStreamOptions jetstream;
  // Durable consumer name, unique per query replica: letters, digits, '-'
  // and '_'. See DefaultConsumerName().
  std::string consumer;
  // Most entries per batch handed to the handler.
  int max_batch_size = 256;
  // How long one fetch waits for new entries; an empty fetch becomes a
  // heartbeat carrying the stream's head.
  absl::Duration fetch_wait = absl::Milliseconds(500);
  // The server deletes the consumer when no replica has used it this long.
  absl::Duration inactive_threshold = absl::Hours(24);
  // A consumer that delivers nothing this long while the stream holds
  // entries past what was applied is stuck (lost after a server failure, or
  // its pending acknowledgements never cleared, or its leader's server
  // stopped catching up with the stream): its leader is asked to step down,
  // Follow ends with UNAVAILABLE and the next Follow re-creates the consumer
  // if needed.
  absl::Duration stall_timeout = absl::Seconds(10);
  // Check every new entry against the stream leader's copy (one request per
  // entry) and apply the leader's when they differ. A consumer delivers from
  // its own server's copy of the stream, and nats-server 2.9.10 can keep a
  // diverged copy after crashes and pauses (entries that were never
  // committed, in other places); the leader's copy is the one ingest
  // acknowledgements came from.
  bool verify_with_stream_leader = true;
};

// "newsdesk-query-<host name>-<hash of the data directory>": stable across
// restarts of one replica and distinct between replicas, also when several
// run on one host.
std::string DefaultConsumerName(const std::string& data_dir);

class JetStreamArticleLogClient : public ArticleLogClient {
 public:
  static absl::StatusOr<std::unique_ptr<JetStreamArticleLogClient>> Create(
      JetStreamArticleLogClientOptions options);

  absl::Status Follow(int64_t start_sequence, const BatchHandler& handler) override;
  // Closes the connection: a Follow in progress returns at once and later
  // ones fail.
  void Cancel() override;

 private:
  JetStreamArticleLogClient(JetStreamArticleLogClientOptions options,
                            std::unique_ptr<jetstream::JetStreamConnection> connection)
      : options_(std::move(options)), connection_(std::move(connection)) {}

  absl::Status FollowUntilError(int64_t start_sequence, const BatchHandler& handler);
  // Asks the consumer's leader to hand leadership to another server of the
  // stream (JetStream's consumer step-down request); failures are logged.
  void StepDownConsumerLeader();
  // Makes sure the durable consumer delivers from `start_sequence`.
  absl::Status PrepareConsumer(int64_t start_sequence);
  bool cancelled() const;

  const JetStreamArticleLogClientOptions options_;
  std::unique_ptr<jetstream::JetStreamConnection> connection_;
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_FOLLOWER_JETSTREAM_ARTICLE_LOG_CLIENT_H_
