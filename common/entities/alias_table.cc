#include "common/entities/alias_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/entities/entity_id.h"
#include "common/entities/name_key.h"
#include "common/status/field_error.h"
#include "common/text/utf8.h"

namespace newsdesk::entities {
namespace {

// Longest chain of merges followed; longer ones cannot be made (every merge
// target is canonical), so this only guards against damaged input.
constexpr int kMaxRedirects = 64;

absl::Status CheckText(absl::string_view field, absl::string_view text,
                       absl::string_view what) {
  if (absl::StripAsciiWhitespace(text).empty()) {
    return InvalidFieldError(field, absl::StrCat(field, " is required"));
  }
  if (text.size() > kMaxAliasBytes) {
    return InvalidFieldError(field, absl::StrCat(field, " is ", text.size(),
                                                 " bytes; at most ", kMaxAliasBytes,
                                                 " are accepted"));
  }
  if (!text::IsValidUtf8(text)) {
    return InvalidFieldError(field, absl::StrCat(field, " is not valid UTF-8"));
  }
  if (NameKey(text).empty()) {
    return InvalidFieldError(field,
                             absl::StrCat(what, " '", text, "' has no letters or digits"));
  }
  return absl::OkStatus();
}

absl::Status CheckId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return InvalidFieldError(field, absl::StrCat(field, " is required"));
  if (id.size() > kMaxAliasBytes || !IsValidEntityId(id)) {
    return InvalidFieldError(
        field, absl::StrCat("'", id.substr(0, kMaxAliasBytes),
                            "' is not an entity id (such as person-volodymyr-zelensky)"));
  }
  return absl::OkStatus();
}

EntityType TypeOfId(absl::string_view id) {
  return ParseEntityTypeName(id.substr(0, id.find('-'))).value_or(EntityType::kUnspecified);
}

int SectionRank(TextSection section) {
  switch (section) {
    case TextSection::kTitle: return 0;
    case TextSection::kStandfirst: return 1;
    case TextSection::kBody: return 2;
    case TextSection::kKeyPoint: return 3;
    case TextSection::kCaption: return 4;
    case TextSection::kUnspecified: return 5;
  }
  return 5;
}

template <typename T>
void AddUnique(std::vector<T>* list, const T& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

}  // namespace

AliasTable::AliasTable(const EntityLexicon* lexicon) : lexicon_(lexicon) {}

int64_t AliasTable::version() const {
  absl::ReaderMutexLock lock(&mu_);
  return version_;
}

std::string AliasTable::CanonicalLocked(absl::string_view id) const {
  std::string current(id);
  for (int i = 0; i < kMaxRedirects; ++i) {
    auto it = redirects_.find(current);
    if (it == redirects_.end()) break;
    current = it->second;
  }
  return current;
}

std::string AliasTable::Canonical(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  return CanonicalLocked(id);
}

bool AliasTable::KnownLocked(absl::string_view id) const {
  return names_.contains(id) || (lexicon_ != nullptr && lexicon_->FindById(id) != nullptr);
}

bool AliasTable::Known(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  return KnownLocked(id);
}

std::optional<AliasTable::Name> AliasTable::NameLocked(absl::string_view id) const {
  if (auto it = names_.find(id); it != names_.end()) return it->second;
  if (lexicon_ != nullptr) {
    if (const EntityRecord* record = lexicon_->FindById(id); record != nullptr) {
      return Name{record->display_name, record->type};
    }
  }
  return std::nullopt;
}

std::string AliasTable::CurrentIdLocked(absl::string_view spelling) const {
  if (auto it = overrides_.find(NameKey(spelling)); it != overrides_.end()) {
    return it->second.id.empty() ? "" : CanonicalLocked(it->second.id);
  }
  if (lexicon_ != nullptr) {
    if (const EntityRecord* record = lexicon_->Lookup(spelling); record != nullptr) {
      return CanonicalLocked(record->id);
    }
  }
  return "";
}

std::string AliasTable::Lookup(absl::string_view spelling) const {
  absl::ReaderMutexLock lock(&mu_);
  return CurrentIdLocked(spelling);
}

std::string AliasTable::LinkLocked(absl::string_view spelling, absl::string_view id,
                                   EntityType type) const {
  if (!overrides_.empty()) {
    if (auto it = overrides_.find(NameKey(spelling)); it != overrides_.end()) {
      if (it->second.id.empty()) {
        // The spelling was taken off the entity it named: a local entity now,
        // unless the mention was linked elsewhere by other means.
        const std::string local = EntityId(type, spelling);
        return CanonicalLocked(local);
      }
      return CanonicalLocked(it->second.id);
    }
  }
  return CanonicalLocked(id);
}

std::string AliasTable::Link(absl::string_view spelling, absl::string_view id,
                             EntityType type) const {
  absl::ReaderMutexLock lock(&mu_);
  return LinkLocked(spelling, id, type);
}

absl::Status AliasTable::CheckEditable(absl::string_view field, absl::string_view id) const {
  if (absl::Status status = CheckId(field, id); !status.ok()) return status;
  if (auto it = redirects_.find(id); it != redirects_.end()) {
    const std::string canonical = CanonicalLocked(id);
    return absl::FailedPreconditionError(absl::StrCat(
        id, " was merged into ", canonical, "; edit ", canonical, " instead"));
  }
  if (!KnownLocked(id)) {
    return absl::NotFoundError(absl::StrCat("the entity table has no entity ", id));
  }
  return absl::OkStatus();
}

absl::StatusOr<AliasChange> AliasTable::PrepareAddAlias(const AddAliasRequest& request) const {
  absl::ReaderMutexLock lock(&mu_);
  if (absl::Status s = CheckText("spelling", request.spelling, "spelling"); !s.ok()) return s;
  AliasChange change;
  change.kind = AliasChangeKind::kAddAlias;
  change.spellings = {request.spelling};
  if (request.entity_id.empty()) {
    if (request.new_display_name.empty()) {
      return InvalidFieldError("entity_id",
                               "entity_id or new_entity_display_name is required");
    }
    if (absl::Status s = CheckText("new_entity_display_name", request.new_display_name,
                                   "display name");
        !s.ok()) {
      return s;
    }
    if (request.new_type == EntityType::kUnspecified) {
      return InvalidFieldError("new_entity_type",
                               "new_entity_type is required with new_entity_display_name");
    }
    change.entity_id = EntityId(request.new_type, request.new_display_name);
    if (KnownLocked(change.entity_id) || redirects_.contains(change.entity_id)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "the entity ", change.entity_id, " exists already; add the alias to it by entity_id"));
    }
    change.display_name = request.new_display_name;
    change.type = request.new_type;
    change.created = true;
    return change;
  }
  if (!request.new_display_name.empty()) {
    return InvalidFieldError("new_entity_display_name",
                             "give entity_id or a new entity's display name, not both");
  }
  if (absl::Status s = CheckEditable("entity_id", request.entity_id); !s.ok()) return s;
  if (CurrentIdLocked(request.spelling) == request.entity_id) {
    return absl::AlreadyExistsError(
        absl::StrCat("'", request.spelling, "' names ", request.entity_id, " already"));
  }
  const std::optional<Name> name = NameLocked(request.entity_id);
  change.entity_id = request.entity_id;
  change.display_name = name->display_name;
  change.type = name->type;
  return change;
}

