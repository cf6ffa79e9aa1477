// gRPC adapter of the alias editor: converts requests to domain types, calls
// the AliasEditor and maps its status. No logic of its own.
#ifndef INGEST_SERVICE_GRPC_ENTITY_ALIAS_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_ENTITY_ALIAS_SERVICE_IMPL_H_

#include "ingest_service/aliases/alias_editor.h"
#include "newsdesk/v1/entity_alias_service.grpc.pb.h"

namespace newsdesk::ingest {

class EntityAliasServiceImpl final : public v1::EntityAliasService::Service {
 public:
  // `editor` is not owned and must outlive the service.
  explicit EntityAliasServiceImpl(AliasEditor* editor) : editor_(editor) {}

  grpc::Status AddAlias(grpc::ServerContext* context, const v1::AddAliasRequest* request,
                        v1::AddAliasResponse* response) override;
  grpc::Status RemoveAlias(grpc::ServerContext* context, const v1::RemoveAliasRequest* request,
                           v1::RemoveAliasResponse* response) override;
  grpc::Status MergeEntities(grpc::ServerContext* context,
                             const v1::MergeEntitiesRequest* request,
                             v1::MergeEntitiesResponse* response) override;
  grpc::Status SplitEntity(grpc::ServerContext* context, const v1::SplitEntityRequest* request,
                           v1::SplitEntityResponse* response) override;
  grpc::Status ListAliasChanges(grpc::ServerContext* context,
                                const v1::ListAliasChangesRequest* request,
                                v1::ListAliasChangesResponse* response) override;
  grpc::Status GetAliasTable(grpc::ServerContext* context,
                             const v1::GetAliasTableRequest* request,
                             v1::GetAliasTableResponse* response) override;

 private:
  AliasEditor* const editor_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_ENTITY_ALIAS_SERVICE_IMPL_H_
