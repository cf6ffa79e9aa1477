#include "ingest_service/parse/html_parser.h"

#include <gumbo.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/html_prefilter.h"
#include "ingest_service/parse/json_ld.h"
#include "ingest_service/parse/line_rules.h"
#include "ingest_service/parse/paragraph_cleaner.h"

namespace newsdesk::ingest {
namespace {

// A <title> suffix longer than this is part of the headline, not a site name.
constexpr size_t kMaxSiteNameBytes = 40;
// Longer declared languages are no language tags.
constexpr size_t kMaxLanguageTagBytes = 35;

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// ---------------------------------------------------------------------------
// Tree access.

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

bool IsText(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA;
}

GumboTag TagOf(const GumboNode* node) {
  return IsElement(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

const GumboVector* ChildrenOf(const GumboNode* node) {
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  return IsElement(node) ? &node->v.element.children : nullptr;
}

absl::string_view Attribute(const GumboNode* element, const char* name) {
  const GumboAttribute* attribute =
      gumbo_get_attribute(&element->v.element.attributes, name);
  return attribute == nullptr ? absl::string_view() : absl::string_view(attribute->value);
}

// Visits `root` and its descendants in document order using an explicit
// stack. `visit(node)` returns whether to visit the node's children.
template <typename Visit>
void Walk(const GumboNode* root, Visit visit) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (!visit(node)) continue;
    if (const GumboVector* children = ChildrenOf(node)) {
      for (unsigned int i = children->length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children->data[i]));
      }
    }
  }
}

bool IsOneOf(GumboTag tag, absl::Span<const GumboTag> tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Formatting elements (a, b, em...) never reach the tree: PrefilterHtml drops
// their tags.
constexpr GumboTag kInlineTags[] = {
    GUMBO_TAG_ABBR, GUMBO_TAG_BDI,  GUMBO_TAG_BDO,  GUMBO_TAG_CITE,
    GUMBO_TAG_DATA, GUMBO_TAG_DFN,  GUMBO_TAG_KBD,  GUMBO_TAG_MARK,
    GUMBO_TAG_Q,    GUMBO_TAG_SAMP, GUMBO_TAG_SPAN, GUMBO_TAG_SUB,
    GUMBO_TAG_SUP,  GUMBO_TAG_TIME, GUMBO_TAG_VAR,  GUMBO_TAG_WBR};

constexpr GumboTag kTextlessTags[] = {GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE,
                                      GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE};

// The whitespace-normalized text of `root`, with a space wherever a
// non-inline element (a <br>, a nested <p>) begins or ends.
std::string TextOf(const GumboNode* root) {
  std::string text;
  std::vector<const GumboNode*> stack = {root};  // nullptr: a block ends
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node == nullptr) {
      text.push_back(' ');
    } else if (IsText(node)) {
      text.append(node->v.text.text);
    } else if (IsElement(node) && !IsOneOf(TagOf(node), kTextlessTags)) {
      if (!IsOneOf(TagOf(node), kInlineTags)) {
        text.push_back(' ');
        stack.push_back(nullptr);
      }
      const GumboVector& children = node->v.element.children;
      for (unsigned int i = children.length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i]));
      }
    }
  }
  return NormalizeSpace(text);
}

// The raw text of an element's text children: a <script>'s source.
std::string RawTextOf(const GumboNode* element) {
  std::string text;
  const GumboVector& children = element->v.element.children;
  for (unsigned int i = 0; i < children.length; ++i) {
    const GumboNode* child = static_cast<const GumboNode*>(children.data[i]);
    if (IsText(child)) text.append(child->v.text.text);
  }
  return text;
}

