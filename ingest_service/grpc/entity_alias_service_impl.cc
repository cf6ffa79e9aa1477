#include "ingest_service/grpc/entity_alias_service_impl.h"

#include "common/grpc/status_util.h"
#include "common/model/log_entry_convert.h"
#include "ingest_service/grpc/alias_convert.h"

namespace newsdesk::ingest {
namespace {

// Answers an edit: the change as stored, or the failure.
template <typename Response>
grpc::Status Answer(absl::string_view method, const absl::StatusOr<AliasChange>& change,
                    Response* response) {
  if (!change.ok()) return FailedCall(method, change.status());
  newsdesk::ToProto(*change, response->mutable_change());
  return grpc::Status::OK;
}

}  // namespace

grpc::Status EntityAliasServiceImpl::AddAlias(grpc::ServerContext* context,
                                              const v1::AddAliasRequest* request,
                                              v1::AddAliasResponse* response) {
  return Answer("AddAlias", editor_->AddAlias(FromProto(*request)), response);
}

grpc::Status EntityAliasServiceImpl::RemoveAlias(grpc::ServerContext* context,
                                                 const v1::RemoveAliasRequest* request,
                                                 v1::RemoveAliasResponse* response) {
  return Answer("RemoveAlias", editor_->RemoveAlias(FromProto(*request)), response);
}

grpc::Status EntityAliasServiceImpl::MergeEntities(grpc::ServerContext* context,
                                                   const v1::MergeEntitiesRequest* request,
                                                   v1::MergeEntitiesResponse* response) {
  return Answer("MergeEntities", editor_->Merge(FromProto(*request)), response);
}

grpc::Status EntityAliasServiceImpl::SplitEntity(grpc::ServerContext* context,
                                                 const v1::SplitEntityRequest* request,
                                                 v1::SplitEntityResponse* response) {
  return Answer("SplitEntity", editor_->Split(FromProto(*request)), response);
}

grpc::Status EntityAliasServiceImpl::ListAliasChanges(
    grpc::ServerContext* context, const v1::ListAliasChangesRequest* request,
    v1::ListAliasChangesResponse* response) {
  absl::StatusOr<AliasChangePage> page =
      editor_->ListChanges(request->page_size(), request->page_token(), request->entity_id());
  if (!page.ok()) return FailedCall("ListAliasChanges", page.status());
  for (const AliasChange& change : page->changes) {
    newsdesk::ToProto(change, response->add_changes());
  }
  response->set_next_page_token(page->next_page_token);
  response->set_table_version(page->table_version);
  return grpc::Status::OK;
}

grpc::Status EntityAliasServiceImpl::GetAliasTable(grpc::ServerContext* context,
                                                   const v1::GetAliasTableRequest* request,
                                                   v1::GetAliasTableResponse* response) {
  const int64_t version = editor_->table().version();
  absl::StatusOr<entities::AliasTableEntry> entry =
      editor_->table().Describe(request->entity_id());
  if (!entry.ok()) return FailedCall("GetAliasTable", entry.status());
  ToProto(*entry, version, response);
  return grpc::Status::OK;
}

}  // namespace newsdesk::ingest
