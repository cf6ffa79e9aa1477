#include "ingest_service/grpc/ingest_convert.h"

namespace newsdesk::ingest {

ReclassifyRequest FromProto(const v1::ReclassifyArticlesRequest& request) {
  ReclassifyRequest out;
  out.start_sequence = request.start_sequence();
  out.max_entries = request.max_entries();
  out.all = request.all();
  return out;
}

void ToProto(const ReclassifyResult& result, const std::string& taxonomy_version,
             v1::ReclassifyArticlesResponse* response) {
  response->set_taxonomy_version(taxonomy_version);
  response->set_visited_count(result.visited_count);
  response->set_updated_count(result.updated_count);
  response->set_next_sequence(result.next_sequence);
}

}  // namespace newsdesk::ingest
