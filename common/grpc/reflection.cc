#include "common/grpc/reflection.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/impl/server_builder_option.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace newsdesk {
namespace {

constexpr char kReflectionPlugin[] = "proto_server_reflection";

// Drops the reflection plugin from the builder's plugins.
class NoReflectionOption : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
                                    return plugin->name() == kReflectionPlugin;
                                  }),
                   plugins->end());
  }
};

}  // namespace

void SetReflection(bool enabled, grpc::ServerBuilder* builder) {
  // The plugin registered itself before main(); calling this keeps the
  // reflection library linked in.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (!enabled) builder->SetOption(std::make_unique<NoReflectionOption>());
}

}  // namespace newsdesk
