#include "common/http/rest_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/grpc/request_id.h"
#include "common/grpc/status_util.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace newsdesk::http {
namespace {

namespace pb = google::protobuf;

constexpr char kJson[] = "application/json";
constexpr char kRequestIdMetadata[] = "x-request-id";

// The error body: google.rpc.Status in the proto JSON mapping (code,
// message, details such as BadRequest field violations or RetryInfo) plus
// the code's name as "status". `details` is the serialized google.rpc.Status
// the service sent, if any.
std::string ErrorJson(grpc::StatusCode code, const std::string& message,
                      const std::string& details) {
  google::rpc::Status rpc_status;
  if (details.empty() || !rpc_status.ParseFromString(details)) {
    rpc_status.Clear();
    rpc_status.set_code(static_cast<int>(code));
    rpc_status.set_message(message);
  }
  std::string json;
  pb::Struct body;
  if (!pb::util::MessageToJsonString(rpc_status, &json).ok() ||
      !pb::util::JsonStringToMessage(json, &body).ok()) {
    body.Clear();
    (*body.mutable_fields())["code"].set_number_value(static_cast<int>(code));
    (*body.mutable_fields())["message"].set_string_value(message);
  }
  (*body.mutable_fields())["status"].set_string_value(GrpcCodeName(code));
  json.clear();
  (void)pb::util::MessageToJsonString(body, &json);
  return json;
}

HttpResponse JsonError(grpc::StatusCode code, const std::string& message,
                       const std::string& request_id = "", const std::string& details = "") {
  HttpResponse response{HttpStatusFromGrpcCode(code), kJson,
                        ErrorJson(code, message, details) + "\n", {}};
  if (!request_id.empty()) response.headers["X-Request-Id"] = request_id;
  return response;
}

// The JSON text of a response message in its wire form; false when the
// bytes are not such a message.
bool WireToJson(const grpc::ByteBuffer& wire_message, const pb::Message& prototype,
                std::string* json) {
  std::vector<grpc::Slice> slices;
  std::string wire;
  if (wire_message.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      wire.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  std::unique_ptr<pb::Message> message(prototype.New());
  if (!message->ParseFromString(wire)) return false;
  return pb::util::MessageToJsonString(*message, json).ok();
}

// Parses one JSON request message into its wire form.
grpc::Status ToWire(const pb::Message& prototype, const std::string& json,
                    grpc::ByteBuffer* out) {
  std::unique_ptr<pb::Message> message(prototype.New());
  if (!json.empty()) {
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    pb::util::Status status = pb::util::JsonStringToMessage(json, message.get(), options);
    if (!status.ok()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("request body is not a JSON ",
                                       prototype.GetDescriptor()->full_name(), ": ",
                                       status.message().as_string()));
    }
  }
  std::string wire;
  message->SerializeToString(&wire);
  grpc::Slice slice(wire);
  *out = grpc::ByteBuffer(&slice, 1);
  return grpc::Status::OK;
}

// Splits a JSON array of objects into the text of each element. The array
// is parsed as a google.protobuf.ListValue first, so a malformed body is
// rejected with the parser's message.
grpc::Status SplitJsonArray(const std::string& json, std::vector<std::string>* elements) {
  pb::ListValue list;
  pb::util::Status status = pb::util::JsonStringToMessage(json, &list);
  if (!status.ok()) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("request body of a streaming method is a JSON array of "
                     "request messages: ",
                     status.message().as_string()));
  }
  for (const pb::Value& value : list.values()) {
    std::string element;
    (void)pb::util::MessageToJsonString(value, &element);
    elements->push_back(std::move(element));
  }
  return grpc::Status::OK;
}