absl::StatusOr<AliasChange> AliasTable::PrepareRemoveAlias(
    const RemoveAliasRequest& request) const {
  absl::ReaderMutexLock lock(&mu_);
  if (absl::Status s = CheckText("spelling", request.spelling, "spelling"); !s.ok()) return s;
  if (absl::Status s = CheckEditable("entity_id", request.entity_id); !s.ok()) return s;
  if (CurrentIdLocked(request.spelling) != request.entity_id) {
    return absl::NotFoundError(absl::StrCat("'", request.spelling, "' is not an alias of ",
                                            request.entity_id));
  }
  const std::optional<Name> name = NameLocked(request.entity_id);
  AliasChange change;
  change.kind = AliasChangeKind::kRemoveAlias;
  change.entity_id = request.entity_id;
  change.spellings = {request.spelling};
  change.display_name = name->display_name;
  change.type = name->type;
  return change;
}

absl::StatusOr<AliasChange> AliasTable::PrepareMerge(const MergeRequest& request) const {
  absl::ReaderMutexLock lock(&mu_);
  if (absl::Status s = CheckId("source_entity_id", request.source_entity_id); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckId("target_entity_id", request.target_entity_id); !s.ok()) {
    return s;
  }
  if (request.source_entity_id == request.target_entity_id) {
    return InvalidFieldError("target_entity_id", "an entity cannot be merged into itself");
  }
  if (TypeOfId(request.source_entity_id) != TypeOfId(request.target_entity_id)) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.source_entity_id, " and ", request.target_entity_id,
                     " are entities of different types"));
  }
  if (CanonicalLocked(request.target_entity_id) == request.source_entity_id) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.target_entity_id, " was merged into ", request.source_entity_id,
                     "; merging back would make a cycle"));
  }
  if (absl::Status s = CheckEditable("target_entity_id", request.target_entity_id); !s.ok()) {
    return s;
  }
  if (auto it = redirects_.find(request.source_entity_id); it != redirects_.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.source_entity_id, " is merged into ",
                     CanonicalLocked(request.source_entity_id), " already"));
  }
  const std::optional<Name> name = NameLocked(request.target_entity_id);
  AliasChange change;
  change.kind = AliasChangeKind::kMerge;
  change.entity_id = request.target_entity_id;
  change.source_entity_id = request.source_entity_id;
  change.display_name = name->display_name;
  change.type = name->type;
  return change;
}

