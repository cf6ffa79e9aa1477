#include "ingest_service/extract/topic_classifier.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/entities/name_key.h"
#include "common/status/status_macros.h"
#include "ingest_service/extract/tokenizer.h"
#include "ingest_service/extract/topic_text.h"

namespace newsdesk::ingest {
namespace {

constexpr double kTitleZone = 2.0;
constexpr double kLeadZone = 1.5;
constexpr double kBodyZone = 1.0;
constexpr int kMaxEntityMentions = 3;
constexpr int kMaxTermWords = 6;

}  // namespace

TopicClassifier::~TopicClassifier() = default;

absl::StatusOr<std::unique_ptr<KeywordTopicClassifier>> KeywordTopicClassifier::Load(
    const Taxonomy* taxonomy, const std::string& terms_path,
    const KeywordTopicClassifierOptions& options) {
  std::ifstream in(terms_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", terms_path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadFromString(taxonomy, buffer.str(), options);
}

absl::StatusOr<std::unique_ptr<KeywordTopicClassifier>>
KeywordTopicClassifier::LoadFromString(const Taxonomy* taxonomy,
                                       absl::string_view terms_tsv,
                                       const KeywordTopicClassifierOptions& options) {
  if (taxonomy == nullptr) return absl::InvalidArgumentError("no taxonomy");
  std::unique_ptr<KeywordTopicClassifier> classifier(
      new KeywordTopicClassifier(taxonomy, options));
  RETURN_IF_ERROR(classifier->ParseTerms(terms_tsv));
  return classifier;
}

absl::Status KeywordTopicClassifier::ParseTerms(absl::string_view tsv) {
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (absl::StripAsciiWhitespace(line).empty() || line.front() == '#' ||
        absl::StartsWith(line, "qcode\t")) {
      continue;
    }
    auto error = [line_number](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat("topic term table line ", line_number, ": ", what));
    };
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3 || cols.size() > 4) {
      return error(absl::StrCat("want 3 or 4 tab-separated columns, got ", cols.size()));
    }
    for (absl::string_view& col : cols) col = absl::StripAsciiWhitespace(col);
    const Taxonomy::Topic* topic =
        absl::StartsWith(cols[0], "medtop:") ? taxonomy_->Find(cols[0]) : nullptr;
    if (topic == nullptr || topic->retired) {
      return error(absl::StrCat("\"", cols[0], "\" is not an active IPTC media topic"));
    }
    double weight = 0;
    if (!absl::SimpleAtod(cols[1], &weight) || !(weight > 0)) {
      return error(absl::StrCat("bad weight \"", cols[1], "\""));
    }
    const int slot = SlotFor(*topic);
    for (absl::string_view term : absl::StrSplit(cols[2], '|', absl::SkipWhitespace())) {
      const std::string key = TermKey(term);
      const int words = static_cast<int>(std::count(key.begin(), key.end(), ' ')) + 1;
      if (key.empty() || words > kMaxTermWords) {
        return error(absl::StrCat("bad term \"", term, "\""));
      }
      terms_[key].hits.emplace_back(slot, weight);
      max_term_words_ = std::max(max_term_words_, words);
    }
    if (cols.size() == 4) {
      for (absl::string_view hint :
           absl::StrSplit(cols[3], '|', absl::SkipWhitespace())) {
        hint = absl::StripAsciiWhitespace(hint);
        if (absl::ConsumePrefix(&hint, "role:")) {
          std::pair<absl::string_view, absl::string_view> role_of =
              absl::StrSplit(hint, absl::MaxSplits('@', 1));
          const std::string key = TermKey(role_of.first);
          if (key.empty()) return error(absl::StrCat("bad role hint \"role:", hint, "\""));
          role_hints_[key].push_back(
              {std::string(absl::StripAsciiWhitespace(role_of.second)), slot, weight});
          continue;
        }
        entity_hints_.push_back({std::string(hint), slot, weight});
      }
    }
  }
  if (terms_.empty()) return absl::InvalidArgumentError("topic term table is empty");
  std::vector<std::string> prefixes;
  for (const auto& [key, entry] : terms_) {
    for (size_t space = key.find(' '); space != std::string::npos;
         space = key.find(' ', space + 1)) {
      prefixes.push_back(key.substr(0, space));
    }
  }
  for (std::string& prefix : prefixes) terms_[std::move(prefix)].extends = true;
  return absl::OkStatus();
}

int KeywordTopicClassifier::SlotFor(const Taxonomy::Topic& topic) {
  if (auto it = slot_by_code_.find(topic.code); it != slot_by_code_.end()) {
    return it->second;
  }
  std::vector<int> ancestors;
  for (const std::string& code : taxonomy_->Ancestors(topic.code)) {
    if (const Taxonomy::Topic* ancestor = taxonomy_->Find(code)) {
      ancestors.push_back(SlotFor(*ancestor));
    }
  }
  slots_.push_back({&topic, std::move(ancestors)});
  const int slot = static_cast<int>(slots_.size()) - 1;
  slot_by_code_[topic.code] = slot;
  return slot;
}

