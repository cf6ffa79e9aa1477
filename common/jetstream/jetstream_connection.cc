#include "common/jetstream/jetstream_connection.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/model/article_convert.h"
#include "common/model/log_entry_convert.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace newsdesk::jetstream {
namespace {

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseServerList(absl::string_view list) {
  std::vector<std::string> servers;
  for (absl::string_view part : absl::StrSplit(list, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) servers.emplace_back(part);
  }
  if (servers.empty()) {
    return absl::InvalidArgumentError(
        "no NATS server given: expected a comma-separated list such as "
        "nats://nats-0:4222,nats://nats-1:4222");
  }
  return servers;
}

absl::Status NatsError(natsStatus status, jsErrCode code, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", natsStatus_GetText(status));
  if (code != 0)
    absl::StrAppend(&message, " (JetStream error ", static_cast<int>(code), ")");
  switch (status) {
    case NATS_TIMEOUT:
    case NATS_NO_SERVER:
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_STALE_CONNECTION:
    case NATS_NO_RESPONDERS:
    case NATS_IO_ERROR:
    case NATS_NOT_YET_CONNECTED:
      return absl::UnavailableError(message);
    default:
      break;
  }
  // JetStream answers "cluster not ready" style errors while a leader is
  // being elected; they pass once the cluster has settled.
  if (code == JSClusterNotAvailErr || code == JSStreamOfflineErr ||
      code == JSClusterNotLeaderErr || code == JSInsufficientResourcesErr ||
      code == JSClusterNoPeersErr) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<std::string> ArticleSubject(const JetStreamOptions& options,
                                           absl::string_view article_id) {
  if (article_id.empty()) return absl::InvalidArgumentError("the article id is empty");
  for (char c : article_id) {
    if (c == '.' || c == '*' || c == '>' ||
        absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(absl::StrCat("the article id '", article_id,
                                                     "' cannot be a NATS subject token"));
    }
  }
  return absl::StrCat(options.subject_prefix, ".", article_id);
}

absl::StatusOr<std::string> TopicUpdateSubject(const JetStreamOptions& options,
                                               absl::string_view article_id) {
  RETURN_IF_ERROR(ArticleSubject(options, article_id).status());
  return absl::StrCat(options.subject_prefix, ".topics-", article_id);
}

std::string AliasChangeSubject(const JetStreamOptions& options) {
  return absl::StrCat(options.subject_prefix, ".aliases");
}

std::string EncodeLogPayload(LogEntry entry) {
  entry.sequence = 0;
  if (entry.article) entry.article->log_sequence = 0;
  return EncodeLogValue(entry);
}

absl::StatusOr<LogEntry> DecodeLogPayload(absl::string_view payload, int64_t sequence) {
  return DecodeLogValue(payload, sequence);
}

absl::StatusOr<std::unique_ptr<JetStreamConnection>> JetStreamConnection::Connect(
    const JetStreamOptions& options) {
  if (options.servers.empty()) return absl::InvalidArgumentError("no NATS server given");
  if (options.replicas < 1 || options.replicas > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("JetStream replicas must be 1 to 5, not ", options.replicas));
  }
  if (options.stream.empty() || options.subject_prefix.empty()) {
    return absl::InvalidArgumentError(
        "the JetStream stream name and subject prefix are required");
  }
  natsOptions* nats_options = nullptr;
  natsStatus s = natsOptions_Create(&nats_options);
  std::vector<const char*> urls;
  for (const std::string& server : options.servers) urls.push_back(server.c_str());
  if (s == NATS_OK) {
    s = natsOptions_SetServers(nats_options, urls.data(), static_cast<int>(urls.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetName(nats_options, options.client_name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(nats_options, -1);  // forever
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(nats_options, 100);
  if (s == NATS_OK) {
    s = natsOptions_SetPingInterval(nats_options,
                                    absl::ToInt64Milliseconds(options.ping_interval));
  }
  if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(nats_options, 2);
  if (s == NATS_OK) {
    s = natsOptions_SetTimeout(nats_options,
                               absl::ToInt64Milliseconds(options.request_timeout));
  }
  natsConnection* connection = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&connection, nats_options);
  natsOptions_Destroy(nats_options);
  if (s != NATS_OK) {
    return NatsError(
        s, static_cast<jsErrCode>(0),
        absl::StrCat("cannot connect to NATS at ", absl::StrJoin(options.servers, ",")));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = absl::ToInt64Milliseconds(options.request_timeout);
  jsCtx* context = nullptr;
  s = natsConnection_JetStream(&context, connection, &js_options);
  if (s != NATS_OK) {
    natsConnection_Destroy(connection);
    return NatsError(s, static_cast<jsErrCode>(0), "cannot use JetStream");
  }
  return std::unique_ptr<JetStreamConnection>(
      new JetStreamConnection(options, connection, context));
}

JetStreamConnection::~JetStreamConnection() {
  Close();
  jsCtx_Destroy(context_);
  natsConnection_Destroy(connection_);
}

void JetStreamConnection::Close() { natsConnection_Close(connection_); }

absl::Status JetStreamConnection::EnsureStream() {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      js_GetStreamInfo(&info, context_, options_.stream.c_str(), nullptr, &code);
  if (s == NATS_OK) {
    if (info->Config->Replicas != options_.replicas) {
      LOG(WARNING) << "stream " << options_.stream << " has " << info->Config->Replicas
                   << " replicas, not the " << options_.replicas
                   << " configured; using it as it is";
    }
    jsStreamInfo_Destroy(info);
    return absl::OkStatus();
  }
  if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr) {
    return NatsError(s, code, absl::StrCat("cannot read stream ", options_.stream));
  }
  const std::string subjects = absl::StrCat(options_.subject_prefix, ".*");
  const char* subject_list[] = {subjects.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options_.stream.c_str();
  config.Subjects = subject_list;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Retention = js_LimitsPolicy;
  config.Replicas = options_.replicas;
  config.Duplicates = Nanos(options_.duplicate_window);
  // The log is never trimmed: a query replica may start from the beginning.
  config.DenyDelete = true;
  config.DenyPurge = true;
  config.AllowDirect = true;
  code = static_cast<jsErrCode>(0);
  s = js_AddStream(&info, context_, &config, nullptr, &code);
  if (s != NATS_OK && code == JSStreamNameExistErr)
    return absl::OkStatus();  // a peer won
  if (s != NATS_OK) {
    return NatsError(s, code,
                     absl::StrCat("cannot create stream ", options_.stream, " with ",
                                  options_.replicas, " replicas"));
  }
  LOG(INFO) << "created JetStream stream " << options_.stream << " with "
            << options_.replicas << " replicas";
  jsStreamInfo_Destroy(info);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> JetStreamConnection::LastSequence() {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      js_GetStreamInfo(&info, context_, options_.stream.c_str(), nullptr, &code);
  if (s == NATS_NOT_FOUND || code == JSStreamNotFoundErr) {
    return absl::UnavailableError(absl::StrCat("stream ", options_.stream,
                                               " does not exist yet; the first ingest replica "
                                               "creates it when it starts"));
  }
  if (s != NATS_OK) {
    return NatsError(s, code, absl::StrCat("cannot read stream ", options_.stream));
  }
  const int64_t last = static_cast<int64_t>(info->State.LastSeq);
  jsStreamInfo_Destroy(info);
  return last;
}

absl::StatusOr<std::optional<JetStreamConnection::StoredMessage>>
JetStreamConnection::NextOnSubject(const std::string& subject, int64_t from_sequence) {
  namespace pb = google::protobuf;
  pb::Struct request;
  (*request.mutable_fields())["seq"].set_number_value(
      static_cast<double>(std::max<int64_t>(from_sequence, 1)));
  (*request.mutable_fields())["next_by_subj"].set_string_value(subject);
  std::string request_json;
  (void)pb::util::MessageToJsonString(request, &request_json);
  const std::string api = absl::StrCat("$JS.API.STREAM.MSG.GET.", options_.stream);
  natsMsg* reply = nullptr;
  const natsStatus s =
      natsConnection_Request(&reply, connection_, api.c_str(), request_json.data(),
                             static_cast<int>(request_json.size()), timeout_ms());
  if (s != NATS_OK) {
    return NatsError(s, static_cast<jsErrCode>(0), absl::StrCat("reading ", subject));
  }
  const std::string reply_json(natsMsg_GetData(reply), natsMsg_GetDataLength(reply));
  natsMsg_Destroy(reply);
  pb::Struct answer;
  pb::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = true;
  if (!pb::util::JsonStringToMessage(reply_json, &answer, parse).ok()) {
    return absl::InternalError(absl::StrCat("unreadable answer reading ", subject));
  }
  const auto& fields = answer.fields();
  if (auto error = fields.find("error"); error != fields.end()) {
    const auto& error_fields = error->second.struct_value().fields();
    auto code = error_fields.find("err_code");
    if (code != error_fields.end() && code->second.number_value() == JSNoMessageFoundErr) {
      return std::nullopt;
    }
    auto description = error_fields.find("description");
    return absl::InternalError(absl::StrCat(
        "reading ", subject, ": ",
        description == error_fields.end() ? "error" : description->second.string_value()));
  }
  auto message = fields.find("message");
  if (message == fields.end()) {
    return absl::InternalError(absl::StrCat("answer without a message reading ", subject));
  }
  const auto& message_fields = message->second.struct_value().fields();
  auto sequence = message_fields.find("seq");
  auto data = message_fields.find("data");
  StoredMessage out;
  if (sequence == message_fields.end() ||
      (data != message_fields.end() &&
       !absl::Base64Unescape(data->second.string_value(), &out.data))) {
    return absl::InternalError(absl::StrCat("malformed message reading ", subject));
  }
  out.sequence = static_cast<int64_t>(sequence->second.number_value());
  return out;
}

}  // namespace newsdesk::jetstream