bool IsInside(const GumboNode* node, GumboTag ancestor) {
  for (const GumboNode* p = node->parent; p != nullptr; p = p->parent) {
    if (TagOf(p) == ancestor) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Metadata: title, publish time and byline candidates.

struct PageMetadata {
  std::optional<JsonLdArticle> json_ld;
  std::string og_title;
  std::string article_h1;  // the first <h1> inside an <article>
  std::string document_title;
  std::string published_time;  // article:published_time
  std::string modified_time;   // article:modified_time, og:updated_time
  std::string date;            // date, pubdate... meta tags, itemprop
  std::string date_name;       // which of those gave `date`
  std::string time_datetime;   // the first <time datetime>
  std::string author;          // <meta name="author">
  std::string description;     // og:description, else description
  std::string site_name;       // og:site_name
  std::string html_lang;       // <html lang>
  std::string og_locale;       // og:locale
};

constexpr absl::string_view kDateMetaNames[] = {
    "date",          "pubdate",       "publishdate",     "publish-date",
    "publish_date",  "dc.date",       "dc.date.issued",  "dcterms.date",
    "datepublished", "sailthru.date", "parsely-pub-date"};

void SetOnce(absl::string_view value, std::string* field) {
  if (field->empty()) *field = std::string(absl::StripAsciiWhitespace(value));
}

void ReadMeta(const GumboNode* meta, PageMetadata* page) {
  absl::string_view key = Attribute(meta, "property");
  if (key.empty()) key = Attribute(meta, "name");
  if (key.empty()) key = Attribute(meta, "itemprop");
  const std::string name = absl::AsciiStrToLower(key);
  const absl::string_view content = Attribute(meta, "content");
  if (name == "og:title") {
    SetOnce(content, &page->og_title);
  } else if (name == "article:published_time") {
    SetOnce(content, &page->published_time);
  } else if (name == "article:modified_time" || name == "og:updated_time" ||
             name == "datemodified") {
    SetOnce(content, &page->modified_time);
  } else if (name == "author") {
    SetOnce(content, &page->author);
  } else if (name == "og:description") {
    page->description = std::string(absl::StripAsciiWhitespace(content));
  } else if (name == "description") {
    SetOnce(content, &page->description);
  } else if (name == "og:site_name") {
    SetOnce(content, &page->site_name);
  } else if (name == "og:locale") {
    SetOnce(content, &page->og_locale);
  } else if (std::find(std::begin(kDateMetaNames), std::end(kDateMetaNames), name) !=
             std::end(kDateMetaNames)) {
    if (page->date.empty()) page->date_name = name;
    SetOnce(content, &page->date);
  }
}

PageMetadata ReadMetadata(const GumboNode* document) {
  PageMetadata page;
  Walk(document, [&page](const GumboNode* node) {
    switch (TagOf(node)) {
      case GUMBO_TAG_SCRIPT:
        if (!page.json_ld &&
            absl::StrContains(absl::AsciiStrToLower(Attribute(node, "type")),
                              "ld+json")) {
          page.json_ld = ReadJsonLdArticle(RawTextOf(node));
        }
        return false;
      case GUMBO_TAG_META:
        ReadMeta(node, &page);
        return false;
      case GUMBO_TAG_TITLE:
        if (page.document_title.empty()) page.document_title = TextOf(node);
        return false;
      case GUMBO_TAG_H1:
        if (page.article_h1.empty() && IsInside(node, GUMBO_TAG_ARTICLE)) {
          page.article_h1 = TextOf(node);
        }
        return false;
      case GUMBO_TAG_TIME:
        SetOnce(Attribute(node, "datetime"), &page.time_datetime);
        return true;
      case GUMBO_TAG_STYLE:
        return false;
      case GUMBO_TAG_HTML:
        SetOnce(Attribute(node, "lang"), &page.html_lang);
        return true;
      default:
        return node->type == GUMBO_NODE_DOCUMENT || IsElement(node);
    }
  });
  return page;
}

// `value` as a BCP 47 tag ("fr_FR" -> "fr-FR"), or "" when it does not read
// as one: a primary subtag of two or three letters, then subtags of letters
// and digits.
std::string LanguageTagOf(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  if (value.size() > kMaxLanguageTagBytes) return "";
  std::string tag;
  size_t subtag_size = 0;
  for (const char c : value) {
    if (c == '-' || c == '_') {
      if (subtag_size == 0) return "";
      tag.push_back('-');
      subtag_size = 0;
    } else if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      tag.push_back(c);
      ++subtag_size;
    } else {
      return "";
    }
  }
  const size_t primary = std::min(tag.find('-'), tag.size());
  if (subtag_size == 0 || primary < 2 || primary > 3) return "";
  for (size_t i = 0; i < primary; ++i) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(tag[i]))) return "";
  }
  return tag;
}

