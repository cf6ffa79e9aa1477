#include "bench/pg_client.h"

#include "absl/strings/str_cat.h"

namespace newsdesk::bench {
namespace {

absl::Status Failed(PGconn* conn, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", PQerrorMessage(conn)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgClient>> PgClient::Connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status status =
        absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL (", conninfo,
                                            "): ", PQerrorMessage(conn)));
    PQfinish(conn);
    return status;
  }
  return std::unique_ptr<PgClient>(new PgClient(conn));
}

PgClient::~PgClient() { PQfinish(conn_); }

absl::Status PgClient::Exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Failed(conn_, sql.substr(0, 60));
  }
  return absl::OkStatus();
}

absl::Status PgClient::Prepare(const std::string& name, const std::string& sql) {
  PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  return ok ? absl::OkStatus() : Failed(conn_, absl::StrCat("prepare ", name));
}

absl::StatusOr<std::vector<std::vector<std::string>>> PgClient::Run(
    const std::string& name, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                    values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    PQclear(result);
    return Failed(conn_, name);
  }
  std::vector<std::vector<std::string>> rows(PQntuples(result));
  const int columns = PQnfields(result);
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    rows[r].reserve(columns);
    for (int c = 0; c < columns; ++c) {
      rows[r].emplace_back(PQgetvalue(result, r, c), PQgetlength(result, r, c));
    }
  }
  PQclear(result);
  return rows;
}

absl::Status PgClient::Copy(const std::string& table, absl::string_view rows) {
  PGresult* result = PQexec(conn_, absl::StrCat("COPY ", table, " FROM STDIN").c_str());
  const bool started = PQresultStatus(result) == PGRES_COPY_IN;
  PQclear(result);
  if (!started) return Failed(conn_, "COPY");
  if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    return Failed(conn_, "COPY data");
  }
  bool ok = true;
  while ((result = PQgetResult(conn_)) != nullptr) {
    ok = ok && PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
  }
  return ok ? absl::OkStatus() : Failed(conn_, "COPY end");
}

std::string PgClient::CopyEscape(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PgClient::ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace newsdesk::bench
