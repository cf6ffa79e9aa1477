#include "ingest_service/parse/quotes.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace newsdesk::ingest {
namespace {

constexpr size_t kMaxSpeakerWords = 5;
// A speaker before a quote stands within this many bytes of it.
constexpr size_t kMaxLeadBytes = 80;
// A quote is found again in its paragraph by up to this many first bytes.
constexpr size_t kQuoteKeyBytes = 40;

constexpr absl::string_view kOpeningMark = "\u201C";
constexpr absl::string_view kClosingMark = "\u201D";

constexpr absl::string_view kSpeechVerbs[] = {
    "said",  "says",   "added",    "adds",   "told",    "tells",   "wrote",
    "writes", "asked", "asks",     "stated", "states",  "announced", "declared",
    "insisted", "noted", "warned", "argued", "explained", "replied", "continued"};

// Roles that end a title before a name: "Chinese President Xi Jinping" ->
// "Xi Jinping". A run without one ("Chinese Foreign Ministry") is kept whole.
constexpr absl::string_view kRoles[] = {
    "President", "Minister", "Chancellor", "Secretary", "Spokesman", "Spokeswoman",
    "Spokesperson", "Senator", "Sen", "Rep", "Governor", "Gov", "Mayor", "King", "Queen",
    "Pope", "Premier", "Leader", "Chairman", "Chairwoman", "Ambassador", "Envoy",
    "Commander", "Chief", "Mr", "Mrs", "Ms", "Dr", "Prof"};

constexpr absl::string_view kNameParticles[] = {"von", "der", "de", "van", "da", "bin", "al",
                                                "la", "le", "del", "di", "du", "den"};

bool InList(absl::string_view word, absl::Span<const absl::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool IsSpeechVerb(absl::string_view word) {
  return InList(absl::AsciiStrToLower(word), kSpeechVerbs);
}

// "he" or "she" (in any case) as the pronoun a quote keeps as its speaker
// until LinkQuoteSpeakers resolves it; "" for any other word.
std::string PronounOf(absl::string_view word) {
  for (absl::string_view pronoun : {"he", "she"}) {
    if (absl::EqualsIgnoreCase(word, pronoun)) return std::string(pronoun);
  }
  return "";
}

// A word of a name: capitalized (or non-ASCII, as in "Ørsted"), letters,
// apostrophes, hyphens and periods ("Jr.", "O'Neill").
bool IsNameWord(absl::string_view word) {
  if (word.empty()) return false;
  const unsigned char first = static_cast<unsigned char>(word[0]);
  if (!absl::ascii_isupper(first) && first < 0x80) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    return absl::ascii_isalpha(u) || u >= 0x80 || c == '\'' || c == '-' || c == '.';
  });
}

// True for "Ministry's" or "Ministry’s": a possessive that precedes the
// name it qualifies.
bool IsPossessive(absl::string_view word) {
  return absl::EndsWith(word, "'s") || absl::EndsWith(word, "\u2019s");
}

// `words` as one name without a leading title or possessive ("Chinese
// Foreign Ministry's Yu Jun" -> "Yu Jun"); "" when nothing is left.
std::string NameOf(absl::Span<const absl::string_view> words) {
  size_t first = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (InList(absl::StripSuffix(words[i], "."), kRoles) || IsPossessive(words[i])) {
      first = i + 1;
    }
  }
  std::string name;
  for (size_t i = first; i < words.size(); ++i) {
    if (!name.empty()) name.push_back(' ');
    name.append(words[i].data(), words[i].size());
  }
  // A trailing period belongs to the sentence unless it ends an initial.
  if (absl::EndsWith(name, ".") && name.size() >= 3 && name[name.size() - 3] != ' ') {
    name.pop_back();
  }
  return name;
}

std::vector<absl::string_view> Words(absl::string_view text) {
  return absl::StrSplit(text, ' ', absl::SkipEmpty());
}

