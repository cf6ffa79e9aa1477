// Topic classification: which IPTC Media Topics an article is about.
#ifndef INGEST_SERVICE_EXTRACT_TOPIC_CLASSIFIER_H_
#define INGEST_SERVICE_EXTRACT_TOPIC_CLASSIFIER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"

namespace newsdesk::ingest {

// Finds the topics of an article. Implementations are immutable once built,
// so Classify may run on many threads at once.
class TopicClassifier {
 public:
  virtual ~TopicClassifier();

  // The topics of `article`, judged from its title, paragraphs and entities:
  // the most specific topics found, strongest first, then the topics above
  // them (implied=true). Scores are in [0, 1].
  virtual std::vector<ArticleTopic> Classify(const Article& article) const = 0;

  // The release of the IPTC Media Topics vocabulary the topics come from
  // ("2025-10-09"), recorded on every classified article.
  virtual const std::string& taxonomy_version() const = 0;
};

// The topics of an article from the most specific ones found, strongest
// first: each listed once, a found topic that lies above another found one
// becomes implied, and the ancestors of every found topic follow, implied,
// scored as their best descendant (deepest first).
std::vector<ArticleTopic> WithAncestors(const Taxonomy& taxonomy,
                                        std::vector<ArticleTopic> specific);

struct KeywordTopicClassifierOptions {
  // The lowest score a topic needs to be reported.
  double threshold = 0.4;
  // At most this many most-specific topics are reported (their ancestors
  // come on top).
  int max_topics = 4;
  // When no topic reaches the threshold, the best one is still reported if
  // its score reaches this: short texts (a headline and a sentence) rarely
  // gather enough evidence for the threshold.
  double fallback_threshold = 0.15;
};

// Scores topics by weighted term hits. The term table (data/topics/
// topic_terms.tsv) has one row per group of terms:
//   qcode  weight  terms  entity_hints
// terms are '|'-separated lower-case words or phrases; entity_hints,
// optional, are '|'-separated fragments of entity ids ("ministry-of-defence",
// "org-fifa") that count for the topic when an entity of the article has
// such an id; a fragment ending in '$' must end the id ("-inc$"), and what
// comes before a '*' must begin it ("org-*bank$": an organisation whose id
// ends in "bank", not the West Bank). A hint
// "role:<role>" counts instead for each entity the article gives that role
// or title ("role:prime minister", "role:coach": "Prime Minister John
// Howard", "coach Joe Gibbs"), and "role:<role>@<fragment>" only when the
// role is of an entity whose id contains the fragment ("role:president@
// location-": the president of a place, not of a company). Words match in
// any case, with diacritics folded and a plural "s" ignored.
//
// At each word the longest term found there counts, and the words it covers
// start no other term ("St. Louis Cardinals" is a club, not clergy); a term
// inside a longer name of a place or person the article's entities mark
// ("bank" in "West Bank", "packer" in "Kerry Packer") does not count. A hit counts its row's weight, doubled in the title
// and one and a half times in the first paragraph; entity hints count their
// weight per mention, up to three; role hints their weight once per entity
// with the role. A topic's evidence is its own plus that
// of every topic below it, and its score 1 - exp(-evidence / (4 * (1 +
// words / 400))), so a long article needs more hits than a short one. The
// most specific topics at or above the threshold are reported, then their
// ancestors, implied, each with the score of all the evidence below it (at
// least that of its best reported descendant). When none reaches the
// threshold, the deepest of the best-scored topics is reported if it reaches
// the fallback threshold.
class KeywordTopicClassifier : public TopicClassifier {
 public:
  // Reads the term table at `terms_path`. NotFound when it cannot be read;
  // InvalidArgument, naming the line, for a malformed row or a code that is
  // not an active topic of `taxonomy`. `taxonomy` is not owned and must
  // outlive the classifier.
  static absl::StatusOr<std::unique_ptr<KeywordTopicClassifier>> Load(
      const Taxonomy* taxonomy, const std::string& terms_path,
      const KeywordTopicClassifierOptions& options = {});

  // As Load, from the table's contents.
  static absl::StatusOr<std::unique_ptr<KeywordTopicClassifier>> LoadFromString(
      const Taxonomy* taxonomy, absl::string_view terms_tsv,
      const KeywordTopicClassifierOptions& options = {});

  std::vector<ArticleTopic> Classify(const Article& article) const override;
  const std::string& taxonomy_version() const override { return taxonomy_->version(); }

 private:
  // A topic that terms point at, or an ancestor of one.
  struct Slot {
    const Taxonomy::Topic* topic = nullptr;
    std::vector<int> ancestors;  // slot indices, nearest first
  };
  // What one term key leads to.
  struct TermEntry {
    std::vector<std::pair<int, double>> hits;  // slot and weight
    bool extends = false;  // some longer term starts with this key and a space
  };
  struct EntityHint {
    std::string id_fragment;
    int slot = 0;
    double weight = 0;
  };
  // A role hint, kept under the TermKey of its role.
  struct RoleHint {
    std::string of_fragment;  // empty: the role of anything or nothing
    int slot = 0;
    double weight = 0;
  };

  KeywordTopicClassifier(const Taxonomy* taxonomy, KeywordTopicClassifierOptions options)
      : taxonomy_(taxonomy), options_(options) {}

  absl::Status ParseTerms(absl::string_view tsv);
  int SlotFor(const Taxonomy::Topic& topic);
  // Adds the evidence of `text`, weighted by `zone`, to *evidence, leaving
  // out terms inside the byte spans `names` (names of places or people of
  // several words); returns the number of words.
  int ScanText(absl::string_view text, double zone,
               const std::vector<std::pair<int, int>>& names,
               std::vector<double>* evidence) const;

  const Taxonomy* const taxonomy_;
  const KeywordTopicClassifierOptions options_;
  std::vector<Slot> slots_;
  absl::flat_hash_map<std::string, int> slot_by_code_;
  absl::flat_hash_map<std::string, TermEntry> terms_;
  int max_term_words_ = 1;
  std::vector<EntityHint> entity_hints_;
  absl::flat_hash_map<std::string, std::vector<RoleHint>> role_hints_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_TOPIC_CLASSIFIER_H_
