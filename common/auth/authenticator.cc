#include "common/auth/authenticator.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/status_macros.h"

namespace newsdesk::auth {
namespace {

constexpr absl::string_view kSha256Prefix = "sha256:";
constexpr absl::string_view kCertPrefix = "cert:";

bool IsLowerHex(absl::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string RoleList(const Principal& principal) {
  std::vector<std::string> names;
  for (Role role : {Role::kRead, Role::kWrite, Role::kReplica, Role::kAdmin}) {
    if (principal.roles.contains(role)) names.push_back(RoleName(role));
  }
  return absl::StrJoin(names, ",");
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

namespace {

absl::StatusOr<std::string> ReadTokensFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the auth tokens file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(
    const AuthenticatorOptions& options) {
  std::unique_ptr<Authenticator> authenticator(new Authenticator(options));
  std::string file_text;
  if (!options.tokens_file.empty()) {
    ASSIGN_OR_RETURN(file_text, ReadTokensFile(options.tokens_file));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Table> table, authenticator->Parse(file_text));
  absl::MutexLock lock(&authenticator->mu_);
  authenticator->table_ = std::move(table);
  authenticator->file_hash_ = Sha256Hex(file_text);
  return authenticator;
}

absl::StatusOr<bool> Authenticator::Reload() {
  if (options_.tokens_file.empty()) return false;
  ASSIGN_OR_RETURN(std::string file_text, ReadTokensFile(options_.tokens_file));
  const std::string hash = Sha256Hex(file_text);
  {
    absl::MutexLock lock(&mu_);
    if (hash == file_hash_) return false;
    file_hash_ = hash;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Table> table, Parse(file_text));
  absl::MutexLock lock(&mu_);
  table_ = std::move(table);
  return true;
}

absl::StatusOr<std::shared_ptr<const Authenticator::Table>> Authenticator::Parse(
    absl::string_view file_text) const {
  auto table = std::make_shared<Table>();
  RETURN_IF_ERROR(table->Add(file_text, options_.tokens_file));
  if (!options_.tokens_text.empty()) {
    RETURN_IF_ERROR(table->Add(options_.tokens_text, "NEWSDESK_AUTH_TOKENS"));
  }
  if (table->principals.empty()) {
    return absl::FailedPreconditionError(
        "no principals: give --auth_tokens_file or NEWSDESK_AUTH_TOKENS lines "
        "\"<roles> sha256:<token hash>|cert:<name> <name>\"");
  }
  return table;
}

std::shared_ptr<const Authenticator::Table> Authenticator::table() const {
  absl::MutexLock lock(&mu_);
  return table_;
}

int Authenticator::principal_count() const {
  return static_cast<int>(table()->principals.size());
}

absl::Status Authenticator::Table::Add(absl::string_view text, absl::string_view source) {
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\n;"))) {
    ++line_number;
    const size_t comment = line.find('#');
    if (comment != absl::string_view::npos) line = line.substr(0, comment);
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    auto fail = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " line ", line_number, ": ", what,
                       " (expected \"<roles> sha256:<hex>|cert:<name> <name>\")"));
    };
    if (fields.size() != 3) return fail("expected three fields");
    Principal principal;
    principal.name = std::string(fields[2]);
    for (absl::string_view name : absl::StrSplit(fields[0], ',', absl::SkipEmpty())) {
      absl::StatusOr<Role> role = ParseRole(name);
      if (!role.ok()) return fail(role.status().message());
      principal.roles.insert(*role);
    }
    if (principal.roles.empty()) return fail("no role");
    const int index = static_cast<int>(principals.size());
    absl::string_view credential = fields[1];
    if (absl::ConsumePrefix(&credential, kSha256Prefix)) {
      const std::string hash = absl::AsciiStrToLower(credential);
      if (hash.size() != 64 || !IsLowerHex(hash)) {
        return fail("a token hash is 64 hex digits (sha256sum of the token)");
      }
      if (!by_token_hash.emplace(hash, index).second) return fail("token listed twice");
    } else if (absl::ConsumePrefix(&credential, kCertPrefix)) {
      if (credential.empty()) return fail("empty certificate name");
      if (!by_certificate.emplace(std::string(credential), index).second) {
        return fail("certificate name listed twice");
      }
    } else {
      return fail("the credential is sha256:<hex> or cert:<name> (tokens are never stored)");
    }
    principals.push_back(std::move(principal));
  }
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authenticator::Authenticate(const Credentials& credentials) const {
  const std::shared_ptr<const Table> table = this->table();
  if (!credentials.authorization.empty()) {
    absl::string_view value = absl::StripAsciiWhitespace(credentials.authorization);
    if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
      return absl::UnauthenticatedError(
          "the authorization is not a bearer token: send \"authorization: Bearer <token>\"");
    }
    auto it = table->by_token_hash.find(Sha256Hex(absl::StripAsciiWhitespace(value)));
    if (it == table->by_token_hash.end()) {
      return absl::UnauthenticatedError("unknown bearer token");
    }
    return table->principals[it->second];
  }
  for (const std::string& name : credentials.certificate_names) {
    auto it = table->by_certificate.find(name);
    if (it != table->by_certificate.end()) return table->principals[it->second];
  }
  if (!credentials.certificate_names.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the client certificate (", credentials.certificate_names.front(),
        ") names no principal, and no bearer token was sent"));
  }
  return absl::UnauthenticatedError(
      "no credentials: send \"authorization: Bearer <token>\" (the CLI reads "
      "--token_file or NEWSDESK_TOKEN) or a client certificate");
}

absl::Status Authenticator::Check(absl::string_view method,
                                  const Credentials& credentials) const {
  const std::optional<Role> required = RequiredRole(method);
  if (required == Role::kOpen) return absl::OkStatus();
  ASSIGN_OR_RETURN(Principal principal, Authenticate(credentials));
  if (!required.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " is not in the role table: no one may call it"));
  }
  if (!principal.roles.contains(*required)) {
    return absl::PermissionDeniedError(
        absl::StrCat(principal.name, " (roles: ", RoleList(principal), ") may not call ",
                     method, ": it needs role ", RoleName(*required)));
  }
  return absl::OkStatus();
}

}  // namespace newsdesk::auth
