#include "common/entities/entity_lexicon.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/entities/code_points.h"
#include "common/entities/entity_id.h"
#include "common/entities/name_key.h"
#include "common/entities/package_version.h"
#include "common/status/status_macros.h"
#include "common/text/json_string.h"
#include "glog/logging.h"

namespace newsdesk::entities {
namespace {

constexpr int kMaxKeyWords = 8;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// FNV-1a, 64 bits: stable across runs and platforms, unlike absl::Hash.
uint64_t Fingerprint(absl::string_view data, uint64_t hash) {
  for (const char c : data) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// "US", "U.S.", "WHO": capitals only, at most three letters.
bool IsShortCapitals(absl::string_view spelling) {
  if (!IsAllCapitals(spelling)) return false;
  int letters = 0;
  for (size_t pos = 0; pos < spelling.size();) {
    const char32_t c = DecodeUtf8(spelling, &pos);
    if (IsWordChar(c)) ++letters;
  }
  return letters <= 3;
}

int CountWords(absl::string_view key) {
  return static_cast<int>(std::count(key.begin(), key.end(), ' ')) + 1;
}

std::vector<std::string> SplitList(absl::string_view field) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(field, '|')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

using JsonObject = absl::flat_hash_map<std::string, std::string>;

// The string-valued members of every JSON object in `json`, innermost
// objects first. A tolerant scan that knows only strings, braces and colons:
// enough for iso-codes, and it never fails.
std::vector<JsonObject> ScanJsonObjects(absl::string_view json) {
  std::vector<JsonObject> done;
  std::vector<JsonObject> open;
  std::string key;
  bool have_key = false;
  for (size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (c == '{') {
      open.emplace_back();
      have_key = false;
      ++i;
    } else if (c == '}') {
      if (!open.empty()) {
        if (!open.back().empty()) done.push_back(std::move(open.back()));
        open.pop_back();
      }
      have_key = false;
      ++i;
    } else if (c == '"') {
      std::string text = newsdesk::text::ReadJsonString(json, &i);
      while (i < json.size() &&
             absl::ascii_isspace(static_cast<unsigned char>(json[i]))) {
        ++i;
      }
      if (i < json.size() && json[i] == ':') {
        key = std::move(text);
        have_key = true;
        ++i;
      } else if (have_key && !open.empty()) {
        open.back()[key] = std::move(text);
        have_key = false;
      }
    } else {
      if (c == ',' || c == '[') have_key = false;
      ++i;
    }
  }
  return done;
}

// The spellings of an iso-codes country, most usual first. Parenthesised
// notes are dropped ("Cocos (Keeling) Islands" -> "Cocos Islands"), inverted
// names turned around ("Korea, Republic of" -> "Republic of Korea") and a
// leading article removed ("the State of Eritrea" -> "State of Eritrea").
std::vector<std::string> CountryNames(const JsonObject& country) {
  std::vector<std::string> names;
  for (const char* field : {"common_name", "name", "official_name"}) {
    auto it = country.find(field);
    if (it == country.end()) continue;
    std::string name = it->second;
    for (size_t open = name.find(" ("); open != std::string::npos;
         open = name.find(" (")) {
      const size_t close = name.find(')', open);
      name.erase(open, close == std::string::npos ? std::string::npos : close + 1 - open);
    }
    const size_t comma = name.find(", ");
    if (comma != std::string::npos && name.find(", ", comma + 2) == std::string::npos) {
      const absl::string_view head = absl::string_view(name).substr(0, comma);
      const absl::string_view tail = absl::string_view(name).substr(comma + 2);
      if (absl::EndsWith(tail, " of") || absl::EndsWith(tail, " of the") ||
          !absl::StrContains(tail, ' ')) {
        name = absl::StrCat(tail, " ", head);
      }
    }
    if (absl::StartsWithIgnoreCase(name, "the ")) name.erase(0, 4);
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EntityLexicon>> EntityLexicon::Load(
    const EntityLexiconOptions& options) {
  ASSIGN_OR_RETURN(const std::string tsv, ReadFile(options.entities_path));
  std::string json;
  if (!options.iso_countries_path.empty()) {
    absl::StatusOr<std::string> read = ReadFile(options.iso_countries_path);
    if (read.ok()) {
      json = *std::move(read);
    } else {
      LOG(WARNING) << "No country list: " << read.status().message()
                   << "; install Debian's iso-codes for every country name";
    }
  }
  ASSIGN_OR_RETURN(auto lexicon, LoadFromStrings(tsv, json));
  if (!json.empty()) {
    absl::StrAppend(&lexicon->data_version_, ";iso-codes=",
                    InstalledPackageVersion("iso-codes"));
  }
  LOG(INFO) << "Entity lexicon " << lexicon->version() << ": "
            << lexicon->records().size() << " entities from " << options.entities_path
            << (json.empty() ? "" : " and the iso-codes country list") << " ("
            << lexicon->data_version() << ")";
  return lexicon;
}

absl::StatusOr<std::unique_ptr<EntityLexicon>> EntityLexicon::LoadFromStrings(
    absl::string_view entities_tsv, absl::string_view iso_countries_json) {
  std::unique_ptr<EntityLexicon> lexicon(new EntityLexicon());
  RETURN_IF_ERROR(lexicon->ParseEntities(entities_tsv));
  lexicon->AddIsoCountries(iso_countries_json);
  lexicon->IndexPrefixes();
  uint64_t hash = Fingerprint(entities_tsv, 0xcbf29ce484222325ULL);
  hash = Fingerprint(absl::string_view("\0", 1), hash);
  hash = Fingerprint(iso_countries_json, hash);
  lexicon->version_ = absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
  lexicon->data_version_ = absl::StrCat("entities=", lexicon->version_);
  return lexicon;
}

absl::Status EntityLexicon::ParseEntities(absl::string_view tsv) {
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (absl::StripAsciiWhitespace(line).empty() || line.front() == '#') continue;
    if (records_.empty() && absl::StartsWith(line, "id\t")) continue;  // header
    auto error = [line_number](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat("entity table line ", line_number, ": ", what));
    };
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3 || cols.size() > 5) {
      return error(absl::StrCat("want 3 to 5 tab-separated columns, got ", cols.size()));
    }
    for (absl::string_view& col : cols) col = absl::StripAsciiWhitespace(col);

    EntityRecord record;
    record.id = std::string(cols[0]);
    const std::optional<EntityType> type = ParseEntityTypeName(cols[1]);
    if (!type) return error(absl::StrCat("unknown type \"", cols[1], "\""));
    record.type = *type;
    if (!IsValidEntityId(record.id) ||
        !absl::StartsWith(record.id, absl::StrCat(cols[1], "-"))) {
      return error(
          absl::StrCat("id \"", record.id, "\" is not ", cols[1], "-<lower-case-words>"));
    }
    if (ids_.contains(record.id)) {
      return error(absl::StrCat("duplicate id \"", record.id, "\""));
    }
    record.display_name = std::string(cols[2]);
    if (record.display_name.empty()) return error("empty display name");
    if (cols.size() > 3) record.aliases = SplitList(cols[3]);
    if (cols.size() > 4) record.demonyms = SplitList(cols[4]);
    if (!record.demonyms.empty() && record.type != EntityType::kLocation) {
      return error("only locations have demonyms");
    }

    const auto index = static_cast<int32_t>(records_.size());
    ids_[record.id] = index;
    records_.push_back(std::move(record));
    const EntityRecord& added = records_.back();
    absl::Status status = AddName(index, added.display_name);
    for (const std::string& alias : added.aliases) {
      if (status.ok()) status = AddName(index, alias);
    }
    for (const std::string& demonym : added.demonyms) {
      if (status.ok()) status = AddDemonym(index, demonym);
    }
    if (!status.ok()) return error(status.message());
  }
  if (records_.empty()) return absl::InvalidArgumentError("entity table is empty");
  return absl::OkStatus();
}

absl::Status EntityLexicon::AddName(int32_t record, absl::string_view spelling) {
  const std::string key = NameKey(spelling);
  if (key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", spelling, "\" has no letters"));
  }
  const bool capitals = IsShortCapitals(spelling);
  KeyEntry& entry = keys_[key];
  if (entry.record < 0) {
    entry.record = record;
    entry.capitals_only = capitals;
    max_key_words_ = std::max(max_key_words_, std::min(CountWords(key), kMaxKeyWords));
    return absl::OkStatus();
  }
  if (entry.record != record) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", spelling, "\" already names ", records_[entry.record].id));
  }
  // A key is case-sensitive only if every spelling that makes it is.
  entry.capitals_only = entry.capitals_only && capitals;
  return absl::OkStatus();
}