// The page's declared language: JSON-LD inLanguage, <html lang>, og:locale.
std::string PickPageLanguage(const PageMetadata& page) {
  const absl::string_view candidates[] = {
      page.json_ld ? absl::string_view(page.json_ld->in_language) : absl::string_view(),
      page.html_lang, page.og_locale};
  for (absl::string_view candidate : candidates) {
    std::string tag = LanguageTagOf(candidate);
    if (!tag.empty()) return tag;
  }
  return "";
}

// "China urges talks - Reuters" -> "China urges talks".
absl::string_view StripSiteSuffix(absl::string_view title) {
  constexpr absl::string_view kSeparators[] = {" | ",      " - ",  " \u2013 ",
                                               " \u2014 ", " :: ", " \u00B7 "};
  size_t cut = absl::string_view::npos;
  size_t separator_size = 0;
  for (absl::string_view separator : kSeparators) {
    const size_t at = title.rfind(separator);
    if (at != absl::string_view::npos && (cut == absl::string_view::npos || at > cut)) {
      cut = at;
      separator_size = separator.size();
    }
  }
  if (cut == absl::string_view::npos || cut == 0) return title;
  const absl::string_view site = title.substr(cut + separator_size);
  return site.size() > kMaxSiteNameBytes || site.size() >= cut ? title
                                                               : title.substr(0, cut);
}

std::string PickTitle(const PageMetadata& page, std::vector<std::string>* labels) {
  const std::string candidates[] = {
      page.json_ld ? NormalizeSpace(page.json_ld->headline) : std::string(),
      NormalizeSpace(page.og_title), page.article_h1,
      std::string(StripSiteSuffix(page.document_title))};
  for (const std::string& candidate : candidates) {
    labels->clear();
    std::string title = CleanHeadline(candidate, labels);
    if (!title.empty()) return title;
  }
  labels->clear();
  return "";
}

// A candidate time: the value and where it was found.
struct TimeCandidate {
  absl::string_view value;
  std::string provenance;
  double confidence;
};

ArticleTime PickTime(absl::Span<const TimeCandidate> candidates,
                     const DateOptions& date_options) {
  for (const TimeCandidate& candidate : candidates) {
    if (candidate.value.empty()) continue;
    if (std::optional<ArticleTime> time =
            ParseDateExpression(candidate.value, date_options)) {
      time->source = TimeSource::kHtmlMetadata;
      time->provenance = candidate.provenance;
      SetConfidence(candidate.confidence, &*time);
      return *std::move(time);
    }
  }
  return ArticleTime();
}

ArticleTime PickPublishTime(const PageMetadata& page, const DateOptions& date_options) {
  const TimeCandidate candidates[] = {
      {page.json_ld ? absl::string_view(page.json_ld->date_published) : absl::string_view(),
       "json-ld datePublished", kStructuredMetadataConfidence},
      {page.published_time, "meta article:published_time", kStructuredMetadataConfidence},
      {page.date, absl::StrCat("meta ", page.date_name), kStructuredMetadataConfidence},
      {page.time_datetime, "time datetime", kTimeElementConfidence}};
  return PickTime(candidates, date_options);
}

ArticleTime PickUpdateTime(const PageMetadata& page, const DateOptions& date_options) {
  const TimeCandidate candidates[] = {
      {page.json_ld ? absl::string_view(page.json_ld->date_modified) : absl::string_view(),
       "json-ld dateModified", kStructuredMetadataConfidence},
      {page.modified_time, "meta article:modified_time", kStructuredMetadataConfidence}};
  return PickTime(candidates, date_options);
}

std::vector<std::string> PickAuthors(const PageMetadata& page) {
  std::vector<std::string> names;
  if (page.json_ld) {
    for (const std::string& author : page.json_ld->authors) {
      std::string name = NormalizeSpace(author);
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(std::move(name));
      }
    }
  }
  return names;
}

// ---------------------------------------------------------------------------
// Body.

