// Converters between IngestService messages and the ingest core's types that
// are not the article model's (common/model/article_convert.h).
#ifndef INGEST_SERVICE_GRPC_INGEST_CONVERT_H_
#define INGEST_SERVICE_GRPC_INGEST_CONVERT_H_

#include <string>

#include "ingest_service/core/reclassifier.h"
#include "newsdesk/v1/ingest_service.pb.h"

namespace newsdesk::ingest {

ReclassifyRequest FromProto(const v1::ReclassifyArticlesRequest& request);
void ToProto(const ReclassifyResult& result, const std::string& taxonomy_version,
             v1::ReclassifyArticlesResponse* response);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_INGEST_CONVERT_H_