absl::StatusOr<AliasChange> AliasTable::PrepareSplit(const SplitRequest& request) const {
  absl::ReaderMutexLock lock(&mu_);
  if (absl::Status s = CheckEditable("entity_id", request.entity_id); !s.ok()) return s;
  if (request.spellings.empty()) {
    return InvalidFieldError("spellings", "at least one spelling to move is required");
  }
  if (static_cast<int>(request.spellings.size()) > kMaxSplitSpellings) {
    return InvalidFieldError("spellings", absl::StrCat("at most ", kMaxSplitSpellings,
                                                       " spellings can move at once"));
  }
  for (size_t i = 0; i < request.spellings.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat("spellings[", i, "]"), request.spellings[i],
                                   "spelling");
        !s.ok()) {
      return s;
    }
  }
  const Name name = *NameLocked(request.entity_id);
  AliasChange change;
  change.kind = AliasChangeKind::kSplit;
  change.entity_id = request.entity_id;
  change.spellings = request.spellings;
  change.type = name.type;
  change.display_name =
      request.new_display_name.empty() ? request.spellings[0] : request.new_display_name;
  if (!request.new_display_name.empty()) {
    if (absl::Status s = CheckText("new_entity_display_name", request.new_display_name,
                                   "display name");
        !s.ok()) {
      return s;
    }
  }
  if (request.new_entity_id.empty()) {
    change.new_entity_id = EntityId(name.type, change.display_name);
  } else {
    if (absl::Status s = CheckId("new_entity_id", request.new_entity_id); !s.ok()) return s;
    change.new_entity_id = request.new_entity_id;
  }
  if (TypeOfId(change.new_entity_id) != name.type) {
    return absl::FailedPreconditionError(absl::StrCat(
        change.new_entity_id, " and ", request.entity_id, " are entities of different types"));
  }
  if (change.new_entity_id == request.entity_id) {
    return InvalidFieldError("new_entity_id",
                             "the new entity must differ from the entity split");
  }
  if (auto it = redirects_.find(change.new_entity_id); it != redirects_.end()) {
    if (CanonicalLocked(change.new_entity_id) != request.entity_id) {
      return absl::FailedPreconditionError(
          absl::StrCat(change.new_entity_id, " is merged into ",
                       CanonicalLocked(change.new_entity_id), ", not into ", request.entity_id));
    }
    // Undoing a merge: the id comes back with the name it had.
    if (request.new_display_name.empty()) {
      if (std::optional<Name> old = NameLocked(change.new_entity_id)) {
        change.display_name = old->display_name;
      }
    }
    return change;
  }
  if (KnownLocked(change.new_entity_id)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "the entity ", change.new_entity_id, " exists already; merge or add aliases instead"));
  }
  change.created = true;
  return change;
}

