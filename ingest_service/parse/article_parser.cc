#include "ingest_service/parse/article_parser.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/language_detector.h"
#include "ingest_service/parse/mentioned_dates.h"
#include "ingest_service/parse/quotes.h"
#include "ingest_service/parse/paragraph_cleaner.h"

namespace newsdesk::ingest {
namespace {

// How much of the content LooksLikeHtml() inspects for tags.
constexpr size_t kSniffBytes = 4096;
constexpr size_t kMinTags = 3;
// Hints are quoted in error messages up to this many bytes.
constexpr size_t kMaxQuotedHintBytes = 64;

bool StartsWithDocumentTag(absl::string_view content) {
  for (absl::string_view tag : {"<!doctype", "<html", "<head", "<body", "<article"}) {
    if (!absl::StartsWithIgnoreCase(content, tag)) continue;
    if (content.size() == tag.size()) return true;
    const unsigned char next = static_cast<unsigned char>(content[tag.size()]);
    if (next == '>' || next == '/' || absl::ascii_isspace(next)) return true;
  }
  return false;
}

bool StartsTag(absl::string_view text, size_t i) {
  if (i + 1 >= text.size() || text[i] != '<') return false;
  const unsigned char next = static_cast<unsigned char>(text[i + 1]);
  return absl::ascii_isalpha(next) || next == '/' || next == '!';
}

// True when `window` holds at least kMinTags tags and either starts with one
// or spends half its bytes on them.
bool IsTagDominated(absl::string_view window) {
  size_t tags = 0;
  size_t tag_bytes = 0;
  for (size_t i = window.find('<'); i != absl::string_view::npos;
       i = window.find('<', i)) {
    if (!StartsTag(window, i)) {
      ++i;
      continue;
    }
    const size_t close = window.find('>', i);
    if (close == absl::string_view::npos) break;
    ++tags;
    tag_bytes += close + 1 - i;
    i = close + 1;
  }
  return tags >= kMinTags && (StartsTag(window, 0) || 2 * tag_bytes >= window.size());
}

// `hint` shortened for an error message, cut on a UTF-8 character boundary.
std::string QuotableHint(absl::string_view hint) {
  if (hint.size() <= kMaxQuotedHintBytes) return std::string(hint);
  size_t cut = kMaxQuotedHintBytes;
  while (cut > 0 && (static_cast<unsigned char>(hint[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(hint.substr(0, cut), "...");
}

void ApplyHint(absl::string_view hint, const DateOptions& date_options,
               ParsedArticle* article) {
  if (hint.empty()) return;
  std::optional<ArticleTime> time = ParseDateExpression(hint, date_options);
  if (!time) return;
  time->source = TimeSource::kCallerHint;
  time->evidence = std::string(hint);
  time->provenance = "publish_time_hint";
  SetConfidence(kCallerHintConfidence, &*time);
  article->hinted_publish_time = *time;
  if (!article->publish_time.known()) article->publish_time = *std::move(time);
}

// The language of the article's title, standfirst, key points and
// paragraphs, read until the detector has seen enough.
DetectedLanguage DetectArticleLanguage(const ParsedArticle& article) {
  LanguageDetector detector;
  detector.Add(article.title);
  detector.Add(article.standfirst);
  for (const std::string& point : article.key_points) {
    if (!detector.WantsMore()) break;
    detector.Add(point);
  }
  for (const std::string& paragraph : article.paragraphs) {
    if (!detector.WantsMore()) break;
    detector.Add(paragraph);
  }
  return detector.Result();
}

}  // namespace

bool LooksLikeHtml(absl::string_view content) {
  absl::ConsumePrefix(&content, "\xEF\xBB\xBF");
  content = absl::StripLeadingAsciiWhitespace(content);
  return StartsWithDocumentTag(content) || IsTagDominated(content.substr(0, kSniffBytes));
}

ParsedArticle ArticleParser::Parse(const RawArticle& raw) const {
  const bool html =
      raw.content_type == ContentType::kHtml ||
      (raw.content_type == ContentType::kAuto && LooksLikeHtml(raw.content));
  DateOptions date_options;
  date_options.numeric_order = NumericDateOrderOf(raw.metadata.language);
  auto parse_content = [&] {
    return html ? html_parser_.Parse(raw.content, date_options)
                : text_parser_.Parse(raw.content, date_options);
  };
  ParsedArticle article = parse_content();
  const DetectedLanguage detected = DetectArticleLanguage(article);
  if (raw.metadata.language.empty() && article.page_language.empty()) {
    // Numeric dates are read in the order of the detected language; the
    // content is read again only when that order differs.
    const NumericDateOrder order = NumericDateOrderOf(detected.tag);
    if (order != date_options.numeric_order) {
      date_options.numeric_order = order;
      article = parse_content();
    }
  }
  article.detected_language = detected.tag;
  article.detected_language_confidence = detected.confidence;
  if (!raw.metadata.language.empty()) {
    article.language = raw.metadata.language;
    article.language_source = LanguageSource::kCaller;
  } else if (!article.page_language.empty()) {
    article.language = article.page_language;
    article.language_source = LanguageSource::kPageMetadata;
  } else {
    article.language = detected.tag;
    article.language_source = LanguageSource::kDetected;
  }
  ApplyHint(raw.metadata.publish_time_hint, date_options, &article);
  AppendMentionedDates(article.title, article.publish_time, &article.mentioned_dates);
  AppendMentionedDates(article.standfirst, article.publish_time, &article.mentioned_dates);
  for (const std::string& point : article.key_points) {
    AppendMentionedDates(point, article.publish_time, &article.mentioned_dates);
  }
  for (const std::string& paragraph : article.paragraphs) {
    AppendMentionedDates(paragraph, article.publish_time, &article.mentioned_dates);
  }
  AppendQuotes(article.paragraphs, &article.quotes);
  return article;
}

absl::Status ArticleParser::ValidateHint(absl::string_view hint,
                                         absl::string_view language) {
  DateOptions date_options;
  date_options.numeric_order = NumericDateOrderOf(language);
  if (hint.empty() || ParseDateExpression(hint, date_options)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "publish_time_hint '", QuotableHint(hint), "' is not a date the parser reads"));
}

}  // namespace newsdesk::ingest
