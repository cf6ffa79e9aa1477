#include "query_service/follower/jetstream_article_log_client.h"

#include <unistd.h>

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::query {
namespace {

using jetstream::NatsError;

constexpr jsErrCode kNoCode = static_cast<jsErrCode>(0);

bool ValidConsumerName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return false;
  }
  return true;
}

// Owns a natsMsgList.
struct MessageList {
  natsMsgList list = {nullptr, 0};
  ~MessageList() { natsMsgList_Destroy(&list); }
};

}  // namespace

std::string DefaultConsumerName(const std::string& data_dir) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string clean;
  for (char c : std::string(host)) {
    clean.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '-');
  }
  char resolved[PATH_MAX];
  const std::string dir =
      realpath(data_dir.c_str(), resolved) != nullptr ? resolved : data_dir;
  uint64_t hash = 14695981039346656037ull;  // FNV-1a: stable across builds
  for (unsigned char c : dir) hash = (hash ^ c) * 1099511628211ull;
  return absl::StrFormat("newsdesk-query-%s-%08x", clean, static_cast<uint32_t>(hash));
}

absl::StatusOr<std::unique_ptr<JetStreamArticleLogClient>>
JetStreamArticleLogClient::Create(JetStreamArticleLogClientOptions options) {
  if (!ValidConsumerName(options.consumer)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JetStream consumer name '", options.consumer,
                     "' must be non-empty letters, digits, '-' and '_'"));
  }
  if (options.max_batch_size < 1) {
    return absl::InvalidArgumentError("the batch size must be at least 1");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<jetstream::JetStreamConnection> connection,
                   jetstream::JetStreamConnection::Connect(options.jetstream));
  return std::unique_ptr<JetStreamArticleLogClient>(
      new JetStreamArticleLogClient(std::move(options), std::move(connection)));
}

bool JetStreamArticleLogClient::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

void JetStreamArticleLogClient::Cancel() {
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  connection_->Close();
}

absl::Status JetStreamArticleLogClient::PrepareConsumer(int64_t start_sequence) {
  jsCtx* js = connection_->context();
  const char* stream = options_.jetstream.stream.c_str();
  const char* consumer = options_.consumer.c_str();
  // A stream that ends before what this replica holds lost acknowledged
  // articles or was re-created: following it would apply different
  // articles under sequences already used.
  ASSIGN_OR_RETURN(const int64_t last, connection_->LastSequence());
  if (last < start_sequence - 1) {
    return absl::DataLossError(absl::StrCat(
        "stream ", options_.jetstream.stream, " ends at sequence ", last,
        " but this replica holds the log up to ", start_sequence - 1,
        ": the stream lost articles or was re-created; rebuild this replica from it"));
  }
  jsConsumerInfo* info = nullptr;
  jsErrCode code = kNoCode;
  natsStatus s = js_GetConsumerInfo(&info, js, stream, consumer, nullptr, &code);
  if (s == NATS_OK) {
    const bool resumes_here =
        static_cast<int64_t>(info->AckFloor.Stream) + 1 == start_sequence &&
        info->NumAckPending == 0 && info->Config->AckPolicy == js_AckAll;
    jsConsumerInfo_Destroy(info);
    if (resumes_here) return absl::OkStatus();
    VLOG(1) << "re-creating consumer " << consumer << " at sequence " << start_sequence;
    code = kNoCode;
    s = js_DeleteConsumer(js, stream, consumer, nullptr, &code);
    if (s != NATS_OK && s != NATS_NOT_FOUND && code != JSConsumerNotFoundErr) {
      return NatsError(s, code, "cannot reset the log consumer");
    }
  } else if (s != NATS_NOT_FOUND && code != JSConsumerNotFoundErr) {
    return NatsError(s, code, "cannot read the log consumer");
  }
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = consumer;
  config.AckPolicy = js_AckAll;
  config.AckWait = absl::ToInt64Nanoseconds(absl::Seconds(30));
  config.MaxAckPending = 4 * options_.max_batch_size;
  config.InactiveThreshold = absl::ToInt64Nanoseconds(options_.inactive_threshold);
  if (start_sequence <= 1) {
    config.DeliverPolicy = js_DeliverAll;
  } else {
    config.DeliverPolicy = js_DeliverByStartSequence;
    config.OptStartSeq = static_cast<uint64_t>(start_sequence);
  }
  code = kNoCode;
  s = js_AddConsumer(&info, js, stream, &config, nullptr, &code);
  if (s != NATS_OK) return NatsError(s, code, "cannot create the log consumer");
  jsConsumerInfo_Destroy(info);
  return absl::OkStatus();
}