// The speaker in the text after a quote: "said Andriy Yermak, ..." or
// "Zelensky said ...".
std::optional<std::string> SpeakerAfter(absl::string_view after) {
  std::vector<absl::string_view> words = Words(after.substr(0, 160));
  if (words.empty()) return std::nullopt;
  // Punctuation glued to a word ends the name: "Yermak," "Kuleba."
  auto bare = [](absl::string_view word) {
    return absl::StripSuffix(absl::StripSuffix(absl::StripSuffix(word, ","), ";"), ".");
  };
  // "…," he said.
  if (std::string pronoun = PronounOf(words[0]);
      !pronoun.empty() && words.size() > 1 && IsSpeechVerb(bare(words[1]))) {
    return pronoun;
  }
  // "the Chinese Foreign Ministry said".
  size_t start = absl::EqualsIgnoreCase(words[0], "the") ? 1 : 0;
  if (start == words.size()) return std::nullopt;
  if (IsSpeechVerb(bare(words[0]))) {
    std::vector<absl::string_view> name;
    size_t i = 1;
    if (i < words.size() && absl::EqualsIgnoreCase(words[i], "the")) ++i;
    for (; i < words.size() && name.size() < kMaxSpeakerWords; ++i) {
      const absl::string_view word = bare(words[i]);
      if (!IsNameWord(word) && !(name.size() > 0 && InList(word, kNameParticles))) break;
      name.push_back(word);
      if (word.size() != words[i].size()) break;
    }
    // "said Foreign Ministry spokesperson, Mao Ning": the name follows the
    // role.
    if (i < words.size() && absl::EndsWith(words[i], ",") &&
        absl::ascii_islower(static_cast<unsigned char>(words[i][0]))) {
      std::vector<absl::string_view> after;
      for (size_t j = i + 1; j < words.size() && after.size() < kMaxSpeakerWords; ++j) {
        const absl::string_view word = bare(words[j]);
        if (!IsNameWord(word)) break;
        after.push_back(word);
        if (word.size() != words[j].size()) break;
      }
      if (!after.empty()) name = std::move(after);
    }
    if (name.empty()) return std::nullopt;
    std::string speaker = NameOf(name);
    return speaker.empty() ? std::nullopt : std::optional<std::string>(speaker);
  }
  std::vector<absl::string_view> name;
  size_t i = start;
  for (; i < words.size() && name.size() < kMaxSpeakerWords; ++i) {
    if (!IsNameWord(words[i]) && !(name.size() > 0 && InList(words[i], kNameParticles))) {
      break;
    }
    name.push_back(words[i]);
  }
  if (name.empty() || i == words.size() || !IsSpeechVerb(bare(words[i]))) return std::nullopt;
  std::string speaker = NameOf(name);
  return speaker.empty() ? std::nullopt : std::optional<std::string>(speaker);
}

// The speaker in the text before a quote: "Xi said: " or "Macron told
// reporters, ".
std::optional<std::string> SpeakerBefore(absl::string_view before) {
  before = absl::StripTrailingAsciiWhitespace(before);
  if (!absl::EndsWith(before, ":") && !absl::EndsWith(before, ",")) return std::nullopt;
  before.remove_suffix(1);
  if (before.size() > kMaxLeadBytes) before = before.substr(before.size() - kMaxLeadBytes);
  const std::vector<absl::string_view> words = Words(before);
  // The verb is among the last four words; the name is right before it.
  for (size_t v = words.size(); v-- > 0 && words.size() - v <= 4;) {
    if (!IsSpeechVerb(words[v])) continue;
    // He said: "…"
    if (std::string pronoun = v > 0 ? PronounOf(words[v - 1]) : ""; !pronoun.empty()) {
      return pronoun;
    }
    size_t first = v;
    while (first > 0 && v - first < kMaxSpeakerWords &&
           (IsNameWord(words[first - 1]) ||
            (first < v && InList(words[first - 1], kNameParticles)))) {
      if (absl::EndsWith(words[first - 1], ",")) break;
      --first;
    }
    if (first == v) return std::nullopt;
    std::string speaker =
        NameOf(absl::MakeConstSpan(words).subspan(first, v - first));
    return speaker.empty() ? std::nullopt : std::optional<std::string>(speaker);
  }
  return std::nullopt;
}

// Adds the quote `text` of paragraph `paragraph_index` with the speaker the
// text after or before it names, if any.
void AddQuote(absl::string_view before, absl::string_view text, absl::string_view after,
              int paragraph_index, std::vector<Quote>* quotes) {
  if (quotes->size() >= kMaxQuotes) return;
  text = absl::StripSuffix(absl::StripAsciiWhitespace(text), ",");
  if (Words(text).size() < 2) return;
  std::optional<std::string> speaker = SpeakerAfter(after);
  if (!speaker) speaker = SpeakerBefore(before);
  if (!speaker) return;
  quotes->push_back(Quote{std::string(text), *std::move(speaker), "", paragraph_index});
}

