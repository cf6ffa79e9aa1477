// Certificates for the tests of TLS, made with the openssl command at test
// time (never committed): a CA, a server certificate for localhost and
// 127.0.0.1, client certificates it signs, and a second, unrelated CA with a
// client certificate of its own.
#ifndef COMMON_TESTING_TEST_PKI_H_
#define COMMON_TESTING_TEST_PKI_H_

#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>

#include "absl/status/statusor.h"

namespace newsdesk::testing {

class TestPki {
 public:
  // Writes the files under `dir`: ca.crt, server.{crt,key}, and for each
  // client common name `cn` passed to AddClient, cn.{crt,key}; other-ca.crt
  // and intruder.{crt,key} signed by it.
  static absl::StatusOr<TestPki> Create(const std::string& dir);

  // A client certificate with common name `cn`, signed by the CA.
  absl::Status AddClient(const std::string& cn) const;

  std::string path(const std::string& file) const { return dir_ + "/" + file; }
  // The text of `file` under the folder ("ca.crt", "server.key").
  std::string Read(const std::string& file) const;

  // TLS channel credentials trusting the CA, with client certificate `cn`
  // (none when empty) and bearer `token` (none when empty).
  std::shared_ptr<grpc::ChannelCredentials> Credentials(const std::string& cn,
                                                        const std::string& token) const;

 private:
  explicit TestPki(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Run(const std::string& command) const;

  std::string dir_;
};

}  // namespace newsdesk::testing

#endif  // COMMON_TESTING_TEST_PKI_H_
