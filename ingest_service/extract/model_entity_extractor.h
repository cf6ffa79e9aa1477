// An EntityExtractor that finds names with a trained PerceptronTagger and
// links them through the entity table: a name the table knows (in any
// spelling) gets its canonical id; any other is kept as a local entity.
#ifndef INGEST_SERVICE_EXTRACT_MODEL_ENTITY_EXTRACTOR_H_
#define INGEST_SERVICE_EXTRACT_MODEL_ENTITY_EXTRACTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "common/entities/entity_lexicon.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/perceptron_tagger.h"

namespace newsdesk::ingest {

// Within an article, a local person named by part of a longer person name
// ("Demchenko" after "Anatoliy Demchenko") counts for the longer name.
// Confidence is 1 for linked entities and 0.75 for local ones.
class ModelEntityExtractor : public EntityExtractor {
 public:
  // `lexicon` is not owned and must outlive the extractor; `model_path`
  // names the model file; `tagger` must have been loaded with `lexicon`.
  ModelEntityExtractor(const entities::EntityLexicon* lexicon,
                       std::unique_ptr<PerceptronTagger> tagger, std::string model_path);

  std::vector<ArticleEntity> Extract(const Article& article) const override;

  // The lexicon's data_version() and ";model=<file name>".
  std::string version() const override { return version_; }

 private:
  const entities::EntityLexicon* const lexicon_;
  const std::unique_ptr<PerceptronTagger> tagger_;
  std::string version_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_MODEL_ENTITY_EXTRACTOR_H_
