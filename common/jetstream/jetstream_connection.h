// What both services share to use a NATS JetStream stream as the article
// log: the connection (with reconnects across the servers of a cluster), the
// stream's layout, the mapping of NATS errors to absl::Status and the one
// encoding of a log entry's payload.
//
// Layout: one stream (default NEWSDESK_ARTICLES) holding subjects
// "<subject_prefix>.<article id>"; each article is one message, published
// with the article id as Nats-Msg-Id and with "no message on this subject
// yet" as an expectation, so an article is stored at most once whatever the
// de-duplication window. The topic updates of an article (it was classified
// again) are messages on "<subject_prefix>.topics-<article id>", the last
// one holding its topics now. The stream sequence of a message is its log
// sequence: 1, 2, 3, ... with no gaps as long as no message is deleted.
// The payload is the log entry in the encoding of
// common/model/log_entry_convert.h, an article with log_sequence left unset
// (the stream sequence is the truth).
#ifndef COMMON_JETSTREAM_JETSTREAM_CONNECTION_H_
#define COMMON_JETSTREAM_JETSTREAM_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/model/article.h"
#include "common/model/log_entry.h"
#include "nats/nats.h"

namespace newsdesk::jetstream {

struct JetStreamOptions {
  // NATS server URLs ("nats://host:4222"); the client connects to any of
  // them and moves to another when its server goes away.
  std::vector<std::string> servers;
  // Name of the stream holding the article log.
  std::string stream = "NEWSDESK_ARTICLES";
  // Subjects of the stream: "<subject_prefix>.<article id>".
  std::string subject_prefix = "newsdesk.articles";
  // Copies of the stream kept by the cluster when the stream is created.
  // 3 survives the loss of one server; 1 is for a single NATS server.
  int replicas = 3;
  // Window in which the server drops a re-published article id by itself.
  absl::Duration duplicate_window = absl::Minutes(2);
  // How long one JetStream request (publish, get, info) may take.
  absl::Duration request_timeout = absl::Seconds(5);
  // How often the client pings its server; after two unanswered pings it
  // moves to another server. A server cut off the network, not closed, is
  // only noticed this way (the C client's default is two minutes).
  absl::Duration ping_interval = absl::Seconds(2);
  // Connection name shown by the NATS server's monitoring.
  std::string client_name = "newsdesk";
};

// Splits a comma-separated list of server URLs; INVALID_ARGUMENT when empty.
absl::StatusOr<std::vector<std::string>> ParseServerList(absl::string_view list);

// A NATS status (and JetStream error code when known) as an absl::Status:
// timeouts and lost connections are UNAVAILABLE (retry), everything else
// INTERNAL. `what` says what was being done.
absl::Status NatsError(natsStatus status, jsErrCode code, absl::string_view what);

// The subject of an article; INVALID_ARGUMENT when the id cannot be a
// subject token (empty, or with '.', '*', '>' or white space).
absl::StatusOr<std::string> ArticleSubject(const JetStreamOptions& options,
                                           absl::string_view article_id);

// The subject of an article's topic updates; INVALID_ARGUMENT as for
// ArticleSubject.
absl::StatusOr<std::string> TopicUpdateSubject(const JetStreamOptions& options,
                                               absl::string_view article_id);

// The subject of the alias table's changes: "<subject_prefix>.aliases" (an
// article id is 16 hexadecimal digits, so it cannot collide).
std::string AliasChangeSubject(const JetStreamOptions& options);

// The one encoding of a log entry's payload, and its decoding with the
// sequence the message had in the stream. DATA_LOSS when undecodable.
std::string EncodeLogPayload(LogEntry entry);
absl::StatusOr<LogEntry> DecodeLogPayload(absl::string_view payload, int64_t sequence);

// Owns one NATS connection and its JetStream context. Thread-safe: the NATS
// C client allows concurrent calls on one connection.
class JetStreamConnection {
 public:
  // Connects to the servers (UNAVAILABLE when none answers). Later losses of
  // the connection are repaired in the background, forever.
  static absl::StatusOr<std::unique_ptr<JetStreamConnection>> Connect(
      const JetStreamOptions& options);
  ~JetStreamConnection();

  JetStreamConnection(const JetStreamConnection&) = delete;
  JetStreamConnection& operator=(const JetStreamConnection&) = delete;

  // Creates the article stream when it does not exist. An existing stream is
  // used as it is (its replica count is logged when it differs).
  absl::Status EnsureStream();

  // The stream's last sequence: the head of the log. UNAVAILABLE while the
  // stream does not exist yet.
  absl::StatusOr<int64_t> LastSequence();

  // A message as the stream holds it.
  struct StoredMessage {
    int64_t sequence = 0;
    std::string data;
  };
  // The first message on `subject` at or after `from_sequence`, read from
  // the stream leader (a STREAM.MSG.GET request); nullopt when there is
  // none.
  absl::StatusOr<std::optional<StoredMessage>> NextOnSubject(const std::string& subject,
                                                             int64_t from_sequence);

  // Closes the connection; calls in progress on it fail at once.
  void Close();

  const JetStreamOptions& options() const { return options_; }
  natsConnection* connection() { return connection_; }
  jsCtx* context() { return context_; }
  // The request timeout in milliseconds, as the C client wants it.
  int64_t timeout_ms() const {
    return absl::ToInt64Milliseconds(options_.request_timeout);
  }

 private:
  JetStreamConnection(JetStreamOptions options, natsConnection* connection,
                      jsCtx* context)
      : options_(std::move(options)), connection_(connection), context_(context) {}

  const JetStreamOptions options_;
  natsConnection* connection_;
  jsCtx* context_;
};

}  // namespace newsdesk::jetstream

#endif  // COMMON_JETSTREAM_JETSTREAM_CONNECTION_H_
