// Server reflection on or off. Linking gRPC's reflection library registers
// its plugin with every ServerBuilder at static initialization, so leaving
// InitProtoReflectionServerBuilderPlugin() uncalled does not turn it off:
// SetReflection(false) removes the plugin from the builder.
#ifndef COMMON_GRPC_REFLECTION_H_
#define COMMON_GRPC_REFLECTION_H_

#include <grpcpp/server_builder.h>

namespace newsdesk {

// Serves grpc.reflection.v1alpha.ServerReflection from `builder`'s server
// when `enabled`, and not otherwise.
void SetReflection(bool enabled, grpc::ServerBuilder* builder);

}  // namespace newsdesk

#endif  // COMMON_GRPC_REFLECTION_H_
