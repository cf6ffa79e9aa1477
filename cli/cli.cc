#include "cli/cli.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli/ingest_report.h"
#include "common/auth/grpc_security.h"
#include "common/entities/entity_id.h"
#include "common/grpc/health_client.h"
#include "common/model/article_convert.h"
#include "common/model/publish_time_hints.h"
#include "common/server/server_util.h"
#include "google/protobuf/util/json_util.h"
#include "newsdesk/v1/admin_service.grpc.pb.h"
#include "newsdesk/v1/entity_alias_service.grpc.pb.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

namespace newsdesk::cli {
namespace {

constexpr char kUsage[] = R"(usage: newsdesk [flags] COMMAND [ARGS]

commands:
  ingest PATH...             ingest files, or every .txt/.html file in folders
  parse FILE                 parse a file without storing it (always JSON)
  get ID                     one article (always JSON)
  entity NAME                articles naming an entity (any spelling or id)
  dates START END            articles published in [START, END)
  topic TOPIC                articles on an IPTC topic (code or label) or below it
                             (only the topic itself with --exact)
  search                     articles matching every --entity/--all_entity/
                             --none_entity/--topic/--source/--from/--to/
                             --mentioned_from/--mentioned_to/--text flag given
                             (--collapse: near-copies folded into their original)
  watch                      a standing query: each new article matching the search
                             flags as it is indexed, until interrupted or --count=N
                             articles; --after=POSITION resumes after a log position
  entities [PREFIX]          entities with article counts; with --entity=X (and
                             --from/--to), those named most often with X
  resolve NAME               the entities a name may mean, with aliases and counts
  stories                    stories (articles about one event), largest first or
                             --order=recent; only those with an article naming
                             --entity, on --topic or published in --from/--to
  story ID                   one story (always JSON)
  topics                     topics with article counts (of the articles matching
                             the search flags given)
  counts [topic|entity|source]  article counts per group, and per --interval=
                             day|week|month, of the articles matching the search flags
  wait                       wait until both services report SERVING (30 s at most)
  aliases add SPELLING ID    make a spelling name an entity (or --new_name=NAME
                             --type=person|org|location|misc instead of ID: a new one)
  aliases remove SPELLING ID make a spelling stop naming an entity
  aliases merge SOURCE TARGET  merge entity SOURCE into TARGET
  aliases split ID SPELLING...  move spellings off an entity to --new_id=ID (an id
                             merged into it undoes the merge) or a new --new_name=NAME
  aliases list [ID]          the alias table's changes (about ID), and ID's aliases
  backup [NAME]              back up the ingest store while it runs, into NAME (default
                             backup-<UTC time>) under the service's --backup_dir
  reclassify                 classify stored articles again with the ingest service's
                             classifier: those of another IPTC release, or every
                             one with --every (after a new term table or model)

flags:
  --ingest=HOST:PORT         ingest service [env NEWSDESK_INGEST_ADDRESS, 127.0.0.1:50051]
  --query=HOST:PORT          query service [env NEWSDESK_QUERY_ADDRESS, 127.0.0.1:50052]
  --tls_ca=FILE              CA of the services' certificates: TLS [env NEWSDESK_TLS_CA]
  --tls_cert=FILE --tls_key=FILE   client certificate for mutual TLS
                             [env NEWSDESK_TLS_CLIENT_CERT, NEWSDESK_TLS_CLIENT_KEY]
  --token_file=FILE          bearer token sent with every call (needs --tls_ca)
                             [default: env NEWSDESK_TOKEN]
  --json                     print responses as JSON
  --page_size=N              results per page (default 20)
  --all                      follow next_page_token to the last page
  --source=NAME, --hint=DATE metadata for ingest: outlet and publication-time hint
  --hints=FILE               for ingest: per-file publication-time hints, one
                             "file name<TAB>hint" a line (data/seeds.hints.tsv);
                             they win over --hint
  --entity=X (any of, repeatable) --all_entity=X (all of) --none_entity=X (none of)
  --topic=T --from=T --to=T
  --mentioned_from=T --mentioned_to=T   articles mentioning a date in [T, T)
  --text=WORDS --phrase=KEY_PHRASE --exact --order=newest|oldest|relevance   for search
  --fields=F1,F2,...         entity, dates, topic, search: only these Article fields
                             (article_id,title,publish_time,...); the table asks for
                             only the fields it prints
  --no_explain               entity, dates, topic, search: matches without their
                             explanations (entity spellings, topics, spans)
  --min_log_position=N       read-your-writes for search, entity, dates, topic: answer
                             once the query service has applied the log up to N (the
                             log_sequence an ingest printed with --json)
  --new_name=NAME --new_id=ID --type=TYPE   for aliases add and split
Times are YYYY-MM-DD or RFC 3339 (2023-04-26T14:00:00Z).
)";

struct Flags {
  std::string ingest = EnvOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051");
  std::string query = EnvOr("NEWSDESK_QUERY_ADDRESS", "127.0.0.1:50052");
  std::string tls_ca = EnvOr("NEWSDESK_TLS_CA", "");
  std::string tls_cert = EnvOr("NEWSDESK_TLS_CLIENT_CERT", "");
  std::string tls_key = EnvOr("NEWSDESK_TLS_CLIENT_KEY", "");
  std::string token_file;
  // What every channel connects with, from the four above.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  bool json = false;
  bool all_pages = false;
  int page_size = 0;
  std::string hints;  // ingest: a file of per-file publication-time hints
  std::string source, hint, text, from, to, mentioned_from, mentioned_to, order, interval;
  std::string new_name, new_id, type;
  bool exact = false;
  bool collapse = false;  // search: near-copies folded into their original
  bool every = false;
  std::vector<std::string> fields;  // read_mask paths; empty: as the output needs
  bool no_explain = false;
  int64_t min_log_position = 0;
  int64_t count = 0;  // watch: stop after this many articles (0: never)
  int64_t after = 0;  // watch: resume after this log position
  std::vector<std::string> any_entities, all_entities, none_entities, topics, phrases;
  std::vector<std::string> positional;
};

bool ParseArgs(const std::vector<std::string>& args, Flags* flags, std::ostream& err) {
  for (const std::string& arg : args) {
    if (!absl::StartsWith(arg, "--")) {
      flags->positional.push_back(arg);
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "json") flags->json = true;
    else if (name == "all") flags->all_pages = true;
    else if (name == "ingest") flags->ingest = value;
    else if (name == "query") flags->query = value;
    else if (name == "tls_ca") flags->tls_ca = value;
    else if (name == "tls_cert") flags->tls_cert = value;
    else if (name == "tls_key") flags->tls_key = value;
    else if (name == "token_file") flags->token_file = value;
    else if (name == "source") flags->source = value;
    else if (name == "hint") flags->hint = value;
    else if (name == "hints")
      flags->hints = value;
    else if (name == "text") flags->text = value;
    else if (name == "from") flags->from = value;
    else if (name == "to") flags->to = value;
    else if (name == "mentioned_from") flags->mentioned_from = value;
    else if (name == "mentioned_to") flags->mentioned_to = value;
    else if (name == "order") flags->order = value;
    else if (name == "entity") flags->any_entities.push_back(value);
    else if (name == "all_entity") flags->all_entities.push_back(value);
    else if (name == "none_entity") flags->none_entities.push_back(value);
    else if (name == "topic") flags->topics.push_back(value);
    else if (name == "phrase") flags->phrases.push_back(value);
    else if (name == "exact") flags->exact = true;
    else if (name == "collapse") flags->collapse = true;
    else if (name == "every") flags->every = true;
    else if (name == "fields") flags->fields = absl::StrSplit(value, ',', absl::SkipEmpty());
    else if (name == "no_explain") flags->no_explain = true;
    else if (name == "interval") flags->interval = value;
    else if (name == "new_name") flags->new_name = value;
    else if (name == "new_id") flags->new_id = value;
    else if (name == "type") flags->type = value;
    else if (name == "page_size" || name == "min_log_position" || name == "count" ||
             name == "after") {
      int64_t number = 0;
      if (!absl::SimpleAtoi(value, &number) || number < 0 ||
          (name == "page_size" && number > std::numeric_limits<int>::max())) {
        err << "--" << name << " wants a number, 0 or more\n";
        return false;
      }
      if (name == "page_size") flags->page_size = static_cast<int>(number);
      if (name == "min_log_position") flags->min_log_position = number;
      if (name == "count") flags->count = number;
      if (name == "after") flags->after = number;
    } else {
      err << "unknown flag " << arg << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

bool ParseTimeArg(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error) &&
      !absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &error)) {
    return false;
  }
  ToProto(t, out);
  return true;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string FormatTime(const v1::ArticleTime& time) {
  if (time.precision() == v1::TIME_PRECISION_UNSPECIFIED) return "unknown";
  const absl::Time t = absl::FromUnixSeconds(time.time().seconds());
  switch (time.precision()) {
    case v1::TIME_PRECISION_YEAR: return absl::FormatTime("%Y", t, absl::UTCTimeZone());
    case v1::TIME_PRECISION_MONTH: return absl::FormatTime("%Y-%m", t, absl::UTCTimeZone());
    case v1::TIME_PRECISION_DAY: return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
    default: return absl::FormatTime("%Y-%m-%d %H:%MZ", t, absl::UTCTimeZone());
  }
}

std::string Shorten(const std::string& s, size_t width) {
  if (s.size() <= width) return s;
  size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

void PrintMatches(const google::protobuf::RepeatedPtrField<v1::ArticleMatch>& matches,
                  std::ostream& out) {
  for (const v1::ArticleMatch& m : matches) {
    const v1::Article& a = m.article();
    out << a.article_id() << "  " << FormatTime(a.publish_time()) << "  "
        << Shorten(a.title().empty() ? "(untitled)" : a.title(), 70);
    std::vector<std::string> why;
    for (const v1::EntityMatch& e : m.entity_matches()) {
      why.push_back(absl::StrCat(e.entity_id(), " as \"", absl::StrJoin(e.spellings(), "\", \""),
                                 "\""));
    }
    for (const std::string& code : m.matched_topics()) why.push_back(code);
    if (!why.empty()) out << "  [" << absl::StrJoin(why, "; ") << "]";
    out << "\n";
  }
}

int Failed(const grpc::Status& status, std::ostream& err) {
  err << "error: " << status.error_message() << " (code " << status.error_code() << ")\n";
  return 1;
}

std::unique_ptr<v1::QueryService::Stub> QueryStub(const Flags& flags) {
  return v1::QueryService::NewStub(
      grpc::CreateChannel(flags.query, flags.credentials));
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

// Runs a paged find-style call, printing each page, following tokens when
// --all is given. The articles come with the --fields given, else whole
// for JSON and with only what PrintMatches shows for the table.
template <typename Request, typename Response, typename Call>
int RunPaged(const Flags& flags, Request request, Call call, std::ostream& out,
             std::ostream& err) {
  request.set_page_size(flags.page_size);
  request.set_min_log_position(flags.min_log_position);
  request.set_skip_explanations(flags.no_explain);
  std::vector<std::string> fields = flags.fields;
  if (fields.empty() && !flags.json) fields = {"article_id", "title", "publish_time"};
  for (const std::string& path : fields) request.mutable_read_mask()->add_paths(path);
  int64_t shown = 0;
  while (true) {
    Response response;
    auto context = Context();
    grpc::Status status = call(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
    } else {
      PrintMatches(response.matches(), out);
    }
    shown += response.matches_size();
    if (!flags.all_pages || response.next_page_token().empty()) {
      if (!flags.json) {
        out << shown << " of " << response.total_size() << " articles"
            << (response.next_page_token().empty() ? "" : " (more with --all)") << "\n";
      }
      return 0;
    }
    request.set_page_token(response.next_page_token());
  }
}

std::vector<std::filesystem::path> ExpandPaths(const std::vector<std::string>& args) {
  std::vector<std::filesystem::path> files;
  for (const std::string& arg : args) {
    std::filesystem::path p(arg);
    if (std::filesystem::is_directory(p)) {
      std::vector<std::filesystem::path> inside;
      for (const auto& entry : std::filesystem::directory_iterator(p)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".txt" || ext == ".html" || ext == ".htm")) {
          inside.push_back(entry.path());
        }
      }
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

bool ReadFile(const std::filesystem::path& path, std::string* content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *content = buffer.str();
  return true;
}

void FillRaw(const Flags& flags, const std::filesystem::path& path, std::string content,
             v1::RawArticle* raw) {
  raw->set_content(std::move(content));
  const std::string ext = path.extension().string();
  if (ext == ".html" || ext == ".htm") raw->set_content_type(v1::CONTENT_TYPE_HTML);
  raw->mutable_metadata()->set_source(flags.source);
  raw->mutable_metadata()->set_publish_time_hint(flags.hint);
}

int Ingest(const Flags& flags, std::ostream& out, std::ostream& err) {
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(flags.ingest, flags.credentials));
  int stored = 0, existing = 0;
  PublishTimeHints hints;
  if (!flags.hints.empty()) {
    absl::StatusOr<PublishTimeHints> read = ReadPublishTimeHints(flags.hints);
    if (!read.ok()) {
      err << "--hints: " << read.status().message() << "\n";
      return 2;
    }
    hints = *std::move(read);
  }
  const std::vector<std::filesystem::path> paths = ExpandPaths(flags.positional);
  IngestReport report(static_cast<int>(paths.size()), err);
  for (const auto& path : paths) {
    std::string content;
    if (!ReadFile(path, &content)) {
      err << path.string() << ": cannot read\n";
      report.Done("cannot read file");
      continue;
    }
    v1::IngestArticleRequest request;
    FillRaw(flags, path, std::move(content), request.mutable_article());
    if (auto hint = hints.find(path.filename().string()); hint != hints.end()) {
      request.mutable_article()->mutable_metadata()->set_publish_time_hint(hint->second);
    }
    v1::IngestArticleResponse response;
    auto context = Context();
    grpc::Status status = stub->IngestArticle(context.get(), request, &response);
    if (!status.ok()) {
      err << path.string() << ": " << status.error_message() << "\n";
      report.Done(IngestReport::Reason(status.error_code(), status.error_message(),
                                       status.error_details()));
      continue;
    }
    if (flags.json) {
      out << ToJson(response) << "\n";
    } else {
      const v1::Article& a = response.article();
      out << (response.already_existed() ? "exists " : "stored ") << a.article_id() << "  "
          << FormatTime(a.publish_time()) << "  "
          << Shorten(a.title().empty() ? "(untitled)" : a.title(), 60) << "  ("
          << path.filename().string() << ")\n";
    }
    ++(response.already_existed() ? existing : stored);
    report.Done();
  }
  out << stored << " stored, " << existing << " already stored, " << report.failed()
      << " failed\n";
  report.PrintFailures(out);
  return report.failed() == 0 ? 0 : 1;
}

std::string DescribeChange(const v1::AliasChange& c) {
  std::string what;
  switch (c.kind()) {
    case v1::ALIAS_CHANGE_KIND_ADD_ALIAS:
      what = absl::StrCat("add '", c.spellings(0), "' to ", c.entity_id(),
                          c.created() ? " (new)" : "");
      break;
    case v1::ALIAS_CHANGE_KIND_REMOVE_ALIAS:
      what = absl::StrCat("remove '", c.spellings(0), "' from ", c.entity_id());
      break;
    case v1::ALIAS_CHANGE_KIND_MERGE_ENTITIES:
      what = absl::StrCat("merge ", c.source_entity_id(), " into ", c.entity_id());
      break;
    case v1::ALIAS_CHANGE_KIND_SPLIT_ENTITY:
      what = absl::StrCat("split '", absl::StrJoin(c.spellings(), "', '"), "' off ",
                          c.entity_id(), " to ", c.new_entity_id(), c.created() ? " (new)" : "");
      break;
    default:
      what = "unknown change";
  }
  return absl::StrCat("version ", c.version(), ": ", what);
}

// `newsdesk aliases ...`: the EntityAliasService of the ingest service.
int Aliases(const Flags& flags, std::ostream& out, std::ostream& err) {
  const std::vector<std::string>& args = flags.positional;
  auto usage_error = [&err](absl::string_view why) {
    err << why << "\n" << kUsage;
    return 2;
  };
  if (args.empty()) return usage_error("aliases wants add, remove, merge, split or list");
  auto stub = v1::EntityAliasService::NewStub(
      grpc::CreateChannel(flags.ingest, flags.credentials));
  const std::string& verb = args[0];
  auto answer = [&](const grpc::Status& status, const v1::AliasChange& change) {
    if (!status.ok()) return Failed(status, err);
    out << (flags.json ? ToJson(change) : DescribeChange(change)) << "\n";
    return 0;
  };
  if (verb == "add") {
    v1::AddAliasRequest request;
    if (args.size() == 3) {
      request.set_entity_id(args[2]);
    } else if (args.size() == 2 && !flags.new_name.empty()) {
      request.set_new_entity_display_name(flags.new_name);
      const std::optional<EntityType> type = entities::ParseEntityTypeName(flags.type);
      if (!type) return usage_error("--type must be person, org, location or misc");
      request.set_new_entity_type(ToProto(*type));
    } else {
      return usage_error("aliases add wants SPELLING ID, or SPELLING --new_name=NAME --type=TYPE");
    }
    request.set_spelling(args[1]);
    v1::AddAliasResponse response;
    auto context = Context();
    const grpc::Status status = stub->AddAlias(context.get(), request, &response);
    return answer(status, response.change());
  }
  if (verb == "remove") {
    if (args.size() != 3) return usage_error("aliases remove wants SPELLING ID");
    v1::RemoveAliasRequest request;
    request.set_spelling(args[1]);
    request.set_entity_id(args[2]);
    v1::RemoveAliasResponse response;
    auto context = Context();
    const grpc::Status status = stub->RemoveAlias(context.get(), request, &response);
    return answer(status, response.change());
  }
  if (verb == "merge") {
    if (args.size() != 3) return usage_error("aliases merge wants SOURCE TARGET");
    v1::MergeEntitiesRequest request;
    request.set_source_entity_id(args[1]);
    request.set_target_entity_id(args[2]);
    v1::MergeEntitiesResponse response;
    auto context = Context();
    const grpc::Status status = stub->MergeEntities(context.get(), request, &response);
    return answer(status, response.change());
  }
  if (verb == "split") {
    if (args.size() < 3) return usage_error("aliases split wants ID SPELLING...");
    v1::SplitEntityRequest request;
    request.set_entity_id(args[1]);
    for (size_t i = 2; i < args.size(); ++i) request.add_spellings(args[i]);
    request.set_new_entity_id(flags.new_id);
    request.set_new_entity_display_name(flags.new_name);
    v1::SplitEntityResponse response;
    auto context = Context();
    const grpc::Status status = stub->SplitEntity(context.get(), request, &response);
    return answer(status, response.change());
  }
  if (verb == "list") {
    if (args.size() > 2) return usage_error("aliases list wants at most one id");
    v1::ListAliasChangesRequest request;
    if (args.size() == 2) request.set_entity_id(args[1]);
    request.set_page_size(flags.page_size);
    int64_t shown = 0;
    int64_t version = 0;
    while (true) {
      v1::ListAliasChangesResponse response;
      auto context = Context();
      grpc::Status status = stub->ListAliasChanges(context.get(), request, &response);
      if (!status.ok()) return Failed(status, err);
      version = response.table_version();
      for (const v1::AliasChange& change : response.changes()) {
        out << (flags.json ? ToJson(change) : DescribeChange(change)) << "\n";
        ++shown;
      }
      if (!flags.all_pages || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (args.size() == 2) {
      v1::GetAliasTableRequest get;
      get.set_entity_id(args[1]);
      v1::GetAliasTableResponse table;
      auto context = Context();
      grpc::Status status = stub->GetAliasTable(context.get(), get, &table);
      if (!status.ok()) return Failed(status, err);
      if (flags.json) {
        out << ToJson(table) << "\n";
        return 0;
      }
      out << table.entity_id() << "\t" << table.display_name()
          << "\taliases: " << absl::StrJoin(table.aliases(), ", ");
      if (!table.merged_entity_ids().empty()) {
        out << "\tmerged: " << absl::StrJoin(table.merged_entity_ids(), ", ");
      }
      out << "\n";
    }
    if (!flags.json) out << shown << " changes shown; table version " << version << "\n";
    return 0;
  }
  return usage_error(absl::StrCat("unknown aliases command '", verb, "'"));
}

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h" || arg == "help") {
      out << kUsage;
      return 0;
    }
  }
  Flags flags;
  if (!ParseArgs(args, &flags, err)) return 2;
  {
    absl::StatusOr<std::string> token = auth::ReadToken(flags.token_file);
    if (!token.ok()) {
      err << "error: " << token.status().message() << "\n";
      return 2;
    }
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        auth::MakeChannelCredentials({flags.tls_ca, flags.tls_cert, flags.tls_key, *token});
    if (!credentials.ok()) {
      err << "error: " << credentials.status().message() << "\n";
      return 2;
    }
    flags.credentials = *std::move(credentials);
  }
  if (flags.positional.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string command = flags.positional.front();
  flags.positional.erase(flags.positional.begin());
  const size_t nargs = flags.positional.size();
  auto usage_error = [&err](absl::string_view why) {
    err << why << "\n" << kUsage;
    return 2;
  };

  if (command == "ingest") {
    if (nargs == 0) return usage_error("ingest wants files or folders");
    return Ingest(flags, out, err);
  }
  if (command == "parse") {
    if (nargs != 1) return usage_error("parse wants one file");
    std::string content;
    if (!ReadFile(flags.positional[0], &content)) {
      err << flags.positional[0] << ": cannot read\n";
      return 1;
    }
    v1::ParseArticleRequest request;
    FillRaw(flags, flags.positional[0], std::move(content), request.mutable_article());
    v1::ParseArticleResponse response;
    auto stub = v1::IngestService::NewStub(
        grpc::CreateChannel(flags.ingest, flags.credentials));
    auto context = Context();
    grpc::Status status = stub->ParseArticle(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    out << ToJson(response.article()) << "\n";
    return 0;
  }
  if (command == "aliases") return Aliases(flags, out, err);
  if (command == "backup") {
    if (nargs > 1) return usage_error("backup wants at most a name");
    v1::CreateBackupRequest request;
    if (nargs == 1) request.set_name(flags.positional[0]);
    v1::CreateBackupResponse response;
    auto stub = v1::AdminService::NewStub(
        grpc::CreateChannel(flags.ingest, flags.credentials));
    // A backup of a large store takes longer than a query.
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    grpc::Status status = stub->CreateBackup(&context, request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
    } else {
      out << "backup " << response.name() << ": log sequences 1.." << response.head_sequence()
          << ", " << response.size_bytes() << " bytes\n";
    }
    return 0;
  }
  if (command == "reclassify") {
    if (nargs != 0) return usage_error("reclassify takes no arguments");
    auto stub = v1::IngestService::NewStub(
        grpc::CreateChannel(flags.ingest, flags.credentials));
    v1::ReclassifyArticlesRequest request;
    request.set_all(flags.every);
    int64_t visited = 0, updated = 0;
    std::string version;
    do {
      v1::ReclassifyArticlesResponse response;
      auto context = Context();
      grpc::Status status = stub->ReclassifyArticles(context.get(), request, &response);
      if (!status.ok()) return Failed(status, err);
      visited += response.visited_count();
      updated += response.updated_count();
      version = response.taxonomy_version();
      request.set_start_sequence(response.next_sequence());
    } while (request.start_sequence() != 0);
    out << "visited " << visited << " articles; " << updated
        << " got new topics under IPTC release " << version << "\n";
    return 0;
  }
  if (command == "wait") {
    for (const std::string& address : {flags.ingest, flags.query}) {
      absl::Status status = WaitUntilServing(
          grpc::CreateChannel(address, flags.credentials), absl::Seconds(30));
      if (!status.ok()) {
        err << address << ": " << status.message() << "\n";
        return 1;
      }
    }
    out << "both services are serving\n";
    return 0;
  }
  auto stub = QueryStub(flags);
  if (command == "get") {
    if (nargs != 1) return usage_error("get wants an article id");
    v1::GetArticleRequest request;
    request.set_name(flags.positional[0]);
    v1::GetArticleResponse response;
    auto context = Context();
    grpc::Status status = stub->GetArticle(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    out << ToJson(response.article()) << "\n";
    return 0;
  }
  if (command == "entity") {
    if (nargs != 1) return usage_error("entity wants one name or id");
    v1::FindArticlesByEntityRequest request;
    request.set_entity(flags.positional[0]);
    return RunPaged<v1::FindArticlesByEntityRequest, v1::FindArticlesByEntityResponse>(
        flags, request,
        [&stub](grpc::ClientContext* c, const auto& r, auto* resp) {
          return stub->FindArticlesByEntity(c, r, resp);
        },
        out, err);
  }
  if (command == "dates") {
    v1::FindArticlesByDateRangeRequest request;
    if (nargs != 2 || !ParseTimeArg(flags.positional[0], request.mutable_start_time()) ||
        !ParseTimeArg(flags.positional[1], request.mutable_end_time())) {
      return usage_error("dates wants START and END as YYYY-MM-DD or RFC 3339");
    }
    return RunPaged<v1::FindArticlesByDateRangeRequest, v1::FindArticlesByDateRangeResponse>(
        flags, request,
        [&stub](grpc::ClientContext* c, const auto& r, auto* resp) {
          return stub->FindArticlesByDateRange(c, r, resp);
        },
        out, err);
  }
  if (command == "topic") {
    if (nargs != 1) return usage_error("topic wants one code or label");
    v1::FindArticlesByTopicRequest request;
    request.set_topic(flags.positional[0]);
    request.set_exact(flags.exact);
    return RunPaged<v1::FindArticlesByTopicRequest, v1::FindArticlesByTopicResponse>(
        flags, request,
        [&stub](grpc::ClientContext* c, const auto& r, auto* resp) {
          return stub->FindArticlesByTopic(c, r, resp);
        },
        out, err);
  }
  // The search flags as a filter; false when a time flag is malformed.
  auto fill_filter = [&flags](v1::ArticleFilter* f) {
    for (const auto& e : flags.any_entities) f->add_any_entities(e);
    for (const auto& e : flags.all_entities) f->add_all_entities(e);
    for (const auto& e : flags.none_entities) f->add_none_entities(e);
    for (const auto& t : flags.topics) f->add_topics(t);
    for (const auto& p : flags.phrases) f->add_key_phrases(p);
    f->set_exact_topics(flags.exact);
    if (!flags.source.empty()) f->add_sources(flags.source);
    f->set_text(flags.text);
    return (flags.from.empty() || ParseTimeArg(flags.from, f->mutable_start_time())) &&
           (flags.to.empty() || ParseTimeArg(flags.to, f->mutable_end_time()));
  };
  if (command == "search") {
    v1::SearchArticlesRequest request;
    if (!fill_filter(request.mutable_filter())) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    if ((!flags.mentioned_from.empty() &&
         !ParseTimeArg(flags.mentioned_from, request.mutable_filter()->mutable_mentioned_start_time())) ||
        (!flags.mentioned_to.empty() &&
         !ParseTimeArg(flags.mentioned_to, request.mutable_filter()->mutable_mentioned_end_time()))) {
      return usage_error("--mentioned_from and --mentioned_to want YYYY-MM-DD or RFC 3339");
    }
    request.set_collapse_copies(flags.collapse);
    if (flags.order == "oldest") request.set_order(v1::SEARCH_ORDER_PUBLISH_TIME_ASC);
    else if (flags.order == "relevance") request.set_order(v1::SEARCH_ORDER_RELEVANCE);
    else if (!flags.order.empty() && flags.order != "newest") {
      return usage_error("--order is newest, oldest or relevance");
    }
    return RunPaged<v1::SearchArticlesRequest, v1::SearchArticlesResponse>(
        flags, request,
        [&stub](grpc::ClientContext* c, const auto& r, auto* resp) {
          return stub->SearchArticles(c, r, resp);
        },
        out, err);
  }
  if (command == "watch") {
    if (nargs != 0) return usage_error("watch takes the search flags, no arguments");
    v1::WatchArticlesRequest request;
    if (!fill_filter(request.mutable_filter())) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    request.set_start_after_log_position(flags.after);
    grpc::ClientContext context;  // no deadline: it runs until stopped
    auto reader = stub->WatchArticles(&context, request);
    int64_t seen = 0;
    v1::WatchArticlesResponse response;
    while ((flags.count == 0 || seen < flags.count) && reader->Read(&response)) {
      ++seen;
      if (flags.json) {
        out << ToJson(response) << "\n";
      } else {
        out << response.log_position() << "  ";
        google::protobuf::RepeatedPtrField<v1::ArticleMatch> one;
        *one.Add() = response.match();
        PrintMatches(one, out);
      }
      out.flush();
    }
    if (flags.count > 0 && seen == flags.count) {
      context.TryCancel();
      while (reader->Read(&response)) {
      }
      (void)reader->Finish();
      return 0;
    }
    const grpc::Status status = reader->Finish();
    return status.ok() ? 0 : Failed(status, err);
  }
  if (command == "entities") {
    v1::ListEntitiesRequest request;
    if (nargs == 1) request.set_prefix(flags.positional[0]);
    request.set_page_size(flags.page_size);
    if (flags.any_entities.size() > 1) return usage_error("entities takes one --entity");
    if (!flags.any_entities.empty()) request.set_cooccurs_with(flags.any_entities[0]);
    if ((!flags.from.empty() && !ParseTimeArg(flags.from, request.mutable_start_time())) ||
        (!flags.to.empty() && !ParseTimeArg(flags.to, request.mutable_end_time()))) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    v1::ListEntitiesResponse response;
    auto context = Context();
    grpc::Status status = stub->ListEntities(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
      return 0;
    }
    for (const v1::EntitySummary& e : response.entities()) {
      out << (request.cooccurs_with().empty() ? e.article_count() : e.cooccurrence_count())
          << "\t" << e.entity_id() << "\t" << e.display_name() << "\t"
          << absl::StrJoin(e.spellings(), ", ") << "\n";
    }
    out << response.entities_size() << " of " << response.total_size() << " entities\n";
    return 0;
  }
  if (command == "resolve") {
    if (nargs != 1) return usage_error("resolve wants one name");
    v1::ResolveEntityRequest request;
    request.set_name(flags.positional[0]);
    v1::ResolveEntityResponse response;
    auto context = Context();
    grpc::Status status = stub->ResolveEntity(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
      return 0;
    }
    for (const v1::EntityCandidate& c : response.candidates()) {
      out << c.article_count() << "\t" << c.entity_id() << "\t" << c.display_name()
          << "\taliases: " << absl::StrJoin(c.aliases(), ", ")
          << "\tseen as: " << absl::StrJoin(c.spellings(), ", ") << "\n";
    }
    out << response.candidates_size() << " candidates\n";
    return 0;
  }
  if (command == "stories") {
    if (nargs != 0) return usage_error("stories takes flags only");
    v1::ListStoriesRequest request;
    request.set_page_size(flags.page_size);
    if (!flags.any_entities.empty()) request.set_entity(flags.any_entities[0]);
    if (!flags.topics.empty()) request.set_topic(flags.topics[0]);
    if ((!flags.from.empty() && !ParseTimeArg(flags.from, request.mutable_start_time())) ||
        (!flags.to.empty() && !ParseTimeArg(flags.to, request.mutable_end_time()))) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    if (flags.order == "recent") request.set_order(v1::STORY_ORDER_RECENCY);
    else if (!flags.order.empty() && flags.order != "size") {
      return usage_error("--order is size or recent");
    }
    v1::ListStoriesResponse response;
    auto context = Context();
    grpc::Status status = stub->ListStories(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
      return 0;
    }
    for (const v1::Story& s : response.stories()) {
      std::vector<std::string> names;
      for (const v1::EntitySummary& e : s.top_entities()) names.push_back(e.display_name());
      if (names.size() > 4) names.resize(4);
      out << s.article_count() << "\t" << s.id() << "\t" << s.title() << "\t"
          << absl::StrJoin(names, ", ") << "\n";
    }
    out << response.stories_size() << " of " << response.total_size() << " stories\n";
    return 0;
  }
  if (command == "story") {
    if (nargs != 1) return usage_error("story wants one id");
    v1::GetStoryRequest request;
    request.set_name(flags.positional[0]);
    v1::GetStoryResponse response;
    auto context = Context();
    grpc::Status status = stub->GetStory(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    out << ToJson(response) << "\n";
    return 0;
  }
  if (command == "topics") {
    v1::ListTopicsRequest request;
    request.set_page_size(flags.page_size);
    if (!fill_filter(request.mutable_filter())) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    v1::ListTopicsResponse response;
    auto context = Context();
    grpc::Status status = stub->ListTopics(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
      return 0;
    }
    for (const v1::TopicSummary& t : response.topics()) {
      out << t.article_count() << "\t" << t.code() << "\t" << t.label() << "\n";
    }
    out << response.topics_size() << " of " << response.total_size() << " topics\n";
    return 0;
  }
  if (command == "counts") {
    v1::CountArticlesRequest request;
    if (!fill_filter(request.mutable_filter())) {
      return usage_error("--from and --to want YYYY-MM-DD or RFC 3339");
    }
    const std::string by = nargs == 1 ? flags.positional[0] : "";
    if (by == "topic") request.set_group_by(v1::COUNT_GROUP_BY_TOPIC);
    else if (by == "entity") request.set_group_by(v1::COUNT_GROUP_BY_ENTITY);
    else if (by == "source") request.set_group_by(v1::COUNT_GROUP_BY_SOURCE);
    else if (nargs != 0) return usage_error("counts groups by topic, entity or source");
    if (flags.interval == "day") request.set_interval(v1::COUNT_INTERVAL_DAY);
    else if (flags.interval == "week") request.set_interval(v1::COUNT_INTERVAL_WEEK);
    else if (flags.interval == "month") request.set_interval(v1::COUNT_INTERVAL_MONTH);
    else if (!flags.interval.empty()) return usage_error("--interval is day, week or month");
    request.set_max_groups(flags.page_size);
    v1::CountArticlesResponse response;
    auto context = Context();
    grpc::Status status = stub->CountArticles(context.get(), request, &response);
    if (!status.ok()) return Failed(status, err);
    if (flags.json) {
      out << ToJson(response) << "\n";
      return 0;
    }
    for (const v1::ArticleCountGroup& g : response.groups()) {
      out << g.article_count() << "\t" << g.key() << "\t" << g.label() << "\n";
      for (const v1::ArticleCountBucket& b : g.buckets()) {
        out << "\t"
            << absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(b.start_time().seconds()),
                                absl::UTCTimeZone())
            << "\t" << b.article_count() << "\n";
      }
    }
    out << response.total_size() << " articles, " << response.total_groups() << " groups\n";
    return 0;
  }
  return usage_error(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace newsdesk::cli