absl::Status AliasTable::Apply(const AliasChange& change) {
  absl::MutexLock lock(&mu_);
  if (change.version <= version_) return absl::OkStatus();
  if (change.version != version_ + 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "alias table change ", change.version, " does not follow version ", version_));
  }
  switch (change.kind) {
    case AliasChangeKind::kAddAlias:
      for (const std::string& spelling : change.spellings) {
        overrides_[NameKey(spelling)] = Override{spelling, change.entity_id};
      }
      names_[change.entity_id] = Name{change.display_name, change.type};
      break;
    case AliasChangeKind::kRemoveAlias:
      for (const std::string& spelling : change.spellings) {
        overrides_[NameKey(spelling)] = Override{spelling, ""};
      }
      break;
    case AliasChangeKind::kMerge:
      redirects_[change.source_entity_id] = change.entity_id;
      names_[change.entity_id] = Name{change.display_name, change.type};
      break;
    case AliasChangeKind::kSplit:
      for (const std::string& spelling : change.spellings) {
        overrides_[NameKey(spelling)] = Override{spelling, change.new_entity_id};
      }
      redirects_.erase(change.new_entity_id);
      names_[change.new_entity_id] = Name{change.display_name, change.type};
      break;
    case AliasChangeKind::kUnspecified:
      return absl::DataLossError(
          absl::StrCat("alias table change ", change.version, " has no kind"));
  }
  version_ = change.version;
  return absl::OkStatus();
}