enum class NoiseRules {
  kTagsAndNames,  // skip noise tags and elements named like noise
  kTagsOnly,      // the fallback when names hid the whole body
};

constexpr GumboTag kNoiseTags[] = {
    GUMBO_TAG_NAV,    GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER,   GUMBO_TAG_ASIDE,
    GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE,  GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE,
    GUMBO_TAG_FORM,   GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT,   GUMBO_TAG_TEXTAREA,
    GUMBO_TAG_INPUT,  GUMBO_TAG_IFRAME, GUMBO_TAG_OBJECT,   GUMBO_TAG_EMBED,
    GUMBO_TAG_CANVAS, GUMBO_TAG_AUDIO,  GUMBO_TAG_VIDEO,    GUMBO_TAG_MENU};

bool IsNoiseWord(absl::string_view word) {
  return word == "ad" || word == "ads" || word == "adv" || word == "adslot" ||
         word == "adunit" || absl::StartsWith(word, "advert") ||
         absl::StartsWith(word, "share") || absl::StartsWith(word, "sharing") ||
         absl::StartsWith(word, "related") || word == "comment" || word == "comments" ||
         absl::StartsWith(word, "newsletter") || absl::StartsWith(word, "promo");
}

// Words that mark the main text; they outweigh noise words in the same name
// ("article-body has-ads").
bool IsContentWord(absl::string_view word) {
  return word == "content" || word == "body" || word == "story" || word == "main";
}

// True when a class or id value mentions noise and no content word. Words are
// the runs of letters and digits, compared in lower case.
bool NameMentionsNoise(absl::string_view name) {
  std::string words = absl::AsciiStrToLower(name);
  std::replace_if(
      words.begin(), words.end(),
      [](char c) { return !absl::ascii_isalnum(static_cast<unsigned char>(c)); }, ' ');
  bool noise = false;
  for (absl::string_view word : absl::StrSplit(words, ' ', absl::SkipEmpty())) {
    if (IsContentWord(word)) return false;
    noise = noise || IsNoiseWord(word);
  }
  return noise;
}

bool IsNoise(const GumboNode* element, NoiseRules rules) {
  const GumboTag tag = TagOf(element);
  if (IsOneOf(tag, kNoiseTags)) return true;
  if (rules == NoiseRules::kTagsOnly || tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY ||
      tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_ARTICLE) {
    return false;
  }
  return NameMentionsNoise(Attribute(element, "class")) ||
         NameMentionsNoise(Attribute(element, "id"));
}

// Sums of <p> text by element, kept in the order elements first appear.
class TextTally {
 public:
  void Add(const GumboNode* element, size_t size) {
    const auto [it, inserted] = index_.try_emplace(element, totals_.size());
    if (inserted) totals_.push_back({element, 0});
    totals_[it->second].second += size;
  }

  // The element with the most text, the first one on a tie; nullptr when no
  // element has any.
  const GumboNode* Most() const {
    const GumboNode* best = nullptr;
    size_t best_size = 0;
    for (const auto& [element, size] : totals_) {
      if (size > best_size) {
        best = element;
        best_size = size;
      }
    }
    return best;
  }

 private:
  absl::flat_hash_map<const GumboNode*, size_t> index_;
  std::vector<std::pair<const GumboNode*, size_t>> totals_;
};

// The element whose blocks are the body: the <article> with the most <p>
// text, else the first <main>, else the element holding the most <p> text.
const GumboNode* FindContentRoot(const GumboNode* root, NoiseRules rules) {
  const GumboNode* main = nullptr;
  TextTally by_article;
  TextTally by_parent;
  Walk(root, [&](const GumboNode* node) {
    if (!IsElement(node) || IsNoise(node, rules)) return false;
    const GumboTag tag = TagOf(node);
    if (tag == GUMBO_TAG_MAIN && main == nullptr) main = node;
    if (tag != GUMBO_TAG_P) return true;
    const size_t size = TextOf(node).size();
    by_parent.Add(node->parent, size);
    for (const GumboNode* p = node->parent; p != nullptr; p = p->parent) {
      if (TagOf(p) == GUMBO_TAG_ARTICLE) {
        by_article.Add(p, size);
        break;
      }
    }
    return false;
  });
  if (const GumboNode* article = by_article.Most()) return article;
  return main != nullptr ? main : by_parent.Most();
}

