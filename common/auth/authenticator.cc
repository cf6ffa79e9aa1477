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

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(
    const AuthenticatorOptions& options) {
  std::unique_ptr<Authenticator> authenticator(new Authenticator());
  if (!options.tokens_file.empty()) {
    std::ifstream in(options.tokens_file);
    if (!in) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read the auth tokens file ", options.tokens_file));
    }
    std::stringstream text;
    text << in.rdbuf();
    RETURN_IF_ERROR(authenticator->AddPrincipals(text.str(), options.tokens_file));
  }
  if (!options.tokens_text.empty()) {
    RETURN_IF_ERROR(authenticator->AddPrincipals(options.tokens_text, "NEWSDESK_AUTH_TOKENS"));
  }
  if (authenticator->principals_.empty()) {
    return absl::FailedPreconditionError(
        "no principals: give --auth_tokens_file or NEWSDESK_AUTH_TOKENS lines "
        "\"<roles> sha256:<token hash>|cert:<name> <name>\"");
  }
  return authenticator;
}

absl::Status Authenticator::AddPrincipals(absl::string_view text, absl::string_view source) {
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
    const int index = static_cast<int>(principals_.size());
    absl::string_view credential = fields[1];
    if (absl::ConsumePrefix(&credential, kSha256Prefix)) {
      const std::string hash = absl::AsciiStrToLower(credential);
      if (hash.size() != 64 || !IsLowerHex(hash)) {
        return fail("a token hash is 64 hex digits (sha256sum of the token)");
      }
      if (!by_token_hash_.emplace(hash, index).second) return fail("token listed twice");
    } else if (absl::ConsumePrefix(&credential, kCertPrefix)) {
      if (credential.empty()) return fail("empty certificate name");
      if (!by_certificate_.emplace(std::string(credential), index).second) {
        return fail("certificate name listed twice");
      }
    } else {
      return fail("the credential is sha256:<hex> or cert:<name> (tokens are never stored)");
    }
    principals_.push_back(std::move(principal));
  }
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authenticator::Authenticate(const Credentials& credentials) const {
  if (!credentials.authorization.empty()) {
    absl::string_view value = absl::StripAsciiWhitespace(credentials.authorization);
    if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
      return absl::UnauthenticatedError(
          "the authorization is not a bearer token: send \"authorization: Bearer <token>\"");
    }
    auto it = by_token_hash_.find(Sha256Hex(absl::StripAsciiWhitespace(value)));
    if (it == by_token_hash_.end()) return absl::UnauthenticatedError("unknown bearer token");
    return principals_[it->second];
  }
  for (const std::string& name : credentials.certificate_names) {
    auto it = by_certificate_.find(name);
    if (it != by_certificate_.end()) return principals_[it->second];
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
