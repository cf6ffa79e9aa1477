#include "ingest_service/grpc/admin_service_impl.h"

#include "common/grpc/status_util.h"
#include "common/model/article_convert.h"

namespace newsdesk::ingest {

grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* context,
                                            const v1::CreateBackupRequest* request,
                                            v1::CreateBackupResponse* response) {
  absl::StatusOr<BackupInfo> backup = backups_->Create(request->name());
  if (!backup.ok()) return FailedCall("CreateBackup", backup.status());
  response->set_name(backup->name);
  response->set_head_sequence(backup->checkpoint.head_sequence);
  response->set_size_bytes(backup->checkpoint.size_bytes);
  ToProto(backup->create_time, response->mutable_create_time());
  return grpc::Status::OK;
}

}  // namespace newsdesk::ingest
