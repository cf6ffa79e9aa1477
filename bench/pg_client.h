// A small libpq client for the scale benchmark's PostgreSQL side: one
// connection, prepared statements with text parameters, COPY FROM STDIN.
// Not thread-safe: each load-generator thread opens its own.
#ifndef BENCH_PG_CLIENT_H_
#define BENCH_PG_CLIENT_H_

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::bench {

class PgClient {
 public:
  // `conninfo` as libpq reads it ("host=/tmp/x port=5432 dbname=bench").
  static absl::StatusOr<std::unique_ptr<PgClient>> Connect(const std::string& conninfo);
  ~PgClient();

  // Runs SQL without parameters (several statements allowed).
  absl::Status Exec(const std::string& sql);

  // Prepares `sql` under `name` ($1, $2, ... are text parameters).
  absl::Status Prepare(const std::string& name, const std::string& sql);

  // Runs a prepared statement; returns the rows, each a vector of text
  // values (NULL as "").
  absl::StatusOr<std::vector<std::vector<std::string>>> Run(
      const std::string& name, const std::vector<std::string>& params);

  // COPY `table` FROM STDIN in text format: `rows` is the text, one row a
  // line, tab-separated, escaped with CopyEscape.
  absl::Status Copy(const std::string& table, absl::string_view rows);

  // A value escaped for COPY's text format.
  static std::string CopyEscape(absl::string_view value);
  // An array literal for COPY or a text parameter: {"a","b"}.
  static std::string ArrayLiteral(const std::vector<std::string>& values);

 private:
  explicit PgClient(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

}  // namespace newsdesk::bench

#endif  // BENCH_PG_CLIENT_H_
