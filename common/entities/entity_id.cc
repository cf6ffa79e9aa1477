#include "common/entities/entity_id.h"

#include "absl/strings/str_cat.h"
#include "common/entities/code_points.h"
#include "common/entities/name_key.h"

namespace newsdesk::entities {

absl::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "person";
    case EntityType::kOrganization:
      return "org";
    case EntityType::kLocation:
      return "location";
    case EntityType::kMisc:
    case EntityType::kUnspecified:
      return "misc";
  }
  return "misc";
}

std::optional<EntityType> ParseEntityTypeName(absl::string_view name) {
  if (name == "person") return EntityType::kPerson;
  if (name == "org") return EntityType::kOrganization;
  if (name == "location") return EntityType::kLocation;
  if (name == "misc") return EntityType::kMisc;
  return std::nullopt;
}

std::string EntityId(EntityType type, absl::string_view name) {
  const std::string folded = FoldName(name);
  std::string id = absl::StrCat(EntityTypeName(type), "-");
  const size_t slug_start = id.size();
  for (size_t pos = 0; pos < folded.size();) {
    const char32_t c = DecodeUtf8(folded, &pos);
    if (c == ' ') {
      id.push_back('-');
    } else if (c < 0x80) {
      id.push_back(static_cast<char>(c));  // FoldName leaves only [a-z0-9 ]
    } else {
      absl::StrAppend(&id, "u", absl::Hex(static_cast<uint32_t>(c)));
    }
  }
  if (id.size() == slug_start) id.append("unnamed");
  return id;
}

bool IsValidEntityId(absl::string_view id) {
  const size_t dash = id.find('-');
  if (dash == absl::string_view::npos || !ParseEntityTypeName(id.substr(0, dash))) {
    return false;
  }
  const absl::string_view slug = id.substr(dash + 1);
  if (slug.empty() || slug.front() == '-' || slug.back() == '-') return false;
  char previous = 0;
  for (const char c : slug) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(c == '-' && previous != '-')) return false;
    previous = c;
  }
  return true;
}

}  // namespace newsdesk::entities