struct Span {
  size_t open;         // the opening mark
  size_t text_begin;
  size_t text_end;
  size_t close_end;    // just past the closing mark
};

// Quoted spans, curly quotes first, then straight ones.
std::vector<Span> QuotedSpans(absl::string_view p) {
  std::vector<Span> spans;
  constexpr absl::string_view kOpen = kOpeningMark;
  constexpr absl::string_view kClose = kClosingMark;
  for (size_t at = p.find(kOpen); at != absl::string_view::npos; at = p.find(kOpen, at)) {
    const size_t close = p.find(kClose, at + kOpen.size());
    if (close == absl::string_view::npos) break;
    spans.push_back({at, at + kOpen.size(), close, close + kClose.size()});
    at = close + kClose.size();
  }
  if (!spans.empty()) return spans;
  for (size_t at = p.find('"'); at != absl::string_view::npos; at = p.find('"', at)) {
    const size_t close = p.find('"', at + 1);
    if (close == absl::string_view::npos) break;
    spans.push_back({at, at + 1, close, close + 1});
    at = close + 1;
  }
  return spans;
}

// The bytes of the quotation mark at text[at].
size_t MarkSize(absl::string_view text, size_t at) {
  return absl::StartsWith(text.substr(at), kOpeningMark) ? kOpeningMark.size() : 1;
}

bool OpensWithMark(absl::string_view paragraph) {
  return absl::StartsWith(paragraph, kOpeningMark) || absl::StartsWith(paragraph, "\"");
}

// Where a quotation mark opens a quote that `paragraph` does not close:
// after its last quoted span, a curly opening mark with no closing one, or
// an odd straight one.
std::optional<size_t> UnclosedOpening(absl::string_view paragraph,
                                      const std::vector<Span>& spans) {
  const size_t from = spans.empty() ? 0 : spans.back().close_end;
  const absl::string_view rest = paragraph.substr(from);
  const size_t curly = rest.find(kOpeningMark);
  if (curly != absl::string_view::npos) {
    if (rest.find(kClosingMark, curly) != absl::string_view::npos) return std::nullopt;
    return from + curly;
  }
  if (!spans.empty() && paragraph[spans.back().open] != '"') return std::nullopt;
  const size_t straight = rest.find('"');
  if (straight == absl::string_view::npos) return std::nullopt;
  return from + straight;
}

// The start of the sentence that holds text[at]: just after the last ". ",
// "? " or "! " (a closing quotation mark may follow the punctuation) before
// it, or 0.
size_t SentenceStart(absl::string_view text, size_t at) {
  for (size_t i = std::min(at, text.size()); i-- > 1;) {
    if (text[i] != ' ') continue;
    size_t end = i;
    if (end >= 1 && text[end - 1] == '"') --end;
    if (end >= kClosingMark.size() &&
        text.substr(end - kClosingMark.size(), kClosingMark.size()) == kClosingMark) {
      end -= kClosingMark.size();
    }
    if (end >= 1 && (text[end - 1] == '.' || text[end - 1] == '?' || text[end - 1] == '!')) {
      return i + 1;
    }
  }
  return 0;
}

