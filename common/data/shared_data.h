// Loads the reference data both services use from the data files directory:
// the IPTC Media Topics taxonomy (iptc/) and the entity table (entities/,
// plus Debian's iso-codes country list when installed).
#ifndef COMMON_DATA_SHARED_DATA_H_
#define COMMON_DATA_SHARED_DATA_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/entities/entity_lexicon.h"
#include "common/taxonomy/taxonomy.h"

namespace newsdesk {

struct SharedData {
  std::unique_ptr<Taxonomy> taxonomy;
  std::unique_ptr<entities::EntityLexicon> lexicon;
};

// `data_files_dir` holds iptc/mediatopics.tsv, iptc/VERSION and
// entities/entities.tsv. `iso_3166_path` may name a missing file.
absl::StatusOr<SharedData> LoadSharedData(const std::string& data_files_dir,
                                          const std::string& iso_3166_path);

}  // namespace newsdesk

#endif  // COMMON_DATA_SHARED_DATA_H_
