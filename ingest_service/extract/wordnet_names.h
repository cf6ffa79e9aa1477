// Proper names typed by WordNet 3.0 (Debian's wordnet-base,
// /usr/share/wordnet/data.noun): a capitalised lemma of a synset that is an
// instance of a kind of location ("Leicestershire", instance of county) is a
// place, of a kind of person ("Einstein", instance of physicist) a person,
// and one under organization ("United Nations", "NATO") an organisation.
// Kinds of people ("Democrat", "Moslem") are no names: people and places
// need an instance pointer ("@i"); organisations do not, since WordNet files
// most of them as their own kinds. Capitalised kinds of people and groups
// that are no organisation ("Kurd", "Circassian"), and capitalised
// adjectives (data.adj: "Islamic", "Elizabethan"), are descriptions: words
// of origin, faith or party rather than names of one entity.
#ifndef INGEST_SERVICE_EXTRACT_WORDNET_NAMES_H_
#define INGEST_SERVICE_EXTRACT_WORDNET_NAMES_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

inline constexpr char kDefaultWordNetDir[] = "/usr/share/wordnet";

class WordNetNames {
 public:
  // The types a name may have; a name WordNet gives several (Jordan: a
  // country and a person) has several bits.
  enum Kind : uint8_t { kPerson = 1, kOrganization = 2, kLocation = 4, kDescription = 8 };

  // Reads `dir`/data.noun and `dir`/data.adj. An empty `dir` or a missing
  // data.noun gives no names (loaded() false); the caller logs it.
  static WordNetNames Load(const std::string& dir);

  // Parses the contents of data.noun and data.adj files; malformed lines are
  // skipped.
  static WordNetNames Parse(absl::string_view data_noun, absl::string_view data_adj = "");

  // The Kind bits of a name by its NameKey ("leicestershire", "united
  // nations"); 0 when WordNet does not name it.
  uint8_t Lookup(absl::string_view key) const {
    auto it = kinds_.find(key);
    return it == kinds_.end() ? 0 : it->second;
  }
  bool loaded() const { return !kinds_.empty(); }
  size_t size() const { return kinds_.size(); }

 private:
  absl::flat_hash_map<std::string, uint8_t> kinds_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_WORDNET_NAMES_H_
