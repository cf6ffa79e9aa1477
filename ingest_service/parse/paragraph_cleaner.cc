#include "ingest_service/parse/paragraph_cleaner.h"

#include <optional>
#include <utility>

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
};

struct Entry {
  std::string text;
  Role role = Role::kBody;
  bool list_item = false;
  ArticleTime date;  // known for date lines in the header zone
};

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
void AppendEntries(Block block, bool in_header, std::vector<Entry>* entries) {
  if (block.list_item) {
    entries->push_back({std::move(block.text), Role::kBody, /*list_item=*/true, {}});
    return;
  }
  if (std::optional<absl::string_view> item = StripBullet(block.text)) {
    entries->push_back({std::string(*item), Role::kBody, /*list_item=*/true, {}});
    return;
  }
  if (std::optional<DateMatch> date = FindDate(block.text);
      date && (date->rest.empty() || (in_header && date->labeled))) {
    std::string rest(date->rest);
    Entry line{rest.empty() ? std::move(block.text) : date->time.evidence,
               Role::kDateLine,
               /*list_item=*/false,
               {}};
    if (in_header) line.date = std::move(date->time);
    entries->push_back(std::move(line));
    if (!rest.empty()) entries->push_back({std::move(rest), Role::kBody, false, {}});
    return;
  }
  const Role role = RoleOf(block.text, in_header);
  if (role == Role::kByline) block.text = std::string(*ParseByline(block.text));
  entries->push_back({std::move(block.text), role, /*list_item=*/false, {}});
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

void Emit(Entry entry, ParsedArticle* article) {
  switch (entry.role) {
    case Role::kBody:
      article->paragraphs.push_back(std::move(entry.text));
      break;
    case Role::kTitle:
      article->title = CleanHeadline(entry.text);
      break;
    case Role::kByline:
      if (article->byline.empty()) article->byline = std::move(entry.text);
      break;
    case Role::kDateLine:
      if (!article->publish_time.known() && entry.date.known()) {
        article->publish_time = std::move(entry.date);
        article->publish_time.source = TimeSource::kText;
      }
      Remove(RemovedBlockKind::kDateLine, std::move(entry.text), article);
      break;
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

void CleanParagraphs(std::vector<Block> blocks, const CleanerOptions& options,
                     ParsedArticle* article) {
  std::vector<Entry> entries;
  entries.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    AppendEntries(std::move(blocks[i]), i < kHeaderBlocks, &entries);
  }
  MarkKeyPoints(&entries);
  if (options.detect_title && article->title.empty()) MarkTitle(&entries);
  MarkAltText(&entries);
  for (Entry& entry : entries) Emit(std::move(entry), article);
}

}  // namespace newsdesk::ingest