void JetStreamArticleLogClient::StepDownConsumerLeader() {
  const std::string subject =
      absl::StrCat("$JS.API.CONSUMER.LEADER.STEPDOWN.", options_.jetstream.stream, ".",
                   options_.consumer);
  natsMsg* reply = nullptr;
  const natsStatus s = natsConnection_Request(&reply, connection_->connection(),
                                              subject.c_str(), "", 0, connection_->timeout_ms());
  if (s != NATS_OK) {
    LOG(WARNING) << "asking the leader of log consumer " << options_.consumer
                 << " to step down failed: " << natsStatus_GetText(s);
  } else {
    VLOG(1) << "consumer step-down answer: "
            << absl::string_view(natsMsg_GetData(reply), natsMsg_GetDataLength(reply));
  }
  natsMsg_Destroy(reply);
}

absl::Status JetStreamArticleLogClient::Follow(int64_t start_sequence,
                                               const BatchHandler& handler) {
  absl::Status status = FollowUntilError(start_sequence, handler);
  // Cancel() closes the connection under whatever call is in progress.
  if (cancelled()) return absl::CancelledError("the log client is closed");
  return status;
}

absl::Status JetStreamArticleLogClient::FollowUntilError(int64_t start_sequence,
                                                         const BatchHandler& handler) {
  if (cancelled()) return absl::CancelledError("the log client is closed");
  start_sequence = std::max<int64_t>(start_sequence, 1);
  RETURN_IF_ERROR(PrepareConsumer(start_sequence));

  jsSubOptions sub_options;
  jsSubOptions_Init(&sub_options);
  sub_options.Stream = options_.jetstream.stream.c_str();
  sub_options.Consumer = options_.consumer.c_str();
  natsSubscription* subscription = nullptr;
  jsErrCode code = kNoCode;
  natsStatus s =
      js_PullSubscribe(&subscription, connection_->context(),
                       absl::StrCat(options_.jetstream.subject_prefix, ".*").c_str(),
                       options_.consumer.c_str(), nullptr, &sub_options, &code);
  if (s != NATS_OK) return NatsError(s, code, "cannot subscribe to the article log");
  std::unique_ptr<natsSubscription, void (*)(natsSubscription*)> owned(
      subscription, natsSubscription_Destroy);

  int64_t expected = start_sequence;
  // When empty fetches began while the stream had entries not yet applied.
  absl::Time behind_since = absl::InfiniteFuture();
  const int64_t wait_ms = absl::ToInt64Milliseconds(options_.fetch_wait);
  while (!cancelled()) {
    MessageList batch;
    code = kNoCode;
    s = natsSubscription_Fetch(&batch.list, subscription, options_.max_batch_size,
                               wait_ms, &code);
    if (s == NATS_TIMEOUT) {
      // Nothing new: a heartbeat with the head of the stream.
      absl::StatusOr<int64_t> head = connection_->LastSequence();
      if (!head.ok()) return head.status();
      if (*head < expected - 1) {
        return absl::DataLossError(absl::StrCat(
            "stream ", options_.jetstream.stream, " now ends at sequence ", *head,
            " but this replica holds the log up to ", expected - 1,
            ": the stream lost acknowledged articles (its leader's copy is short)"));
      }
      RETURN_IF_ERROR(handler({}, *head));
      if (*head < expected) {
        behind_since = absl::InfiniteFuture();
      } else if (behind_since == absl::InfiniteFuture()) {
        behind_since = absl::Now();
      } else if (absl::Now() - behind_since > options_.stall_timeout) {
        // The consumer's leader may sit on a server whose copy of the stream
        // stopped catching up: move the leadership to another server.
        StepDownConsumerLeader();
        return absl::UnavailableError(absl::StrCat(
            "the log consumer ", options_.consumer, " delivered nothing for ",
            absl::FormatDuration(absl::Now() - behind_since), " while the stream holds up to ",
            *head, " and this replica has applied up to ", expected - 1,
            "; its leader was asked to step down"));
      }
      continue;
    }
    behind_since = absl::InfiniteFuture();
    if (s != NATS_OK) {
      if (cancelled()) break;
      return NatsError(s, code, "reading the article log");
    }
    std::vector<LogEntry> entries;
    entries.reserve(batch.list.Count);
    int64_t head = 0;
    int diverged = 0;  // entries whose delivered copy differs from the leader's
    for (int i = 0; i < batch.list.Count; ++i) {
      natsMsg* message = batch.list.Msgs[i];
      jsMsgMetaData* meta = nullptr;
      s = natsMsg_GetMetaData(&meta, message);
      if (s != NATS_OK) return NatsError(s, kNoCode, "reading a log entry's metadata");
      const int64_t sequence = static_cast<int64_t>(meta->Sequence.Stream);
      head = sequence + static_cast<int64_t>(meta->NumPending);
      jsMsgMetaData_Destroy(meta);
      if (sequence < expected) continue;  // redelivered: applied already
      absl::string_view payload(natsMsg_GetData(message), natsMsg_GetDataLength(message));
      std::unique_ptr<natsMsg, void (*)(natsMsg*)> leader_copy(nullptr, natsMsg_Destroy);
      if (options_.verify_with_stream_leader) {
        natsMsg* from_leader = nullptr;
        code = kNoCode;
        s = js_GetMsg(&from_leader, connection_->context(),
                      options_.jetstream.stream.c_str(), static_cast<uint64_t>(sequence),
                      nullptr, &code);
        if (s != NATS_OK) {
          return NatsError(s, code,
                           absl::StrCat("reading log sequence ", sequence,
                                        " from the stream leader to check it"));
        }
        leader_copy.reset(from_leader);
        absl::string_view authoritative(natsMsg_GetData(from_leader),
                                        natsMsg_GetDataLength(from_leader));
        if (authoritative != payload) {
          ++diverged;
          payload = authoritative;
        }
      }
      absl::StatusOr<LogEntry> entry = jetstream::DecodeLogPayload(payload, sequence);
      if (!entry.ok()) return entry.status();
      entry->encoded = std::string(payload);  // the replica keeps the payload as it is
      entries.push_back(*std::move(entry));
      expected = sequence + 1;
    }
    if (diverged > 0) {
      LOG(WARNING) << "the log consumer " << options_.consumer << " delivered " << diverged
                   << " entries up to sequence " << expected - 1
                   << " that differ from the stream leader's copy (a NATS server whose copy "
                      "of the stream diverged); the leader's entries were applied and the "
                      "consumer's leader asked to step down";
      StepDownConsumerLeader();
    }
    RETURN_IF_ERROR(handler(std::move(entries), head));
    // Acknowledging is bookkeeping only: the local replica knows where to
    // resume, so a lost ack costs a re-created consumer, nothing more. The
    // last message is acknowledged even when it was a redelivery of an entry
    // applied before: left unacknowledged, redeliveries would fill the
    // consumer's pending window and stop it delivering anything new.
    natsMsg* last = batch.list.Count > 0 ? batch.list.Msgs[batch.list.Count - 1] : nullptr;
    if (last != nullptr && natsMsg_AckSync(last, nullptr, nullptr) != NATS_OK) {
      VLOG(1) << "acknowledging the article log up to sequence " << expected - 1
              << " failed";
    }
  }
  return absl::CancelledError("the log client is closed");
}

}  // namespace newsdesk::query
