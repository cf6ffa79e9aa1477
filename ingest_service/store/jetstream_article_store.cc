#include "ingest_service/store/jetstream_article_store.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

using jetstream::NatsError;

absl::StatusOr<std::unique_ptr<JetStreamArticleStore>> JetStreamArticleStore::Open(
    JetStreamArticleStoreOptions options) {
  ASSIGN_OR_RETURN(std::unique_ptr<jetstream::JetStreamConnection> connection,
                   jetstream::JetStreamConnection::Connect(options.jetstream));
  if (options.create_stream) RETURN_IF_ERROR(connection->EnsureStream());
  LOG(INFO) << "article log on JetStream stream " << options.jetstream.stream;
  return std::unique_ptr<JetStreamArticleStore>(
      new JetStreamArticleStore(std::move(options), std::move(connection)));
}

JetStreamArticleStore::JetStreamArticleStore(
    JetStreamArticleStoreOptions options,
    std::unique_ptr<jetstream::JetStreamConnection> connection)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      connection_(std::move(connection)) {}

JetStreamArticleStore::~JetStreamArticleStore() { Close(); }

void JetStreamArticleStore::Close() {
  if (closed_.exchange(true)) return;
  connection_->Close();
}

absl::StatusOr<PutResult> JetStreamArticleStore::Put(Article article) {
  if (closed()) return absl::UnavailableError("the article store is shutting down");
  ASSIGN_OR_RETURN(const std::string subject,
                   jetstream::ArticleSubject(options_.jetstream, article.id));
  article.log_sequence = 0;
  article.ingest_time = clock_->Now();
  const std::string payload =
      jetstream::EncodeLogPayload(LogEntry{0, article, std::nullopt, std::nullopt});

  const Published published = Publish(subject, payload, article.id, /*none yet*/ 0);
  if (published.status == NATS_OK && !published.duplicate) {
    article.log_sequence = published.sequence;
    return PutResult{std::move(article), false};
  }
  // A duplicate within the window, or a subject that already holds the
  // article: answer with the copy stored first.
  if (published.status == NATS_OK || published.code == JSStreamWrongLastSequenceErr) {
    ASSIGN_OR_RETURN(Article stored, Get(article.id));
    return PutResult{std::move(stored), true};
  }
  return PublishError(published, "the article", /*retry_safe=*/true);
}

JetStreamArticleStore::Published JetStreamArticleStore::Publish(
    const std::string& subject, const std::string& payload, const std::string& message_id,
    std::optional<int64_t> last_subject_sequence) const {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = connection_->timeout_ms();
  options.ExpectStream = options_.jetstream.stream.c_str();
  if (!message_id.empty()) options.MsgId = message_id.c_str();
  if (last_subject_sequence == 0) {
    options.ExpectNoMessage = true;
  } else if (last_subject_sequence.has_value()) {
    options.ExpectLastSubjectSeq = static_cast<uint64_t>(*last_subject_sequence);
  }
  Published published;
  jsPubAck* ack = nullptr;
  published.status = js_Publish(&ack, connection_->context(), subject.c_str(), payload.data(),
                                static_cast<int>(payload.size()), &options, &published.code);
  if (published.status == NATS_OK) {
    published.sequence = static_cast<int64_t>(ack->Sequence);
    published.duplicate = ack->Duplicate;
    jsPubAck_Destroy(ack);
  }
  return published;
}

absl::Status JetStreamArticleStore::PublishError(const Published& published,
                                                 absl::string_view what, bool retry_safe) {
  VLOG(1) << "publishing " << what << " failed: " << natsStatus_GetText(published.status)
          << " code " << published.code;
  if (published.status == NATS_TIMEOUT) {
    return absl::UnavailableError(absl::StrCat(
        "the article log did not acknowledge ", what, " in time; it may or may not be stored",
        retry_safe ? ", and retrying is safe" : ""));
  }
  return NatsError(published.status, published.code, absl::StrCat("storing ", what));
}

absl::StatusOr<LogEntry> JetStreamArticleStore::GetLast(const std::string& subject) const {
  natsMsg* message = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      js_GetLastMsg(&message, connection_->context(), options_.jetstream.stream.c_str(),
                    subject.c_str(), nullptr, &code);
  if (s == NATS_NOT_FOUND || code == JSNoMessageFoundErr) {
    return absl::NotFoundError(absl::StrCat("no message on ", subject));
  }
  if (s != NATS_OK) return NatsError(s, code, "reading an article");
  absl::StatusOr<LogEntry> entry = jetstream::DecodeLogPayload(
      absl::string_view(natsMsg_GetData(message), natsMsg_GetDataLength(message)),
      static_cast<int64_t>(natsMsg_GetSequence(message)));
  natsMsg_Destroy(message);
  return entry;
}

absl::StatusOr<Article> JetStreamArticleStore::Get(absl::string_view article_id) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  ASSIGN_OR_RETURN(const std::string subject,
                   jetstream::ArticleSubject(options_.jetstream, article_id));
  absl::StatusOr<LogEntry> entry = GetLast(subject);
  if (absl::IsNotFound(entry.status())) {
    return absl::NotFoundError(absl::StrCat("no article with id '", article_id, "'"));
  }
  if (!entry.ok()) return entry.status();
  if (!entry->article) {
    return absl::DataLossError(absl::StrCat("the message of article '", article_id,
                                            "' holds no article"));
  }
  Article article = *std::move(entry->article);
  ASSIGN_OR_RETURN(const std::string topics_subject,
                   jetstream::TopicUpdateSubject(options_.jetstream, article_id));
  absl::StatusOr<LogEntry> update = GetLast(topics_subject);
  if (absl::IsNotFound(update.status())) return article;
  if (!update.ok()) return update.status();
  if (update->topic_update) ApplyTopicUpdate(*update->topic_update, &article);
  return article;
}

