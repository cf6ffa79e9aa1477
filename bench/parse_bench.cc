// newsdesk-parse-bench: single-thread parsing throughput (so MB/s per core)
// of ArticleParser on the sample articles: as plain text (date extraction
// included), and as HTML pages made from the same articles with a head of
// metadata, JSON-LD, navigation, scripts, figures, asides and a footer.
// Google Benchmark prints bytes_per_second; bench/run_parse_bench.sh asks
// for repetitions and prints the medians.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest_service/parse/article_parser.h"

namespace newsdesk::bench {
namespace {

std::vector<std::string> ReadSeeds() {
  std::vector<std::string> seeds;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(absl::StrCat(NEWSDESK_DATA_DIR, "/seeds"))) {
    paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    seeds.push_back(content.str());
  }
  return seeds;
}

std::string HtmlPage(const std::string& text, int n) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  const absl::string_view title = lines.empty() ? "" : absl::StripAsciiWhitespace(lines[0]);
  std::string html = absl::StrCat(
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>", title,
      " | Example News</title><meta property=\"og:title\" content=\"", title,
      "\"><meta property=\"article:published_time\" content=\"2023-04-2", n % 9 + 1,
      "T08:15:00Z\"><meta name=\"viewport\" content=\"width=device-width\">"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
      "\"@type\":\"NewsArticle\",\"headline\":\"",
      title,
      "\",\"datePublished\":\"2023-04-26T08:15:00Z\",\"author\":[{\"@type\":\"Person\","
      "\"name\":\"Jane Doe\"}],\"publisher\":{\"@type\":\"Organization\",\"name\":"
      "\"Example News\"}}</script><style>body{font-family:sans-serif}.ad{display:none}"
      "</style><script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer."
      "push(arguments);}</script></head><body><header><nav><ul><li><a href=\"/\">Home</a>"
      "</li><li><a href=\"/world\">World</a></li><li><a href=\"/business\">Business</a>"
      "</li></ul></nav></header><main><article class=\"story\"><h1>",
      title, "</h1><p class=\"byline\">By Jane Doe</p><div class=\"share-tools\">"
      "<a href=\"#\">Share</a><a href=\"#\">Tweet</a></div>");
  for (size_t i = 1; i < lines.size(); ++i) {
    absl::StrAppend(&html, "<p>", absl::StripAsciiWhitespace(lines[i]), "</p>\n");
    if (i == 3) {
      absl::StrAppend(&html,
                      "<figure><img src=\"a.jpg\" alt=\"A photo\"><figcaption>A caption. "
                      "Photo: Jane Doe/Reuters</figcaption></figure><div class=\"ad-slot\">"
                      "Advertisement</div>");
    }
  }
  absl::StrAppend(&html,
                  "<aside class=\"related\"><h3>Related</h3><p>Another story</p></aside>"
                  "</article></main><footer><p>Copyright Example News</p></footer>"
                  "</body></html>");
  return html;
}

void Parse(benchmark::State& state, const std::vector<std::string>& documents,
           ContentType type) {
  const ingest::ArticleParser parser;
  std::vector<RawArticle> raws;
  int64_t bytes = 0;
  for (const std::string& document : documents) {
    RawArticle raw;
    raw.content = document;
    raw.content_type = type;
    bytes += document.size();
    raws.push_back(std::move(raw));
  }
  for (auto _ : state) {
    for (const RawArticle& raw : raws) benchmark::DoNotOptimize(parser.Parse(raw));
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_ParseText(benchmark::State& state) {
  static const std::vector<std::string> seeds = ReadSeeds();
  Parse(state, seeds, ContentType::kText);
}
BENCHMARK(BM_ParseText);

void BM_ParseHtml(benchmark::State& state) {
  static const std::vector<std::string> pages = [] {
    std::vector<std::string> out;
    int n = 0;
    for (const std::string& seed : ReadSeeds()) out.push_back(HtmlPage(seed, n++));
    return out;
  }();
  Parse(state, pages, ContentType::kHtml);
}
BENCHMARK(BM_ParseHtml);

}  // namespace
}  // namespace newsdesk::bench

BENCHMARK_MAIN();
