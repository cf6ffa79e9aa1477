#include "ingest_service/extract/model_entity_extractor.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/entities/entity_id.h"
#include "common/entities/name_key.h"
#include "glog/logging.h"
#include "ingest_service/extract/article_segments.h"
#include "ingest_service/extract/tokenizer.h"

namespace newsdesk::ingest {
namespace {

EntityType TypeOfTag(int tag) {
  switch ((tag + 1) / 2) {
    case 1:
      return EntityType::kPerson;
    case 2:
      return EntityType::kOrganization;
    case 3:
      return EntityType::kLocation;
    default:
      return EntityType::kMisc;
  }
}

struct Found {
  EntityMention mention;
  EntityType type;
  const entities::EntityRecord* record;
  std::string key;  // NameKey of the spelling
};

// True when the words of `part` are the last words of `whole`.
bool EndsWithWords(absl::string_view whole, absl::string_view part) {
  return whole.size() > part.size() && absl::EndsWith(whole, part) &&
         whole[whole.size() - part.size() - 1] == ' ';
}

}  // namespace

ModelEntityExtractor::ModelEntityExtractor(const entities::EntityLexicon* lexicon,
                                           std::unique_ptr<PerceptronTagger> tagger,
                                           std::string model_path)
    : lexicon_(lexicon), tagger_(std::move(tagger)) {
  CHECK(lexicon_ != nullptr);
  CHECK(tagger_ != nullptr);
  version_ = absl::StrCat(lexicon_->data_version(), ";model=",
                          std::filesystem::path(model_path).filename().string());
}

std::vector<ArticleEntity> ModelEntityExtractor::Extract(const Article& article) const {
  // The segments tagged together, as one document.
  struct Segment {
    absl::string_view text;
    TextSection section;
    int index;
    std::vector<Token> tokens;
  };
  std::vector<Segment> segments;
  Document document;
  ForEachSegment(article, [&](absl::string_view text, TextSection section, int index) {
    Segment& segment = segments.emplace_back(Segment{text, section, index, {}});
    Tokenize(text, &segment.tokens);
    std::vector<absl::string_view>& words = document.emplace_back();
    for (const Token& token : segment.tokens) words.push_back(token.text);
  });
  const std::vector<std::vector<int>> all_tags = tagger_->Tag(document);

  std::vector<Found> found;
  for (size_t s = 0; s < segments.size(); ++s) {
    const Segment& segment = segments[s];
    const std::vector<Token>& tokens = segment.tokens;
    const std::vector<int>& tags = all_tags[s];
    for (int i = 0; i < static_cast<int>(tags.size());) {
      if (tags[i] == 0) {
        ++i;
        continue;
      }
      const int type_tag = (tags[i] + 1) / 2;
      int end = i + 1;
      while (end < static_cast<int>(tags.size()) && tags[end] == 2 * type_tag &&
             !tokens[end - 1].Has(kPossessive)) {
        ++end;
      }
      const char* first = tokens[i].text.data();
      const absl::string_view last = tokens[end - 1].text;
      const absl::string_view spelling(first, last.data() + last.size() - first);
      const int begin = static_cast<int>(first - segment.text.data());
      Found f;
      f.mention = EntityMention{segment.section, segment.index, begin,
                                begin + static_cast<int>(spelling.size()),
                                std::string(spelling)};
      f.type = TypeOfTag(tags[i]);
      f.key = entities::NameKey(spelling);
      f.record = lexicon_->Lookup(spelling);
      if (f.record != nullptr && f.record->type != f.type && f.type != EntityType::kMisc) {
        f.record = nullptr;  // "Jordan" the person is not the country
      }
      found.push_back(std::move(f));
      i = end;
    }
  }

  // Ids: the table's for linked names; for a local person named by the last
  // words of a longer person name in the article, that name's; else its own.
  std::vector<std::string> ids(found.size());
  for (size_t m = 0; m < found.size(); ++m) {
    const Found& f = found[m];
    if (f.record != nullptr) {
      ids[m] = f.record->id;
      continue;
    }
    const Found* full = &f;
    if (f.type == EntityType::kPerson) {
      for (const Found& other : found) {
        if (other.type == EntityType::kPerson && EndsWithWords(other.key, f.key) &&
            other.key.size() > full->key.size()) {
          full = &other;
        }
      }
    }
    ids[m] = full->record != nullptr ? full->record->id
                                     : entities::EntityId(full->type, full->mention.spelling);
  }

  std::vector<ArticleEntity> out;
  std::vector<double> weights;
  double total_weight = 0;
  absl::flat_hash_map<std::string, size_t> by_id;
  for (size_t m = 0; m < found.size(); ++m) {
    const Found& f = found[m];
    const auto [it, added] = by_id.try_emplace(ids[m], out.size());
    if (added) {
      ArticleEntity& entity = out.emplace_back();
      weights.push_back(0);
      entity.id = ids[m];
      const entities::EntityRecord* record = lexicon_->FindById(ids[m]);
      entity.linked = record != nullptr;
      entity.type = record != nullptr ? record->type : f.type;
      entity.display_name = record != nullptr ? record->display_name : f.mention.spelling;
      entity.confidence = entity.linked ? 1.0 : 0.75;
    }
    ArticleEntity& entity = out[it->second];
    ++entity.mention_count;
    const double weight = SalienceWeight(f.mention.section, f.mention.index);
    weights[it->second] += weight;
    total_weight += weight;
    if (std::find(entity.spellings.begin(), entity.spellings.end(), f.mention.spelling) ==
        entity.spellings.end()) {
      entity.spellings.push_back(f.mention.spelling);
    }
    if (!entity.linked && f.mention.spelling.size() > entity.display_name.size()) {
      entity.display_name = f.mention.spelling;
    }
    entity.mentions.push_back(f.mention);
  }
  for (size_t e = 0; e < out.size(); ++e) {
    out[e].salience = total_weight > 0 ? weights[e] / total_weight : 0;
  }
  std::sort(out.begin(), out.end(), [](const ArticleEntity& a, const ArticleEntity& b) {
    if (a.mention_count != b.mention_count) return a.mention_count > b.mention_count;
    return a.id < b.id;
  });
  return out;
}

}  // namespace newsdesk::ingest