absl::StatusOr<int64_t> JetStreamArticleStore::UpdateTopics(const TopicUpdate& update) {
  if (closed()) return absl::UnavailableError("the article store is shutting down");
  ASSIGN_OR_RETURN(const std::string subject,
                   jetstream::TopicUpdateSubject(options_.jetstream, update.article_id));
  RETURN_IF_ERROR(Get(update.article_id).status());  // NOT_FOUND for an unknown id
  const std::string payload =
      jetstream::EncodeLogPayload(LogEntry{0, std::nullopt, std::nullopt, update});
  const Published published = Publish(subject, payload, "", std::nullopt);
  if (published.status == NATS_OK) return published.sequence;
  return PublishError(published, "the topic update", /*retry_safe=*/true);
}

absl::StatusOr<int64_t> JetStreamArticleStore::AppendAliasChange(const AliasChange& change) {
  if (closed()) return absl::UnavailableError("the article store is shutting down");
  int64_t previous = 0;  // the stream sequence of version - 1; 0 for none
  if (change.version > 1) {
    absl::MutexLock lock(&alias_mu_);
    auto it = alias_sequences_.find(change.version - 1);
    if (it == alias_sequences_.end()) {
      return absl::AbortedError(absl::StrCat("alias table version ", change.version - 1,
                                             " has not been read here yet"));
    }
    previous = it->second;
  }
  const std::string subject = jetstream::AliasChangeSubject(options_.jetstream);
  const std::string payload =
      jetstream::EncodeLogPayload(LogEntry{0, std::nullopt, change, std::nullopt});
  const Published published = Publish(subject, payload, "", previous);
  if (published.status == NATS_OK) {
    absl::MutexLock lock(&alias_mu_);
    alias_sequences_[change.version] = published.sequence;
    return published.sequence;
  }
  if (published.code == JSStreamWrongLastSequenceErr) {
    return absl::AbortedError(
        absl::StrCat("another ingest replica stored alias table version ", change.version,
                     " first"));
  }
  return PublishError(published, "the alias change", /*retry_safe=*/false);
}

absl::StatusOr<std::vector<AliasChange>> JetStreamArticleStore::ReadAliasChanges(
    int64_t after_version) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  int64_t from = 1;
  {
    absl::MutexLock lock(&alias_mu_);
    auto it = alias_sequences_.find(after_version);
    if (it != alias_sequences_.end()) from = it->second + 1;
  }
  const std::string subject = jetstream::AliasChangeSubject(options_.jetstream);
  std::vector<AliasChange> out;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<jetstream::JetStreamConnection::StoredMessage> message,
                     connection_->NextOnSubject(subject, from));
    if (!message) return out;
    ASSIGN_OR_RETURN(LogEntry entry,
                     jetstream::DecodeLogPayload(message->data, message->sequence));
    if (!entry.alias_change) {
      return absl::DataLossError(absl::StrCat("log sequence ", message->sequence, " on ",
                                              subject, " holds no alias change"));
    }
    {
      absl::MutexLock lock(&alias_mu_);
      alias_sequences_[entry.alias_change->version] = message->sequence;
    }
    if (entry.alias_change->version > after_version) {
      out.push_back(*std::move(entry.alias_change));
    }
    from = message->sequence + 1;
  }
}

int64_t JetStreamArticleStore::HeadSequence() const {
  if (closed()) return 0;
  absl::StatusOr<int64_t> last = connection_->LastSequence();
  if (!last.ok()) {
    VLOG(1) << last.status();
    return 0;
  }
  return *last;
}

absl::StatusOr<std::vector<std::string>> JetStreamArticleStore::ReadEncodedFrom(
    int64_t start_sequence, int max_entries) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  start_sequence = std::max<int64_t>(start_sequence, 1);
  ASSIGN_OR_RETURN(const int64_t head, connection_->LastSequence());
  std::vector<std::string> out;
  for (int64_t sequence = start_sequence;
       sequence <= head && static_cast<int>(out.size()) < max_entries; ++sequence) {
    natsMsg* message = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s =
        js_GetMsg(&message, connection_->context(), options_.jetstream.stream.c_str(),
                  static_cast<uint64_t>(sequence), nullptr, &code);
    if (s != NATS_OK) {
      return NatsError(s, code, absl::StrCat("reading log sequence ", sequence));
    }
    out.emplace_back(natsMsg_GetData(message), natsMsg_GetDataLength(message));
    natsMsg_Destroy(message);
  }
  return out;
}

int64_t JetStreamArticleStore::WaitForSequence(int64_t sequence,
                                               absl::Time deadline) const {
  while (true) {
    const int64_t head = HeadSequence();
    if (head >= sequence || closed() || absl::Now() >= deadline) return head;
    absl::SleepFor(std::min(options_.poll_interval, deadline - absl::Now()));
  }
}

}  // namespace newsdesk::ingest
