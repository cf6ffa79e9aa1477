// newsdesk-bench: a load generator for a running ingest and query service.
// Measures durable ingest throughput, acknowledgement-to-queryable latency
// and query latency for entity, date-range, topic and combined queries, and
// prints medians and 99th percentiles. Articles are made from the sample
// articles, each with its own date line and a unique reference line.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/model/article_convert.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "ingest service address");
ABSL_FLAG(std::string, query, "127.0.0.1:50052", "query service address");
ABSL_FLAG(std::string, seeds, "data/seeds", "folder of sample articles used as templates");
ABSL_FLAG(int, articles, 2000, "articles to ingest");
ABSL_FLAG(int, concurrency, 16, "concurrent ingest calls");
ABSL_FLAG(int, visibility_samples, 200, "articles timed from ack to queryable");
ABSL_FLAG(int, queries, 500, "queries of each kind");

namespace newsdesk::bench {
namespace {

struct Stats {
  double p50_us = 0, p99_us = 0, mean_us = 0;
};

Stats Summarize(std::vector<double> us) {
  Stats s;
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  s.p50_us = us[us.size() / 2];
  s.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  double sum = 0;
  for (double v : us) sum += v;
  s.mean_us = sum / us.size();
  return s;
}

void Print(const std::string& what, const Stats& s) {
  std::cout << absl::StrFormat("%-34s p50 %9.1f us   p99 %9.1f us   mean %9.1f us\n", what,
                               s.p50_us, s.p99_us, s.mean_us);
}

std::vector<std::string> LoadTemplates(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    out.push_back(buffer.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Article `n`: a template with a date line (spread over 2020-2024) and a
// unique reference line, so every article is new content.
std::string MakeArticle(const std::vector<std::string>& templates, int64_t n, uint64_t run) {
  const absl::CivilDay day = absl::CivilDay(2020, 1, 1) + static_cast<int>(n * 7919 % 1826);
  const std::string& body = templates[n % templates.size()];
  const size_t first_break = body.find('\n');
  return absl::StrCat(body.substr(0, first_break), "\n\n",
                      absl::FormatCivilTime(day).substr(0, 10), "\n",
                      body.substr(first_break == std::string::npos ? body.size() : first_break),
                      "\n\nReference ", run, "-", n, "\n");
}

template <typename Fn>
std::vector<double> TimeCalls(int count, Fn call) {
  std::vector<double> us;
  us.reserve(count);
  for (int i = 0; i < count; ++i) {
    const absl::Time start = absl::Now();
    if (!call(i)) {
      std::cerr << "query failed\n";
      continue;
    }
    us.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
  }
  return us;
}

int Main() {
  auto ingest_channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_ingest), grpc::InsecureChannelCredentials());
  auto query_channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_query), grpc::InsecureChannelCredentials());
  auto ingest = v1::IngestService::NewStub(ingest_channel);
  auto query = v1::QueryService::NewStub(query_channel);
  const std::vector<std::string> templates = LoadTemplates(absl::GetFlag(FLAGS_seeds));
  if (templates.empty()) {
    std::cerr << "no templates in " << absl::GetFlag(FLAGS_seeds) << "\n";
    return 1;
  }
  const uint64_t run = absl::ToUnixNanos(absl::Now());