absl::Status EntityLexicon::AddDemonym(int32_t record, absl::string_view spelling) {
  const std::string key = NameKey(spelling);
  if (key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", spelling, "\" has no letters"));
  }
  KeyEntry& entry = keys_[key];
  if (entry.demonym_of >= 0 && entry.demonym_of != record) {
    return absl::InvalidArgumentError(absl::StrCat(
        "demonym \"", spelling, "\" already belongs to ", records_[entry.demonym_of].id));
  }
  entry.demonym_of = record;
  max_key_words_ = std::max(max_key_words_, std::min(CountWords(key), kMaxKeyWords));
  return absl::OkStatus();
}

void EntityLexicon::AddIsoCountries(absl::string_view json) {
  for (const JsonObject& country : ScanJsonObjects(json)) {
    const std::vector<std::string> names = CountryNames(country);
    if (names.empty()) continue;
    int32_t target = -1;
    for (const std::string& name : names) {
      auto it = keys_.find(NameKey(name));
      if (it != keys_.end() && it->second.record >= 0 &&
          records_[it->second.record].type == EntityType::kLocation) {
        target = it->second.record;
        break;
      }
    }
    const std::string id = EntityId(EntityType::kLocation, names.front());
    if (target < 0 && ids_.contains(id)) target = ids_.at(id);
    if (target < 0) {
      EntityRecord record;
      record.id = id;
      record.display_name = names.front();
      record.type = EntityType::kLocation;
      target = static_cast<int32_t>(records_.size());
      ids_[record.id] = target;
      records_.push_back(std::move(record));
    }
    records_[target].country = true;
    for (const std::string& name : names) {
      auto it = keys_.find(NameKey(name));
      const bool known = it != keys_.end() && it->second.record == target;
      if (!AddName(target, name).ok()) {
        VLOG(1) << "Country name \"" << name << "\" already names another entity";
        continue;
      }
      if (!known && name != records_[target].display_name) {
        records_[target].aliases.push_back(name);
      }
    }
  }
}

