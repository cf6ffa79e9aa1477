#include "ingest_service/grpc/alias_convert.h"

#include "common/model/article_convert.h"

namespace newsdesk::ingest {

entities::AddAliasRequest FromProto(const v1::AddAliasRequest& proto) {
  entities::AddAliasRequest request;
  request.spelling = proto.spelling();
  request.entity_id = proto.entity_id();
  request.new_display_name = proto.new_entity_display_name();
  request.new_type = newsdesk::FromProto(proto.new_entity_type());
  return request;
}

entities::RemoveAliasRequest FromProto(const v1::RemoveAliasRequest& proto) {
  return entities::RemoveAliasRequest{proto.spelling(), proto.entity_id()};
}

entities::MergeRequest FromProto(const v1::MergeEntitiesRequest& proto) {
  return entities::MergeRequest{proto.source_entity_id(), proto.target_entity_id()};
}

entities::SplitRequest FromProto(const v1::SplitEntityRequest& proto) {
  entities::SplitRequest request;
  request.entity_id = proto.entity_id();
  request.spellings.assign(proto.spellings().begin(), proto.spellings().end());
  request.new_entity_id = proto.new_entity_id();
  request.new_display_name = proto.new_entity_display_name();
  return request;
}

void ToProto(const entities::AliasTableEntry& entry, int64_t table_version,
             v1::GetAliasTableResponse* proto) {
  proto->set_table_version(table_version);
  proto->set_entity_id(entry.id);
  proto->set_display_name(entry.display_name);
  proto->set_entity_type(newsdesk::ToProto(entry.type));
  for (const std::string& alias : entry.aliases) proto->add_aliases(alias);
  for (const std::string& id : entry.merged_ids) proto->add_merged_entity_ids(id);
}

}  // namespace newsdesk::ingest