int KeywordTopicClassifier::ScanText(absl::string_view text, double zone,
                                     const std::vector<std::pair<int, int>>& names,
                                     std::vector<double>* evidence) const {
  std::vector<Token> tokens;
  Tokenize(text, &tokens);
  std::vector<std::string> stems;
  stems.reserve(tokens.size());
  for (const Token& token : tokens) stems.push_back(StemWord(token.text));
  std::string key;
  const int n = static_cast<int>(tokens.size());
  for (int i = 0; i < n;) {
    // The longest term starting at word i counts, and the words it covers
    // start no other term: "St. Louis Cardinals" is a team, not clergy.
    key.clear();
    const TermEntry* longest = nullptr;
    int longest_words = 1;
    for (int k = i; k < n && k < i + max_term_words_; ++k) {
      if (k > i) {
        if (tokens[k - 1].Has(kBreakAfter)) break;
        key.push_back(' ');
      }
      key.append(stems[k]);
      auto it = terms_.find(key);
      if (it == terms_.end()) break;
      if (!it->second.hits.empty()) {
        longest = &it->second;
        longest_words = k - i + 1;
      }
      if (!it->second.extends) break;
    }
    if (longest == nullptr) {
      ++i;
      continue;
    }
    // A term inside a longer name of a place or person says nothing: "bank"
    // in "West Bank", "packer" in "Kerry Packer".
    const Token& last = tokens[i + longest_words - 1];
    const int begin = static_cast<int>(tokens[i].text.data() - text.data());
    const int end = static_cast<int>(last.text.data() + last.text.size() - text.data());
    const bool in_name = std::any_of(names.begin(), names.end(), [&](const auto& name) {
      return name.first <= begin && end <= name.second &&
             end - begin < name.second - name.first;
    });
    if (!in_name) {
      for (const auto& [slot, weight] : longest->hits) (*evidence)[slot] += weight * zone;
    }
    i += longest_words;
  }
  return n;
}

