// Converts EntityAliasService requests and answers to and from the domain
// types of the alias table (common/entities/alias_table.h). The change itself
// converts in common/model/log_entry_convert.h.
#ifndef INGEST_SERVICE_GRPC_ALIAS_CONVERT_H_
#define INGEST_SERVICE_GRPC_ALIAS_CONVERT_H_

#include "common/entities/alias_table.h"
#include "newsdesk/v1/entity_alias_service.pb.h"

namespace newsdesk::ingest {

entities::AddAliasRequest FromProto(const v1::AddAliasRequest& proto);
entities::RemoveAliasRequest FromProto(const v1::RemoveAliasRequest& proto);
entities::MergeRequest FromProto(const v1::MergeEntitiesRequest& proto);
entities::SplitRequest FromProto(const v1::SplitEntityRequest& proto);
void ToProto(const entities::AliasTableEntry& entry, int64_t table_version,
             v1::GetAliasTableResponse* proto);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_ALIAS_CONVERT_H_
