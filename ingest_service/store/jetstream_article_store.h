// The cluster article store and log: a NATS JetStream stream replicated by
// the NATS cluster (see common/jetstream/jetstream_connection.h for its
// layout). Any number of ingest replicas write to the same stream; the ingest
// process itself keeps no state.
//
// What a successful Put means: the stream leader has stored the article and
// a majority of the stream's replicas (2 of 3) have it in their file store,
// written to the operating system but not necessarily synced to disk
// (nats-server 2.9.10 syncs its files on an interval it does not let you
// configure). It survives the crash of any process and the loss of a
// minority of NATS servers; a power loss of a majority of the servers within
// the sync interval may lose it. docs/DEPLOY.md has the full account.
//
// An article is stored once: it is published with its id as Nats-Msg-Id and
// with the expectation that its subject holds no message yet, so a retry, a
// concurrent ingest of the same content on another replica or a re-ingest
// long after the de-duplication window all answer already_existed with the
// first copy.
#ifndef INGEST_SERVICE_STORE_JETSTREAM_ARTICLE_STORE_H_
#define INGEST_SERVICE_STORE_JETSTREAM_ARTICLE_STORE_H_

#include <atomic>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/jetstream/jetstream_connection.h"
#include "common/time/clock.h"
#include "ingest_service/store/article_store.h"

namespace newsdesk::ingest {

struct JetStreamArticleStoreOptions {
  jetstream::JetStreamOptions jetstream;
  // Create the stream when it is missing.
  bool create_stream = true;
  // How often WaitForSequence asks the stream for its head.
  absl::Duration poll_interval = absl::Milliseconds(20);
  // Source of ingest times; the real clock when null. Not owned.
  Clock* clock = nullptr;
};

// Alias table changes are messages on one subject
// (jetstream::AliasChangeSubject), each published with the expectation that
// the subject's last message is the change before it, so of two ingest
// replicas storing the same version only the first succeeds.
class JetStreamArticleStore : public ArticleStore, public ArticleLog, public AliasChangeStore {
 public:
  // Connects and makes sure the stream exists.
  static absl::StatusOr<std::unique_ptr<JetStreamArticleStore>> Open(
      JetStreamArticleStoreOptions options);
  ~JetStreamArticleStore() override;

  // Later calls fail with UNAVAILABLE and log waiters return.
  void Close();

  absl::StatusOr<PutResult> Put(Article article) override;
  absl::StatusOr<Article> Get(absl::string_view article_id) const override;
  // Publishes the update on the article's topic update subject. A timeout
  // is UNAVAILABLE: the update may or may not be stored, and retrying is
  // safe (the last update wins).
  absl::StatusOr<int64_t> UpdateTopics(const TopicUpdate& update) override;

  // ABORTED when another replica stored this version first, or when this
  // store has not read the version before it (ReadAliasChanges). A timeout is
  // UNAVAILABLE: the change may or may not be stored.
  absl::StatusOr<int64_t> AppendAliasChange(const AliasChange& change) override;
  // One request to the stream leader per change read, and one more.
  absl::StatusOr<std::vector<AliasChange>> ReadAliasChanges(
      int64_t after_version) const override;

  // The stream's last sequence; 0 when it cannot be read.
  int64_t HeadSequence() const override;
  absl::StatusOr<std::vector<std::string>> ReadEncodedFrom(int64_t start_sequence,
                                                           int max_entries) const override;
  int64_t WaitForSequence(int64_t sequence, absl::Time deadline) const override;
  bool closed() const override { return closed_.load(); }

 private:
  JetStreamArticleStore(JetStreamArticleStoreOptions options,
                        std::unique_ptr<jetstream::JetStreamConnection> connection);
  // The log entry of the last message on `subject`; NOT_FOUND when there is
  // none.
  absl::StatusOr<LogEntry> GetLast(const std::string& subject) const;

  // What one publish to the stream came to.
  struct Published {
    natsStatus status = NATS_OK;
    jsErrCode code = static_cast<jsErrCode>(0);
    int64_t sequence = 0;    // the stream sequence, when status is NATS_OK
    bool duplicate = false;  // the stream already held `message_id`
  };
  // Publishes `payload` on `subject`. `message_id` (not empty) lets the
  // stream drop a duplicate; `last_subject_sequence`, when set, is the
  // subject's last sequence the stream must hold (0: none yet).
  Published Publish(const std::string& subject, const std::string& payload,
                    const std::string& message_id,
                    std::optional<int64_t> last_subject_sequence) const;
  // The status of a failed publish of `what` ("the article"): UNAVAILABLE
  // on a timeout (it may or may not be stored; `retry_safe` adds that
  // retrying is safe), else the NATS error.
  static absl::Status PublishError(const Published& published, absl::string_view what,
                                   bool retry_safe);

  const JetStreamArticleStoreOptions options_;
  Clock* const clock_;
  std::unique_ptr<jetstream::JetStreamConnection> connection_;
  std::atomic<bool> closed_{false};
  // The stream sequence of each alias table version read or stored.
  mutable absl::Mutex alias_mu_;
  mutable absl::flat_hash_map<int64_t, int64_t> alias_sequences_ ABSL_GUARDED_BY(alias_mu_);
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_STORE_JETSTREAM_ARTICLE_STORE_H_