std::vector<ArticleTopic> KeywordTopicClassifier::Classify(const Article& article) const {
  // Where the title (-1) and each paragraph name places or people in several
  // words. (Not organisations: "Chicago Bears" and "Bank of England" are
  // named by what they do.)
  absl::flat_hash_map<int, std::vector<std::pair<int, int>>> names;
  for (const ArticleEntity& entity : article.entities) {
    if (entity.type != EntityType::kLocation && entity.type != EntityType::kPerson) continue;
    for (const EntityMention& mention : entity.mentions) {
      if (mention.spelling.find(' ') == std::string::npos) continue;
      if (mention.section == TextSection::kTitle) {
        names[-1].emplace_back(mention.begin, mention.end);
      } else if (mention.section == TextSection::kBody) {
        names[mention.index].emplace_back(mention.begin, mention.end);
      }
    }
  }
  static const std::vector<std::pair<int, int>> kNoNames;
  auto names_in = [&](int index) -> const std::vector<std::pair<int, int>>& {
    auto it = names.find(index);
    return it == names.end() ? kNoNames : it->second;
  };
  std::vector<double> evidence(slots_.size());
  int words = ScanText(article.title, kTitleZone, names_in(-1), &evidence);
  bool lead = true;
  for (size_t p = 0; p < article.paragraphs.size(); ++p) {
    const std::string& paragraph = article.paragraphs[p];
    if (paragraph.empty()) continue;
    words += ScanText(paragraph, lead ? kLeadZone : kBodyZone, names_in(static_cast<int>(p)),
                      &evidence);
    lead = false;
  }
  for (const ArticleEntity& entity : article.entities) {
    for (const EntityHint& hint : entity_hints_) {
      // "org-*bank$": the id starts with "org-" and ends with "bank".
      absl::string_view fragment = hint.id_fragment;
      absl::string_view id = entity.id;
      if (const size_t star = fragment.find('*'); star != absl::string_view::npos) {
        if (!absl::ConsumePrefix(&id, fragment.substr(0, star))) continue;
        fragment.remove_prefix(star + 1);
      }
      const bool match = absl::EndsWith(fragment, "$")
                             ? absl::EndsWith(id, fragment.substr(0, fragment.size() - 1))
                             : absl::StrContains(id, fragment);
      if (match) {
        evidence[hint.slot] +=
            hint.weight * std::min(entity.mention_count, kMaxEntityMentions);
      }
    }
    // A role counts once per entity and hint, however often it is repeated.
    std::vector<const RoleHint*> counted;
    for (const EntityRole& role : entity.roles) {
      auto it = role_hints_.find(TermKey(role.role));
      if (it == role_hints_.end()) continue;
      for (const RoleHint& hint : it->second) {
        if (!absl::StrContains(role.of_entity_id, hint.of_fragment) ||
            std::find(counted.begin(), counted.end(), &hint) != counted.end()) {
          continue;
        }
        counted.push_back(&hint);
        evidence[hint.slot] += hint.weight;
      }
    }
  }

  // A topic's evidence includes that of the topics below it.
  std::vector<double> total = evidence;
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (evidence[s] == 0) continue;
    for (int ancestor : slots_[s].ancestors) total[ancestor] += evidence[s];
  }
  const double scale = 4.0 * (1.0 + words / 400.0);
  std::vector<double> score(slots_.size());
  absl::flat_hash_set<int> passing;
  for (size_t s = 0; s < slots_.size(); ++s) {
    score[s] = 1.0 - std::exp(-total[s] / scale);
    if (score[s] >= options_.threshold) passing.insert(static_cast<int>(s));
  }

  // The most specific passing topics: those with no passing topic below.
  absl::flat_hash_set<int> has_passing_descendant;
  for (int s : passing) {
    for (int ancestor : slots_[s].ancestors) has_passing_descendant.insert(ancestor);
  }
  std::vector<int> specific;
  for (int s : passing) {
    if (!has_passing_descendant.contains(s)) specific.push_back(s);
  }
  if (specific.empty()) {
    int best = -1;
    for (size_t s = 0; s < slots_.size(); ++s) {
      if (score[s] < options_.fallback_threshold) continue;
      if (best < 0 || score[s] > score[best] + 1e-12 ||
          (score[s] > score[best] - 1e-12 &&
           slots_[s].topic->level > slots_[best].topic->level)) {
        best = static_cast<int>(s);
      }
    }
    if (best >= 0) specific.push_back(best);
  }
  auto stronger = [&](int a, int b) {
    if (score[a] != score[b]) return score[a] > score[b];
    return slots_[a].topic->code < slots_[b].topic->code;
  };
  std::sort(specific.begin(), specific.end(), stronger);
  if (static_cast<int>(specific.size()) > options_.max_topics) {
    specific.resize(std::max(options_.max_topics, 0));
  }

  std::vector<ArticleTopic> found;
  for (int s : specific) {
    found.push_back({slots_[s].topic->code, slots_[s].topic->label, score[s], false});
  }
  std::vector<ArticleTopic> topics = WithAncestors(*taxonomy_, std::move(found));
  // A topic above the found ones has the score of all the evidence below it
  // (at least that of its best found descendant); they stay deepest first,
  // then strongest first.
  for (ArticleTopic& topic : topics) {
    if (!topic.implied) continue;
    if (auto it = slot_by_code_.find(topic.code); it != slot_by_code_.end()) {
      topic.score = std::max(topic.score, score[it->second]);
    }
  }
  auto implied = std::find_if(topics.begin(), topics.end(),
                              [](const ArticleTopic& t) { return t.implied; });
  std::sort(implied, topics.end(), [this](const ArticleTopic& a, const ArticleTopic& b) {
    const int level_a = slots_[slot_by_code_.at(a.code)].topic->level;
    const int level_b = slots_[slot_by_code_.at(b.code)].topic->level;
    if (level_a != level_b) return level_a > level_b;
    if (a.score != b.score) return a.score > b.score;
    return a.code < b.code;
  });
  return topics;
}

std::vector<ArticleTopic> WithAncestors(const Taxonomy& taxonomy,
                                        std::vector<ArticleTopic> specific) {
  absl::flat_hash_set<std::string> above_found;
  for (const ArticleTopic& t : specific) {
    for (std::string& a : taxonomy.Ancestors(t.code)) above_found.insert(std::move(a));
  }
  std::vector<ArticleTopic> out;
  absl::flat_hash_map<std::string, double> implied;  // code -> best descendant
  for (const ArticleTopic& t : specific) {
    if (above_found.contains(t.code)) {
      double& best = implied[t.code];
      best = std::max(best, t.score);
      continue;
    }
    out.push_back(t);
    out.back().implied = false;
    for (const std::string& a : taxonomy.Ancestors(t.code)) {
      double& best = implied[a];
      best = std::max(best, t.score);
    }
  }
  std::vector<std::pair<const Taxonomy::Topic*, double>> above;
  for (const auto& [code, best] : implied) {
    if (const Taxonomy::Topic* topic = taxonomy.Find(code)) above.emplace_back(topic, best);
  }
  std::sort(above.begin(), above.end(), [](const auto& a, const auto& b) {
    if (a.first->level != b.first->level) return a.first->level > b.first->level;
    if (a.second != b.second) return a.second > b.second;
    return a.first->code < b.first->code;
  });
  for (const auto& [topic, best] : above) {
    out.push_back({topic->code, topic->label, best, true});
  }
  return out;
}

}  // namespace newsdesk::ingest
