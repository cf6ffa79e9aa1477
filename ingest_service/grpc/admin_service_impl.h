// gRPC adapter of the store's administration: backups.
#ifndef INGEST_SERVICE_GRPC_ADMIN_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_ADMIN_SERVICE_IMPL_H_

#include "ingest_service/backup/backups.h"
#include "newsdesk/v1/admin_service.grpc.pb.h"

namespace newsdesk::ingest {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // `backups` is not owned and must outlive the service.
  explicit AdminServiceImpl(Backups* backups) : backups_(backups) {}

  grpc::Status CreateBackup(grpc::ServerContext* context,
                            const v1::CreateBackupRequest* request,
                            v1::CreateBackupResponse* response) override;

 private:
  Backups* const backups_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_ADMIN_SERVICE_IMPL_H_