bool AliasTable::Relink(Article* article, int64_t* version) const {
  absl::ReaderMutexLock lock(&mu_);
  if (version != nullptr) *version = version_;
  if (version_ == 0) return false;
  bool changed = false;
  std::vector<ArticleEntity> out;
  absl::flat_hash_map<std::string, size_t> position;  // id -> index in out
  for (ArticleEntity& entity : article->entities) {
    // Mentions by the entity they belong to now, in first-seen order.
    std::vector<std::pair<std::string, std::vector<EntityMention>>> parts;
    for (EntityMention& mention : entity.mentions) {
      std::string id = LinkLocked(mention.spelling, entity.id, entity.type);
      auto it = std::find_if(parts.begin(), parts.end(),
                             [&id](const auto& part) { return part.first == id; });
      if (it == parts.end()) {
        parts.emplace_back(std::move(id), std::vector<EntityMention>{});
        it = parts.end() - 1;
      }
      it->second.push_back(std::move(mention));
    }
    if (parts.empty()) parts.emplace_back(CanonicalLocked(entity.id), std::vector<EntityMention>{});
    const size_t total = entity.mentions.size();
    const std::string own = CanonicalLocked(entity.id);
    const bool own_present = std::any_of(parts.begin(), parts.end(),
                                         [&own](const auto& part) { return part.first == own; });
    for (size_t p = 0; p < parts.size(); ++p) {
      auto& [id, mentions] = parts[p];
      ArticleEntity piece;
      piece.id = id;
      piece.type = entity.type;
      if (id == entity.id) {
        piece.display_name = entity.display_name;
        piece.linked = entity.linked;
      } else {
        changed = true;
        std::optional<Name> name = NameLocked(id);
        piece.display_name = name ? name->display_name
                                  : (mentions.empty() ? entity.display_name : mentions[0].spelling);
        piece.linked = name.has_value();
      }
      const double share =
          total == 0 ? 1.0 : static_cast<double>(mentions.size()) / static_cast<double>(total);
      piece.mention_count = parts.size() == 1
                                ? entity.mention_count
                                : static_cast<int>(mentions.size());
      piece.salience = entity.salience * share;
      // A spelling taken off a linked entity is as sure as any local name.
      piece.confidence = piece.linked ? 1.0 : (entity.linked ? 0.5 : entity.confidence);
      for (const std::string& spelling : entity.spellings) {
        const bool here = parts.size() == 1 ||
                          std::any_of(mentions.begin(), mentions.end(),
                                      [&](const EntityMention& m) { return m.spelling == spelling; });
        if (here) piece.spellings.push_back(spelling);
      }
      // Roles stay with the part that keeps the entity's id, else the first.
      if (own_present ? id == own : p == 0) piece.roles = entity.roles;
      piece.mentions = std::move(mentions);

      auto [it, inserted] = position.try_emplace(piece.id, out.size());
      if (inserted) {
        out.push_back(std::move(piece));
        continue;
      }
      // Joins an entity met before in this article.
      changed = true;
      ArticleEntity& into = out[it->second];
      into.mention_count += piece.mention_count;
      into.salience += piece.salience;
      into.confidence = std::max(into.confidence, piece.confidence);
      into.linked = into.linked || piece.linked;
      for (std::string& s : piece.spellings) AddUnique(&into.spellings, s);
      for (EntityRole& r : piece.roles) AddUnique(&into.roles, r);
      for (EntityMention& m : piece.mentions) into.mentions.push_back(std::move(m));
      std::stable_sort(into.mentions.begin(), into.mentions.end(),
                       [](const EntityMention& a, const EntityMention& b) {
                         const int ra = SectionRank(a.section), rb = SectionRank(b.section);
                         if (ra != rb) return ra < rb;
                         if (a.index != b.index) return a.index < b.index;
                         return a.begin < b.begin;
                       });
    }
  }
  for (ArticleEntity& entity : out) {
    for (EntityRole& role : entity.roles) {
      if (role.of_entity_id.empty()) continue;
      std::string canonical = CanonicalLocked(role.of_entity_id);
      if (canonical != role.of_entity_id) {
        role.of_entity_id = std::move(canonical);
        changed = true;
      }
    }
  }
  for (Quote& quote : article->quotes) {
    if (quote.speaker_entity_id.empty()) continue;
    std::string canonical = CanonicalLocked(quote.speaker_entity_id);
    if (canonical != quote.speaker_entity_id) {
      quote.speaker_entity_id = std::move(canonical);
      changed = true;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ArticleEntity& a, const ArticleEntity& b) {
    return a.mention_count > b.mention_count;
  });
  article->entities = std::move(out);
  return changed;
}

absl::StatusOr<AliasTableEntry> AliasTable::Describe(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  if (absl::Status s = CheckId("entity_id", id); !s.ok()) return s;
  AliasTableEntry entry;
  entry.id = CanonicalLocked(id);
  std::optional<Name> name = NameLocked(entry.id);
  if (!name) return absl::NotFoundError(absl::StrCat("the entity table has no entity ", id));
  entry.display_name = name->display_name;
  entry.type = name->type;
  auto add_if_current = [&](const std::string& spelling) {
    if (CurrentIdLocked(spelling) == entry.id) AddUnique(&entry.aliases, spelling);
  };
  if (lexicon_ != nullptr) {
    if (const EntityRecord* record = lexicon_->FindById(entry.id); record != nullptr) {
      add_if_current(record->display_name);
      for (const std::string& alias : record->aliases) add_if_current(alias);
    }
  }
  std::vector<std::string> added;
  for (const auto& [key, override] : overrides_) {
    if (!override.id.empty() && CanonicalLocked(override.id) == entry.id) {
      added.push_back(override.spelling);
    }
  }
  std::sort(added.begin(), added.end());
  for (const std::string& spelling : added) AddUnique(&entry.aliases, spelling);
  for (const auto& [source, target] : redirects_) {
    if (CanonicalLocked(source) == entry.id) entry.merged_ids.push_back(source);
  }
  std::sort(entry.merged_ids.begin(), entry.merged_ids.end());
  return entry;
}

}  // namespace newsdesk::entities
