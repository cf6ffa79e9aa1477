#include "common/testing/test_pki.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace newsdesk::testing {
namespace {

constexpr char kKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

}  // namespace

std::string TestPki::Read(const std::string& file) const {
  std::ifstream in(path(file));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status TestPki::Run(const std::string& command) const {
  const std::string full =
      absl::StrCat("cd '", dir_, "' && ", command, " >>openssl.log 2>&1");
  if (std::system(full.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("failed: ", command, " (see ", dir_, "/openssl.log)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<TestPki> TestPki::Create(const std::string& dir) {
  std::filesystem::create_directories(dir);
  TestPki pki(dir);
  for (const char* ca : {"ca", "other-ca"}) {
    absl::Status s = pki.Run(absl::StrCat("openssl req -x509 ", kKey, " -keyout ", ca,
                                          ".key -out ", ca, ".crt -days 2 -subj /CN=newsdesk-test-",
                                          ca));
    if (!s.ok()) return s;
  }
  std::ofstream(dir + "/server.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  absl::Status s = pki.Run(absl::StrCat(
      "openssl req ", kKey, " -keyout server.key -out server.csr -subj /CN=localhost && "
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
      "-out server.crt -days 2 -extfile server.ext"));
  if (!s.ok()) return s;
  s = pki.Run(absl::StrCat(
      "openssl req ", kKey, " -keyout intruder.key -out intruder.csr -subj /CN=intruder && "
      "openssl x509 -req -in intruder.csr -CA other-ca.crt -CAkey other-ca.key "
      "-CAcreateserial -out intruder.crt -days 2"));
  if (!s.ok()) return s;
  return pki;
}

absl::Status TestPki::AddClient(const std::string& cn) const {
  return Run(absl::StrCat("openssl req ", kKey, " -keyout ", cn, ".key -out ", cn,
                          ".csr -subj /CN=", cn, " && openssl x509 -req -in ", cn,
                          ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ", cn,
                          ".crt -days 2"));
}

std::shared_ptr<grpc::ChannelCredentials> TestPki::Credentials(const std::string& cn,
                                                               const std::string& token) const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Read("ca.crt");
  if (!cn.empty()) {
    ssl.pem_cert_chain = Read(cn + ".crt");
    ssl.pem_private_key = Read(cn + ".key");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::SslCredentials(ssl);
  if (!token.empty()) {
    credentials = grpc::CompositeChannelCredentials(credentials,
                                                    grpc::AccessTokenCredentials(token));
  }
  return credentials;
}

}  // namespace newsdesk::testing
