#include "ingest_service/parse/quotes.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace newsdesk::ingest {
namespace {

constexpr size_t kMaxSpeakerWords = 5;
// A speaker before a quote stands within this many bytes of it.
constexpr size_t kMaxLeadBytes = 80;

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

struct Span {
  size_t open;         // the opening mark
  size_t text_begin;
  size_t text_end;
  size_t close_end;    // just past the closing mark
};

// Quoted spans, curly quotes first, then straight ones.
std::vector<Span> QuotedSpans(absl::string_view p) {
  std::vector<Span> spans;
  constexpr absl::string_view kOpen = "\u201C";
  constexpr absl::string_view kClose = "\u201D";
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

}  // namespace

void AppendQuotes(absl::string_view paragraph, int paragraph_index,
                  std::vector<Quote>* quotes) {
  for (const Span& span : QuotedSpans(paragraph)) {
    if (quotes->size() >= kMaxQuotes) return;
    absl::string_view text =
        absl::StripAsciiWhitespace(paragraph.substr(span.text_begin, span.text_end - span.text_begin));
    text = absl::StripSuffix(text, ",");
    if (Words(text).size() < 2) continue;
    std::optional<std::string> speaker = SpeakerAfter(paragraph.substr(span.close_end));
    if (!speaker) speaker = SpeakerBefore(paragraph.substr(0, span.open));
    if (!speaker) continue;
    quotes->push_back(Quote{std::string(text), *std::move(speaker), "", paragraph_index});
  }
}

void LinkQuoteSpeakers(const std::vector<ArticleEntity>& entities,
                       std::vector<Quote>* quotes) {
  for (Quote& quote : *quotes) {
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
  }
}

}  // namespace newsdesk::ingest
