#include "ingest_service/parse/paragraph_cleaner.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/line_rules.h"
#include "ingest_service/parse/whitespace.h"

namespace newsdesk::ingest {
namespace {

// Blocks before this index may hold the title, byline and publish date.
constexpr size_t kHeaderBlocks = 10;

enum class Role {
  kBody,
  kTitle,
  kByline,
  kDateLine,
  kReadingTime,
  kShareTail,
  kRelatedLinks,
  kCaption,  // a caption line with its credit
  kAltText,  // the short line before a caption
  kKeyPointsHeading,
  kKeyPoint,
  kStandfirst,
  kDateline,  // "KYIV, April 26 (Reuters) -"
};

struct Entry {
  std::string text;
  Role role = Role::kBody;
  bool list_item = false;
  ArticleTime date;     // known for date lines in the header zone
  bool update = false;  // the date line is labeled "Updated"
  std::string place;    // a dateline's place and agency
  std::string agency;
};

Entry MakeEntry(std::string text, Role role, bool list_item) {
  Entry entry;
  entry.text = std::move(text);
  entry.role = role;
  entry.list_item = list_item;
  return entry;
}

// The role a block has on its own, judged by line_rules.h.
Role RoleOf(absl::string_view text, bool in_header) {
  if (IsReadingTime(text)) return Role::kReadingTime;
  if (IsShareTail(text)) return Role::kShareTail;
  if (IsRelatedLinks(text)) return Role::kRelatedLinks;
  if (IsKeyPointsHeading(text)) return Role::kKeyPointsHeading;
  if (in_header && ParseByline(text)) return Role::kByline;
  if (FindCreditStart(text) != absl::string_view::npos) return Role::kCaption;
  return Role::kBody;
}

// Turns one block into one entry, or two for a labeled date followed by
// text: the date line and the text after it.
void AppendEntries(Block block, bool in_header, const CleanerOptions& options,
                   std::vector<Entry>* entries) {
  if (block.list_item) {
    entries->push_back(MakeEntry(std::move(block.text), Role::kBody, /*list_item=*/true));
    return;
  }
  if (std::optional<absl::string_view> item = StripBullet(block.text)) {
    entries->push_back(MakeEntry(std::string(*item), Role::kBody, /*list_item=*/true));
    return;
  }
  if (std::optional<DateMatch> date = FindDate(block.text, options.date_options);
      date && (date->rest.empty() || (in_header && date->labeled))) {
    std::string rest(date->rest);
    Entry line = MakeEntry(rest.empty() ? std::move(block.text) : date->time.evidence,
                           Role::kDateLine, /*list_item=*/false);
    if (in_header) {
      line.date = std::move(date->time);
      line.date.source = TimeSource::kText;
      line.date.provenance = absl::StrCat(options.position_name, " ", block.position);
      SetConfidence(date->labeled ? kLabeledDateLineConfidence : kDateLineConfidence,
                    &line.date);
      line.update = date->update;
    }
    entries->push_back(std::move(line));
    if (!rest.empty()) entries->push_back(MakeEntry(std::move(rest), Role::kBody, false));
    return;
  }
  const Role role = RoleOf(block.text, in_header);
  if (role == Role::kByline) block.text = std::string(*ParseByline(block.text));
  entries->push_back(MakeEntry(std::move(block.text), role, /*list_item=*/false));
}

// The list items right after a "Key Points" heading are key points.
void MarkKeyPoints(std::vector<Entry>* entries) {
  bool after_heading = false;
  for (Entry& entry : *entries) {
    if (entry.role == Role::kKeyPointsHeading) {
      after_heading = true;
    } else if (after_heading && entry.role == Role::kBody && entry.list_item) {
      entry.role = Role::kKeyPoint;
    } else {
      after_heading = false;
    }
  }
}

// The first content line is the title when it reads as a headline.
void MarkTitle(std::vector<Entry>* entries) {
  for (Entry& entry : *entries) {
    if (entry.role != Role::kBody) continue;
    if (!entry.list_item && IsHeadline(entry.text)) entry.role = Role::kTitle;
    return;
  }
}

// The line right after the title is the standfirst when header furniture
// follows it: a date line, byline, reading time or key points heading, with
// at most a photo (alt text and caption) in between.
void MarkStandfirst(std::vector<Entry>* entries) {
  constexpr size_t kMaxStandfirstBytes = 600;
  for (size_t i = 0; i + 2 < entries->size(); ++i) {
    if ((*entries)[i].role != Role::kTitle) continue;
    Entry& candidate = (*entries)[i + 1];
    if (candidate.role != Role::kBody || candidate.list_item ||
        candidate.text.size() > kMaxStandfirstBytes) {
      return;
    }
    for (size_t j = i + 2; j < entries->size(); ++j) {
      const Role role = (*entries)[j].role;
      if (role == Role::kAltText || role == Role::kCaption) continue;
      if (role == Role::kDateLine || role == Role::kByline || role == Role::kReadingTime ||
          role == Role::kKeyPointsHeading) {
        candidate.role = Role::kStandfirst;
      }
      return;
    }
    return;
  }
}

// A dateline opening the first body paragraph becomes its own entry.
void SplitDateline(std::vector<Entry>* entries) {
  for (size_t i = 0; i < entries->size(); ++i) {
    Entry& entry = (*entries)[i];
    if (entry.role != Role::kBody) continue;
    if (entry.list_item) return;
    const std::optional<Dateline> dateline = ParseDateline(entry.text);
    if (!dateline) return;
    Entry split = MakeEntry(std::string(absl::StripTrailingAsciiWhitespace(
                                absl::string_view(entry.text).substr(0, dateline->length))),
                            Role::kDateline, false);
    split.place = std::string(dateline->place);
    split.agency = std::string(dateline->agency);
    entry.text.erase(0, dateline->length);
    if (entry.text.empty()) {
      entry = std::move(split);
    } else {
      entries->insert(entries->begin() + i, std::move(split));
    }
    return;
  }
}

// A short body line directly before a credited caption is the image's alt
// text.
void MarkAltText(std::vector<Entry>* entries) {
  for (size_t i = 1; i < entries->size(); ++i) {
    Entry& before = (*entries)[i - 1];
    if ((*entries)[i].role == Role::kCaption && before.role == Role::kBody &&
        !before.list_item && IsImageAltText(before.text)) {
      before.role = Role::kAltText;
    }
  }
}

void Remove(RemovedBlockKind kind, std::string text, ParsedArticle* article) {
  article->removed_blocks.push_back({kind, std::move(text)});
}

void TakeByline(std::string byline, ParsedArticle* article) {
  if (!article->byline.empty()) return;
  BylineParts parts = SplitByline(byline);
  if (article->authors.empty()) article->authors = std::move(parts.authors);
  if (article->outlet.empty()) article->outlet = std::move(parts.outlet);
  article->byline = std::move(byline);
}

void TakeDateline(Entry entry, ParsedArticle* article) {
  if (article->dateline_place.empty()) article->dateline_place = std::move(entry.place);
  if (article->outlet.empty()) article->outlet = std::move(entry.agency);
  Remove(RemovedBlockKind::kDateline, std::move(entry.text), article);
}

void Emit(Entry entry, ParsedArticle* article) {
  switch (entry.role) {
    case Role::kBody:
      article->paragraphs.push_back(std::move(entry.text));
      break;
    case Role::kTitle:
      article->title_labels.clear();
      article->title = CleanHeadline(entry.text, &article->title_labels);
      break;
    case Role::kStandfirst:
      article->standfirst = std::move(entry.text);
      break;
    case Role::kByline:
      TakeByline(std::move(entry.text), article);
      break;
    case Role::kDateline:
      TakeDateline(std::move(entry), article);
      break;
    case Role::kDateLine: {
      ArticleTime& time = entry.update ? article->update_time : article->publish_time;
      if (!time.known() && entry.date.known()) time = std::move(entry.date);
      Remove(RemovedBlockKind::kDateLine, std::move(entry.text), article);
      break;
    }
    case Role::kReadingTime:
      Remove(RemovedBlockKind::kReadingTime, std::move(entry.text), article);
      break;
    case Role::kShareTail:
      Remove(RemovedBlockKind::kShareTail, std::move(entry.text), article);
      break;
    case Role::kRelatedLinks:
      Remove(RemovedBlockKind::kRelatedLinks, std::move(entry.text), article);
      break;
    case Role::kCaption:
      AppendCaption(entry.text, &article->removed_blocks);
      break;
    case Role::kAltText:
      Remove(RemovedBlockKind::kCaption, std::move(entry.text), article);
      break;
    case Role::kKeyPointsHeading:
      Remove(RemovedBlockKind::kHeading, std::move(entry.text), article);
      break;
    case Role::kKeyPoint:
      article->key_points.push_back(std::move(entry.text));
      break;
  }
}

}  // namespace

std::string NormalizeSpace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    if (const size_t width = WhitespaceWidth(text, i); width > 0) {
      pending_space = !out.empty();
      i += width;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(text[i++]);
  }
  return out;
}