void EntityLexicon::IndexPrefixes() {
  std::vector<std::string> prefixes;
  for (const auto& [key, entry] : keys_) {
    for (size_t space = key.find(' '); space != std::string::npos;
         space = key.find(' ', space + 1)) {
      prefixes.push_back(key.substr(0, space));
    }
  }
  for (std::string& prefix : prefixes) keys_[std::move(prefix)].extends = true;
}

const EntityRecord* EntityLexicon::Lookup(absl::string_view spelling) const {
  const KeyMatch match = MatchKey(NameKey(spelling), IsAllCapitals(spelling));
  return match.record != nullptr ? match.record : FindById(spelling);
}

const EntityRecord* EntityLexicon::FindById(absl::string_view id) const {
  auto it = ids_.find(id);
  return it == ids_.end() ? nullptr : &records_[it->second];
}

EntityLexicon::KeyMatch EntityLexicon::MatchKey(absl::string_view key,
                                                bool all_capitals) const {
  KeyMatch match;
  auto it = keys_.find(key);
  if (it == keys_.end()) return match;
  const KeyEntry& entry = it->second;
  match.extends = entry.extends;
  if (entry.record >= 0 && (all_capitals || !entry.capitals_only)) {
    match.record = &records_[entry.record];
  }
  if (entry.demonym_of >= 0) match.demonym = &records_[entry.demonym_of];
  return match;
}

}  // namespace newsdesk::entities
