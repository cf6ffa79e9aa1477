// The curated table of known entities: people, organisations, places and
// other names the extractor links articles to, each with a canonical id and
// the spellings it goes by. Loaded from data/entities/entities.tsv and,
// optionally, Debian's iso-codes country list. Immutable after loading and
// safe to share between threads.
//
// The TSV has one entity per line (lines starting with '#' are comments; a
// first line starting with "id<TAB>" is a header):
//   id  type  display_name  aliases  demonyms
// type is person, org, location or misc and must match the id's prefix;
// aliases and demonyms are '|'-separated and may be empty or left off.
// Demonyms ("Chinese", "Ukrainian") belong to places: they are not names of
// the place, but tell an extractor that the word is an adjective of origin
// ("Chinese President Xi") rather than a name of its own.
//
// An all-capitals alias of at most three letters ("US", "WHO", "UN") matches
// only spellings in capitals, so "us" and "Who" match nothing.
#ifndef COMMON_ENTITIES_ENTITY_LEXICON_H_
#define COMMON_ENTITIES_ENTITY_LEXICON_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::entities {

struct EntityRecord {
  std::string id;            // "person-volodymyr-zelensky"
  std::string display_name;  // "Volodymyr Zelensky"
  EntityType type = EntityType::kUnspecified;
  std::vector<std::string> aliases;   // other spellings, as written
  std::vector<std::string> demonyms;  // places only: "Ukrainian"
  bool country = false;  // a country of the iso-codes list
};

struct EntityLexiconOptions {
  // Required: the curated TSV, normally data/entities/entities.tsv.
  std::string entities_path;
  // Optional: Debian iso-codes' iso_3166-1.json. Every country in it becomes
  // a location (or adds its names to the curated record it matches). Empty
  // means none; a path that cannot be read is logged and skipped.
  std::string iso_countries_path = "/usr/share/iso-codes/json/iso_3166-1.json";
};

class EntityLexicon {
 public:
  // What one matching key leads to.
  struct KeyMatch {
    const EntityRecord* record = nullptr;   // the entity with this name
    const EntityRecord* demonym = nullptr;  // the place with this demonym
    bool extends = false;  // some longer key starts with this key and a space
  };

  // Reads the files named by `options`. NotFound when the curated TSV cannot
  // be read; InvalidArgument, naming the line, when it is malformed or gives
  // one spelling to two entities.
  static absl::StatusOr<std::unique_ptr<EntityLexicon>> Load(
      const EntityLexiconOptions& options);

  // As Load, from the contents of the two files; `iso_countries_json` may be
  // empty.
  static absl::StatusOr<std::unique_ptr<EntityLexicon>> LoadFromStrings(
      absl::string_view entities_tsv, absl::string_view iso_countries_json);

  // The entity spelled `spelling` (any alias, in any case, with or without
  // diacritics, possessive or romanisation variant), or with that canonical
  // id; nullptr when none.
  const EntityRecord* Lookup(absl::string_view spelling) const;

  // The entity whose canonical id is `id`; nullptr when none.
  const EntityRecord* FindById(absl::string_view id) const;

  // Looks up a key already made by NameKey, for callers that build keys of
  // word sequences incrementally: the entity so named, the place whose
  // demonym it is ("south korean" -> South Korea), and whether longer keys
  // begin with it. `all_capitals` tells whether the spelling was in capitals
  // (see the class comment).
  KeyMatch MatchKey(absl::string_view key, bool all_capitals) const;

  // The largest number of words in any key (at most 8: longer keys exist
  // only for Lookup).
  int max_key_words() const { return max_key_words_; }

  // Identifies the loaded data: 16 hex digits of a fingerprint of the file
  // contents. Articles record it to say which table linked their entities.
  const std::string& version() const { return version_; }

  // The version and the reference data it was made from, for articles to
  // record: "entities=<version()>", and ";iso-codes=<Debian version>" when
  // the iso-codes country list was loaded from a file.
  const std::string& data_version() const { return data_version_; }

  const std::vector<EntityRecord>& records() const { return records_; }

 private:
  struct KeyEntry {
    int32_t record = -1;      // index into records_ of the entity so named
    int32_t demonym_of = -1;  // index into records_ of the place
    bool capitals_only = false;
    bool extends = false;
  };

  EntityLexicon() = default;

  absl::Status ParseEntities(absl::string_view tsv);
  void AddIsoCountries(absl::string_view json);
  // Makes `spelling` a name of records_[record]. Fails when its key already
  // names another record.
  absl::Status AddName(int32_t record, absl::string_view spelling);
  absl::Status AddDemonym(int32_t record, absl::string_view spelling);
  void IndexPrefixes();

  std::vector<EntityRecord> records_;
  absl::flat_hash_map<std::string, KeyEntry> keys_;
  absl::flat_hash_map<std::string, int32_t> ids_;
  int max_key_words_ = 0;
  std::string version_;
  std::string data_version_;
};

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_ENTITY_LEXICON_H_