std::string RequestIdOf(const grpc::ClientContext& context) {
  const auto& metadata = context.GetServerInitialMetadata();
  auto it = metadata.find(kRequestIdMetadata);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

// Runs a client-streaming call: every element of `requests` is sent, then
// the one response is read.
grpc::Status StreamingCall(grpc::GenericStub& stub, grpc::ClientContext* context,
                           const std::string& method,
                           const std::vector<grpc::ByteBuffer>& requests,
                           grpc::ByteBuffer* response) {
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(context, method, &queue);
  void* tag;
  bool ok = false;
  auto step = [&](int expected) {
    return queue.Next(&tag, &ok) && ok && tag == reinterpret_cast<void*>(expected);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  bool alive = step(1);
  for (size_t i = 0; alive && i < requests.size(); ++i) {
    call->Write(requests[i], reinterpret_cast<void*>(2));
    alive = step(2);
  }
  if (alive) {
    call->WritesDone(reinterpret_cast<void*>(3));
    alive = step(3);
  }
  if (alive) {
    call->Read(response, reinterpret_cast<void*>(4));
    (void)step(4);
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  (void)queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

}  // namespace

RestGateway::RestGateway(RestGatewayOptions options,
                         std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)), channel_(std::move(channel)) {}

std::optional<HttpResponse> RestGateway::CheckCaller(absl::string_view method,
                                                     const HttpRequest& request) const {
  if (options_.authenticator == nullptr) return std::nullopt;
  auth::Credentials credentials;
  credentials.certificate_names = request.certificate_names;
  if (auto it = request.headers.find("authorization"); it != request.headers.end()) {
    credentials.authorization = it->second;
  }
  const absl::Status checked = options_.authenticator->Check(method, credentials);
  if (checked.ok()) return std::nullopt;
  const grpc::Status refused = ToGrpcStatus(checked);
  auto header = request.headers.find("x-request-id");
  HttpResponse response =
      JsonError(refused.error_code(), refused.error_message(),
                header == request.headers.end() ? "" : header->second);
  if (absl::IsUnauthenticated(checked)) response.headers["WWW-Authenticate"] = "Bearer";
  return response;
}

HttpResponse RestGateway::Handle(const HttpRequest& request) const {
  auto header = request.headers.find("x-request-id");
  const std::string caller_id = header == request.headers.end() ? "" : header->second;
  if (request.method != "POST") {
    HttpResponse response = JsonError(grpc::StatusCode::UNIMPLEMENTED,
                                      "use POST /v1/{Service}/{Method} with a JSON body");
    response.status = 405;
    response.headers["Allow"] = "POST";
    return response;
  }
  absl::string_view path = request.path;
  std::vector<std::string> parts;
  if (absl::ConsumePrefix(&path, "/v1/")) parts = absl::StrSplit(path, '/');
  if (parts.size() != 2 || std::find(options_.services.begin(), options_.services.end(),
                                     parts[0]) == options_.services.end()) {
    return JsonError(grpc::StatusCode::NOT_FOUND,
                     absl::StrCat("no such service here: ", request.path,
                                  " (use /v1/{Service}/{Method})"));
  }
  const pb::ServiceDescriptor* service =
      pb::DescriptorPool::generated_pool()->FindServiceByName(
          absl::StrCat(options_.package, ".", parts[0]));
  const pb::MethodDescriptor* method =
      service == nullptr ? nullptr : service->FindMethodByName(parts[1]);
  if (method == nullptr) {
    return JsonError(grpc::StatusCode::NOT_FOUND,
                     absl::StrCat("no method ", parts[1], " in ", parts[0]));
  }
  if (method->server_streaming() && method->client_streaming()) {
    return JsonError(grpc::StatusCode::UNIMPLEMENTED,
                     absl::StrCat(method->full_name(),
                                  " streams both ways and is reachable over gRPC only"));
  }
  const std::string rpc = absl::StrCat("/", service->full_name(), "/", method->name());
  // REST calls reach the server over its in-process channel, which the
  // gRPC auth processor does not see: the door checks them itself.
  if (std::optional<HttpResponse> refused = CheckCaller(rpc, request)) return *refused;
  const pb::Message* request_prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  const pb::Message* response_prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type());
  if (method->server_streaming()) {
    grpc::ByteBuffer wire_request;
    if (grpc::Status s = ToWire(*request_prototype, request.body, &wire_request); !s.ok()) {
      return JsonError(s.error_code(), s.error_message(), caller_id);
    }
    return Stream(rpc, std::move(wire_request), response_prototype,
                  caller_id.empty() ? NewRequestId() : caller_id);
  }

  std::vector<grpc::ByteBuffer> wire_requests;
  if (method->client_streaming()) {
    std::vector<std::string> elements;
    if (grpc::Status s = SplitJsonArray(request.body, &elements); !s.ok()) {
      return JsonError(s.error_code(), s.error_message(), caller_id);
    }
    for (const std::string& element : elements) {
      wire_requests.emplace_back();
      if (grpc::Status s = ToWire(*request_prototype, element, &wire_requests.back());
          !s.ok()) {
        return JsonError(s.error_code(), s.error_message(), caller_id);
      }
    }
  } else {
    wire_requests.emplace_back();
    if (grpc::Status s = ToWire(*request_prototype, request.body, &wire_requests.back());
        !s.ok()) {
      return JsonError(s.error_code(), s.error_message(), caller_id);
    }
  }

  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
  if (!caller_id.empty()) context.AddMetadata(kRequestIdMetadata, caller_id);
  grpc::ByteBuffer wire_response;
  grpc::Status status;
  if (method->client_streaming()) {
    status = StreamingCall(stub, &context, rpc, wire_requests, &wire_response);
  } else {
    grpc::CompletionQueue queue;
    auto call = stub.PrepareUnaryCall(&context, rpc, wire_requests[0], &queue);
    call->StartCall();
    call->Finish(&wire_response, &status, reinterpret_cast<void*>(1));
    void* tag;
    bool ok;
    (void)queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
  }
  const std::string request_id = RequestIdOf(context);
  if (!status.ok())
    return JsonError(status.error_code(), status.error_message(), request_id,
                     status.error_details());

  HttpResponse http{200, kJson, "", {}};
  if (!WireToJson(wire_response, *response_prototype, &http.body)) {
    return JsonError(grpc::StatusCode::INTERNAL,
                     "the service sent an unreadable response", request_id);
  }
  http.body.push_back('\n');
  if (!request_id.empty()) http.headers["X-Request-Id"] = request_id;
  return http;
}

namespace {

// Holds one of the gateway's places for streamed answers while a streamed
// response exists.
class StreamPlace {
 public:
  explicit StreamPlace(std::shared_ptr<std::atomic<int>> streams)
      : streams_(std::move(streams)) {}
  ~StreamPlace() { streams_->fetch_sub(1); }
  StreamPlace(const StreamPlace&) = delete;
  StreamPlace& operator=(const StreamPlace&) = delete;

 private:
  std::shared_ptr<std::atomic<int>> streams_;
};

}  // namespace

HttpResponse RestGateway::Stream(const std::string& rpc, grpc::ByteBuffer request,
                                 const pb::Message* response_prototype,
                                 const std::string& request_id) const {
  if (streams_->fetch_add(1) >= options_.max_streams) {
    streams_->fetch_sub(1);
    return JsonError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     absl::StrCat("the REST door already streams ", options_.max_streams,
                                  " answers; retry later, or call over gRPC"),
                     request_id);
  }
  auto place = std::make_shared<StreamPlace>(streams_);
  HttpResponse http{200, "application/x-ndjson", "", {{"X-Request-Id", request_id}}};
  http.stream = [channel = channel_, rpc, request = std::move(request), response_prototype,
                 request_id, heartbeat = options_.stream_heartbeat,
                 place](const BodyWriter& write) {
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.AddMetadata(kRequestIdMetadata, request_id);
    grpc::CompletionQueue queue;
    auto call = stub.PrepareCall(&context, rpc, &queue);
    void* tag;
    bool ok = false;
    auto step = [&] { return queue.Next(&tag, &ok) && ok; };
    call->StartCall(nullptr);
    bool alive = step();
    if (alive) {
      call->Write(request, nullptr);
      alive = step();
    }
    if (alive) {
      call->WritesDone(nullptr);
      alive = step();
    }
    bool client_gone = false;
    auto client_left = [&] {
      client_gone = true;
      context.TryCancel();
    };
    while (alive && !client_gone) {
      grpc::ByteBuffer message;
      call->Read(&message, nullptr);
      grpc::CompletionQueue::NextStatus next;
      while ((next = queue.AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + heartbeat))) ==
             grpc::CompletionQueue::TIMEOUT) {
        if (!client_gone && !write("\n")) client_left();
      }
      if (next != grpc::CompletionQueue::GOT_EVENT || !ok || client_gone) break;
      std::string json;
      if (!WireToJson(message, *response_prototype, &json)) {
        json = ErrorJson(grpc::StatusCode::INTERNAL, "the service sent an unreadable message", "");
        (void)write(absl::StrCat("{\"error\":", json, "}\n"));
        client_left();
        break;
      }
      if (!write(absl::StrCat("{\"result\":", json, "}\n"))) client_left();
    }
    grpc::Status status;
    call->Finish(&status, nullptr);
    (void)queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    if (!status.ok() && !client_gone) {
      (void)write(absl::StrCat(
          "{\"error\":",
          ErrorJson(status.error_code(), status.error_message(), status.error_details()),
          "}\n"));
    }
  };
  return http;
}

}  // namespace newsdesk::http