  // 1. Durable ingest throughput with concurrent clients.
  const int total = absl::GetFlag(FLAGS_articles);
  std::atomic<int> next{0}, failures{0};
  std::vector<std::vector<double>> ack_us(absl::GetFlag(FLAGS_concurrency));
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_concurrency); ++t) {
    threads.emplace_back([&, t] {
      for (int n = next++; n < total; n = next++) {
        v1::IngestArticleRequest request;
        request.mutable_article()->set_content(MakeArticle(templates, n, run));
        v1::IngestArticleResponse response;
        grpc::ClientContext context;
        const absl::Time call_start = absl::Now();
        if (!ingest->IngestArticle(&context, request, &response).ok()) {
          ++failures;
          continue;
        }
        ack_us[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - call_start));
      }
    });
  }
  for (auto& th : threads) th.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<double> all_acks;
  for (auto& v : ack_us) all_acks.insert(all_acks.end(), v.begin(), v.end());
  std::cout << absl::StrFormat(
      "ingest: %d articles in %.2f s = %.0f articles/s durable (%d concurrent, %d failed)\n",
      total, seconds, total / seconds, absl::GetFlag(FLAGS_concurrency), failures.load());
  Print("ingest call latency", Summarize(all_acks));

  // 2. From acknowledgement to queryable, one article at a time.
  std::vector<double> visible_us;
  for (int i = 0; i < absl::GetFlag(FLAGS_visibility_samples); ++i) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(MakeArticle(templates, total + i, run));
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    if (!ingest->IngestArticle(&context, request, &response).ok()) continue;
    const absl::Time acked = absl::Now();
    v1::GetArticleRequest get;
    get.set_name(response.article().name());
    while (absl::Now() - acked < absl::Seconds(5)) {
      v1::GetArticleResponse got;
      grpc::ClientContext get_context;
      if (query->GetArticle(&get_context, get, &got).ok()) {
        visible_us.push_back(absl::ToDoubleMicroseconds(absl::Now() - acked));
        break;
      }
    }
  }
  Print("ack to queryable", Summarize(visible_us));

  // 3. Query latency, measured by this client over loopback.
  const int queries = absl::GetFlag(FLAGS_queries);
  const std::vector<std::string> names = {"Zelenskiy", "Xi Jinping", "Kyiv", "Putin",
                                          "NATO", "Macron", "Bakhmut", "Beijing"};
  Print("query: entity", Summarize(TimeCalls(queries, [&](int i) {
          v1::FindArticlesByEntityRequest r;
          r.set_entity(names[i % names.size()]);
          v1::FindArticlesByEntityResponse resp;
          grpc::ClientContext c;
          return query->FindArticlesByEntity(&c, r, &resp).ok();
        })));
  Print("query: date range (one month)", Summarize(TimeCalls(queries, [&](int i) {
          v1::FindArticlesByDateRangeRequest r;
          const absl::CivilMonth month = absl::CivilMonth(2020, 1) + i % 60;
          ToProto(absl::FromCivil(month, absl::UTCTimeZone()), r.mutable_start_time());
          ToProto(absl::FromCivil(month + 1, absl::UTCTimeZone()), r.mutable_end_time());
          v1::FindArticlesByDateRangeResponse resp;
          grpc::ClientContext c;
          return query->FindArticlesByDateRange(&c, r, &resp).ok();
        })));
  Print("query: topic", Summarize(TimeCalls(queries, [&](int i) {
          v1::FindArticlesByTopicRequest r;
          r.set_topic(i % 2 ? "medtop:16000000" : "diplomacy");
          v1::FindArticlesByTopicResponse resp;
          grpc::ClientContext c;
          return query->FindArticlesByTopic(&c, r, &resp).ok();
        })));
  Print("query: entity+topic+year", Summarize(TimeCalls(queries, [&](int i) {
          v1::SearchArticlesRequest r;
          r.mutable_filter()->add_all_entities(names[i % names.size()]);
          r.mutable_filter()->add_topics("medtop:16000000");
          const absl::CivilYear year = absl::CivilYear(2020) + i % 5;
          ToProto(absl::FromCivil(year, absl::UTCTimeZone()), r.mutable_filter()->mutable_start_time());
          ToProto(absl::FromCivil(year + 1, absl::UTCTimeZone()),
                  r.mutable_filter()->mutable_end_time());
          v1::SearchArticlesResponse resp;
          grpc::ClientContext c;
          return query->SearchArticles(&c, r, &resp).ok();
        })));
  return failures.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace newsdesk::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::bench::Main();
}
