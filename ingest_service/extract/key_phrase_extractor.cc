#include "ingest_service/extract/key_phrase_extractor.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ingest_service/extract/tokenizer.h"
#include "ingest_service/extract/topic_text.h"

namespace newsdesk::ingest {
namespace {

constexpr double kTitleWeight = 2.0;
constexpr double kLeadWeight = 1.5;
constexpr double kBodyWeight = 1.0;

// Words that never make a key phrase on their own terms: English function
// words, reporting verbs and words of time and quantity that news prose puts
// next to anything. Written for this project.
const absl::flat_hash_set<std::string>& StopWords() {
  static const auto* const words = new absl::flat_hash_set<std::string>{
      "a", "about", "above", "according", "across", "after", "again", "against", "ago",
      "all", "almost", "along", "already", "also", "although", "always", "am", "among",
      "an", "and", "another", "any", "are", "around", "as", "at", "away", "back", "be",
      "became", "because", "become", "been", "before", "being", "below", "between",
      "both", "but", "by", "can", "cannot", "could", "day", "days", "did", "do", "does",
      "doing", "done", "down", "during", "each", "early", "either", "else", "enough",
      "even", "ever", "every", "far", "few", "first", "for", "former", "from", "further",
      "get", "gets", "getting", "give", "given", "go", "going", "good", "got", "had",
      "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself",
      "his", "how", "however", "i", "if", "in", "including", "into", "is", "it", "its",
      "itself", "just", "last", "late", "later", "latest", "least", "less", "let",
      "like", "likely", "made", "make", "makes", "many", "may", "me", "might", "month",
      "months", "more", "most", "mr", "mrs", "ms", "much", "must", "my", "near",
      "nearly", "need", "never", "new", "next", "no", "nor", "not", "now", "of", "off",
      "often", "on", "once", "one", "only", "or", "other", "others", "our", "out",
      "over", "own", "part", "past", "per", "perhaps", "put", "rather", "really",
      "recent", "recently", "said", "same", "say", "saying", "says", "second", "see",
      "seen", "several", "she", "should", "since", "so", "some", "still", "such",
      "take", "taken", "than", "that", "the", "their", "them", "themselves", "then",
      "there", "these", "they", "thing", "things", "this", "those", "though", "three",
      "through", "time", "times", "to", "today", "told", "too", "took", "toward",
      "towards", "two", "under", "until", "up", "upon", "us", "use", "used", "very",
      "via", "was", "way", "we", "week", "weeks", "well", "were", "what", "when",
      "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
      "with", "within", "without", "would", "year", "years", "yesterday", "yet", "you",
      "your", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
      "sunday", "january", "february", "march", "april", "june", "july", "august",
      "september", "october", "november", "december", "percent", "cent", "people",
      "added", "asked", "called", "came", "come", "comes", "continue", "continued",
      "expected", "found", "including", "known", "lot", "men", "want", "wants", "went",
      "whole", "women", "world", "statement", "reporters", "news", "report", "reported",
      "reports", "spokesman", "spokeswoman", "spokesperson", "official", "officials",
      "urge", "urged", "urges", "urging", "continue", "continues", "continuing", "lead",
      "leads", "leading", "hold", "holds", "holding", "held", "call", "calls", "calling",
      "seek", "seeks", "sought", "meet", "meets", "met", "point", "points", "amid"};
  return *words;
}

// One word of a text as key phrases see it.
struct Word {
  std::string lower;  // as written, lower-cased
  std::string stem;   // StemWord(lower)
  bool capitalised = false;
  bool sentence_start = false;
  bool content = false;  // may be part of a phrase
  bool joins_next = false;
};

std::vector<Word> Words(absl::string_view text) {
  std::vector<Token> tokens;
  Tokenize(text, &tokens);
  std::vector<Word> out;
  out.reserve(tokens.size());
  for (const Token& token : tokens) {
    Word word;
    word.lower = absl::AsciiStrToLower(token.text);
    word.stem = StemWord(word.lower);
    word.capitalised = token.Has(kCapitalised) || token.Has(kAllCapitals);
    word.sentence_start = token.Has(kSentenceStart);
    bool letters = word.lower.size() >= 2;
    for (char c : word.lower) {
      if (!absl::ascii_isalpha(static_cast<unsigned char>(c)) &&
          static_cast<unsigned char>(c) < 0x80) {
        letters = false;
      }
    }
    word.content = letters && !token.Has(kNumeric) && !StopWords().contains(word.lower);
    word.joins_next = token.JoinsNext() || token.Has(kHyphenAfter);
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace

KeyPhraseExtractor::KeyPhraseExtractor(KeyPhraseOptions options) : options_(options) {}

std::string KeyPhraseExtractor::Normalize(absl::string_view phrase) {
  std::vector<std::string> words;
  std::string current;
  for (unsigned char c : phrase) {
    if (absl::ascii_isalnum(c) || c >= 0x80) {
      current.push_back(static_cast<char>(absl::ascii_tolower(c)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return absl::StrJoin(words, " ");
}

std::vector<std::string> KeyPhraseExtractor::Extract(const Article& article) const {
  struct Zone {
    std::vector<Word> words;
    double weight;
  };
  std::vector<Zone> zones;
  zones.push_back({Words(article.title), kTitleWeight});
  bool lead = true;
  for (const std::string& paragraph : article.paragraphs) {
    if (paragraph.empty()) continue;
    zones.push_back({Words(paragraph), lead ? kLeadWeight : kBodyWeight});
    lead = false;
  }

  // Words the article writes in lower case somewhere: the others are names.
  absl::flat_hash_set<std::string> seen_lower;
  for (const Zone& zone : zones) {
    for (const Word& word : zone.words) {
      if (!word.capitalised) seen_lower.insert(word.stem);
    }
  }

  struct Candidate {
    double weight = 0;
    int words = 0;
    absl::flat_hash_map<std::string, int> forms;  // as written -> count
  };
  absl::flat_hash_map<std::string, Candidate> candidates;  // by stems
  for (const Zone& zone : zones) {
    const std::vector<Word>& words = zone.words;
    const int n = static_cast<int>(words.size());
    auto usable = [&](int i) {
      return words[i].content && seen_lower.contains(words[i].stem);
    };
    for (int i = 0; i < n; ++i) {
      if (!usable(i)) continue;
      std::string key = words[i].stem;
      std::string form = words[i].lower;
      for (int k = i + 1; k < n && k - i < options_.max_words; ++k) {
        if (!words[k - 1].joins_next || !usable(k)) break;
        key.append(" ").append(words[k].stem);
        form.append(" ").append(words[k].lower);
        Candidate& c = candidates[key];
        c.weight += zone.weight;
        c.words = k - i + 1;
        ++c.forms[form];
      }
    }
  }

  struct Scored {
    std::string key;
    double score;
    const Candidate* candidate;
  };
  std::vector<Scored> scored;
  for (const auto& [key, c] : candidates) {
    if (c.weight < options_.min_weight) continue;
    scored.push_back({key, c.weight * c.words, &c});
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.key < b.key;
  });

  std::vector<std::string> chosen_keys;
  std::vector<std::string> out;
  auto overlaps = [](const std::string& a, const std::string& b) {
    const std::string pa = " " + a + " ";
    const std::string pb = " " + b + " ";
    return absl::StrContains(pa, pb) || absl::StrContains(pb, pa);
  };
  for (const Scored& s : scored) {
    if (static_cast<int>(out.size()) >= options_.max_phrases) break;
    if (std::any_of(chosen_keys.begin(), chosen_keys.end(),
                    [&](const std::string& k) { return overlaps(k, s.key); })) {
      continue;
    }
    const std::pair<const std::string, int>* best = nullptr;
    for (const auto& form : s.candidate->forms) {
      if (best == nullptr || form.second > best->second ||
          (form.second == best->second && form.first < best->first)) {
        best = &form;
      }
    }
    chosen_keys.push_back(s.key);
    out.push_back(Normalize(best->first));
  }
  return out;
}

}  // namespace newsdesk::ingest