// The one person the sentence before `quote` names outside quotation marks
// (by its entity mentions), or null when it names none or several. The sentence before is
// in the quote's paragraph, or the last one of the paragraph before when
// the quote's sentence opens its paragraph.
const ArticleEntity* PersonBefore(absl::Span<const std::string> paragraphs,
                                  const std::vector<ArticleEntity>& entities,
                                  const Quote& quote) {
  if (quote.paragraph < 0 || static_cast<size_t>(quote.paragraph) >= paragraphs.size()) {
    return nullptr;
  }
  int index = quote.paragraph;
  absl::string_view paragraph = paragraphs[index];
  const size_t at =
      paragraph.find(absl::string_view(quote.text).substr(0, kQuoteKeyBytes));
  if (at == absl::string_view::npos) return nullptr;
  size_t end = SentenceStart(paragraph, at);
  if (end == 0) {
    if (index == 0) return nullptr;
    paragraph = paragraphs[--index];
    end = paragraph.size();
  }
  const size_t begin = SentenceStart(paragraph, end > 0 ? end - 1 : 0);
  // People named inside a quote are not who speaks.
  const std::vector<Span> spans = QuotedSpans(paragraph);
  const auto quoted = [&spans](size_t at) {
    return std::any_of(spans.begin(), spans.end(), [at](const Span& span) {
      return at >= span.text_begin && at < span.text_end;
    });
  };
  const ArticleEntity* found = nullptr;
  for (const ArticleEntity& entity : entities) {
    if (entity.type != EntityType::kPerson) continue;
    const bool mentioned = std::any_of(
        entity.mentions.begin(), entity.mentions.end(), [&](const EntityMention& m) {
          return m.section == TextSection::kBody && m.index == index &&
                 static_cast<size_t>(m.begin) >= begin &&
                 static_cast<size_t>(m.end) <= end && !quoted(m.begin);
        });
    if (!mentioned) continue;
    if (found != nullptr) return nullptr;
    found = &entity;
  }
  return found;
}

}  // namespace

void AppendQuotes(absl::Span<const std::string> paragraphs, std::vector<Quote>* quotes) {
  // The paragraph whose first quoted span closed a quote opened before it.
  size_t continued = paragraphs.size();
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    const absl::string_view paragraph = paragraphs[i];
    const std::vector<Span> spans = QuotedSpans(paragraph);
    for (size_t s = i == continued ? 1 : 0; s < spans.size(); ++s) {
      AddQuote(paragraph.substr(0, spans[s].open),
               paragraph.substr(spans[s].text_begin, spans[s].text_end - spans[s].text_begin),
               paragraph.substr(spans[s].close_end), static_cast<int>(i), quotes);
    }
    // A quote left open at the end of the paragraph goes on in the next
    // ones, each opening with a quotation mark, until one closes it.
    const std::optional<size_t> open = UnclosedOpening(paragraph, spans);
    if (!open) continue;
    std::string text(paragraph.substr(*open + MarkSize(paragraph, *open)));
    for (size_t j = i + 1; j < paragraphs.size() && OpensWithMark(paragraphs[j]); ++j) {
      const absl::string_view next = paragraphs[j];
      const std::vector<Span> next_spans = QuotedSpans(next);
      if (!next_spans.empty() && next_spans[0].open == 0) {
        absl::StrAppend(&text, " ",
                        next.substr(next_spans[0].text_begin,
                                    next_spans[0].text_end - next_spans[0].text_begin));
        AddQuote(paragraph.substr(0, *open), text, next.substr(next_spans[0].close_end),
                 static_cast<int>(i), quotes);
        continued = j;
        break;
      }
      absl::StrAppend(&text, " ", next.substr(MarkSize(next, 0)));
    }
  }
}

void LinkQuoteSpeakers(absl::Span<const std::string> paragraphs,
                       const std::vector<ArticleEntity>& entities,
                       std::vector<Quote>* quotes) {
  std::vector<Quote> linked;
  for (Quote& quote : *quotes) {
    if (quote.speaker == "he" || quote.speaker == "she") {
      const ArticleEntity* person = PersonBefore(paragraphs, entities, quote);
      if (person == nullptr) continue;  // no one, or more than one
      quote.speaker = person->display_name;
      quote.speaker_entity_id = person->id;
      linked.push_back(std::move(quote));
      continue;
    }
    const size_t space = quote.speaker.rfind(' ');
    const absl::string_view last =
        space == std::string::npos ? absl::string_view(quote.speaker)
                                   : absl::string_view(quote.speaker).substr(space + 1);
    for (const ArticleEntity& entity : entities) {
      if (entity.type != EntityType::kPerson) continue;
      const bool named =
          entity.display_name == quote.speaker ||
          std::any_of(entity.spellings.begin(), entity.spellings.end(),
                      [&](const std::string& s) { return s == quote.speaker || s == last; });
      if (named) {
        quote.speaker_entity_id = entity.id;
        break;
      }
    }
    linked.push_back(std::move(quote));
  }
  *quotes = std::move(linked);
}

}  // namespace newsdesk::ingest