void AppendCaption(absl::string_view caption, std::vector<RemovedBlock>* removed) {
  const size_t credit = FindCreditStart(caption);
  const absl::string_view text =
      absl::StripTrailingAsciiWhitespace(caption.substr(0, credit));
  if (!text.empty()) removed->push_back({RemovedBlockKind::kCaption, std::string(text)});
  if (credit != absl::string_view::npos) {
    removed->push_back({RemovedBlockKind::kCredit, std::string(caption.substr(credit))});
  }
}

void SetConfidence(double base, ArticleTime* time) {
  time->confidence =
      time->precision == TimePrecision::kMinute && !time->time_zone_known
          ? base - kNoZonePenalty
          : base;
}

void CleanParagraphs(std::vector<Block> blocks, const CleanerOptions& options,
                     ParsedArticle* article) {
  std::vector<Entry> entries;
  entries.reserve(blocks.size() + 1);
  for (size_t i = 0; i < blocks.size(); ++i) {
    AppendEntries(std::move(blocks[i]), i < kHeaderBlocks, options, &entries);
  }
  MarkKeyPoints(&entries);
  if (options.detect_title && article->title.empty()) MarkTitle(&entries);
  MarkAltText(&entries);
  MarkStandfirst(&entries);
  SplitDateline(&entries);
  for (Entry& entry : entries) Emit(std::move(entry), article);
}

}  // namespace newsdesk::ingest
