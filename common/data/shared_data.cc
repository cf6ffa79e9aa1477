#include "common/data/shared_data.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace newsdesk {

absl::StatusOr<SharedData> LoadSharedData(const std::string& data_files_dir,
                                          const std::string& iso_3166_path) {
  SharedData data;
  std::string version;
  std::ifstream version_file(absl::StrCat(data_files_dir, "/iptc/VERSION"));
  std::getline(version_file, version);
  if (!version_file) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", data_files_dir, "/iptc/VERSION; is --data_files_dir right?"));
  }
  ASSIGN_OR_RETURN(data.taxonomy,
                   Taxonomy::LoadFromFile(absl::StrCat(data_files_dir, "/iptc/mediatopics.tsv"),
                                          std::string(absl::StripAsciiWhitespace(version))));
  entities::EntityLexiconOptions lexicon_options;
  lexicon_options.entities_path = absl::StrCat(data_files_dir, "/entities/entities.tsv");
  lexicon_options.iso_countries_path = iso_3166_path;
  ASSIGN_OR_RETURN(data.lexicon, entities::EntityLexicon::Load(lexicon_options));
  return data;
}

}  // namespace newsdesk