void AppendFigureCaptions(const GumboNode* figure, std::vector<RemovedBlock>* removed) {
  Walk(figure, [removed](const GumboNode* node) {
    if (TagOf(node) != GUMBO_TAG_FIGCAPTION) return IsElement(node);
    const std::string caption = TextOf(node);
    if (!caption.empty()) AppendCaption(caption, removed);
    return false;
  });
}

// The <p>, <h2>, <h3> and <li> blocks under `content`.
std::vector<Block> CollectBlocks(const GumboNode* content, NoiseRules rules,
                                 std::vector<RemovedBlock>* removed) {
  std::vector<Block> blocks;
  Walk(content, [&](const GumboNode* node) {
    if (!IsElement(node) || (node != content && IsNoise(node, rules))) return false;
    switch (TagOf(node)) {
      case GUMBO_TAG_FIGURE:
      case GUMBO_TAG_FIGCAPTION:
        AppendFigureCaptions(node, removed);
        return false;
      case GUMBO_TAG_P:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_LI:
        if (std::string text = TextOf(node); !text.empty()) {
          blocks.push_back({std::move(text), TagOf(node) == GUMBO_TAG_LI,
                            static_cast<int>(blocks.size()) + 1});
        }
        return false;
      default:
        return true;
    }
  });
  return blocks;
}

std::vector<Block> ExtractBody(const GumboNode* root,
                               std::vector<RemovedBlock>* removed) {
  for (NoiseRules rules : {NoiseRules::kTagsAndNames, NoiseRules::kTagsOnly}) {
    const GumboNode* content = FindContentRoot(root, rules);
    if (content == nullptr) continue;
    std::vector<RemovedBlock> captions;
    std::vector<Block> blocks = CollectBlocks(content, rules, &captions);
    if (blocks.empty()) continue;
    removed->insert(removed->end(), captions.begin(), captions.end());
    return blocks;
  }
  return {};
}

}  // namespace

ParsedArticle HtmlParser::Parse(absl::string_view html,
                                const DateOptions& caller_date_options) const {
  const std::optional<std::string> prefiltered = PrefilterHtml(html);
  if (prefiltered) html = *prefiltered;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // errors are not used; recording them costs time
  const std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&options, html.data(), html.size()));

  const PageMetadata page = ReadMetadata(output->document);
  ParsedArticle article;
  article.page_language = PickPageLanguage(page);
  DateOptions date_options = caller_date_options;
  if (date_options.numeric_order == NumericDateOrder::kUnknown) {
    date_options.numeric_order = NumericDateOrderOf(article.page_language);
  }
  article.title = PickTitle(page, &article.title_labels);
  article.publish_time = PickPublishTime(page, date_options);
  article.update_time = PickUpdateTime(page, date_options);
  article.authors = PickAuthors(page);
  if (!article.authors.empty()) {
    article.byline = absl::StrJoin(article.authors, ", ");
  } else if (std::string author = NormalizeSpace(page.author); !author.empty()) {
    article.byline = author;
    article.authors = SplitByline(author).authors;
  }
  article.outlet = NormalizeSpace(page.json_ld && !page.json_ld->publisher.empty()
                                      ? page.json_ld->publisher
                                      : page.site_name);
  std::vector<Block> blocks = ExtractBody(output->root, &article.removed_blocks);
  // The page's description is the standfirst; the body does not repeat it.
  article.standfirst = NormalizeSpace(
      page.json_ld && !page.json_ld->description.empty() ? page.json_ld->description
                                                          : page.description);
  if (!blocks.empty() && blocks.front().text == article.standfirst) {
    blocks.erase(blocks.begin());
  }
  CleanerOptions cleaner_options;
  cleaner_options.detect_title = false;
  cleaner_options.date_options = date_options;
  cleaner_options.position_name = "block";
  CleanParagraphs(std::move(blocks), cleaner_options, &article);
  return article;
}

}  // namespace newsdesk::ingest
