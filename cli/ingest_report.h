// What the CLI tells a person during and after a bulk ingest: a progress line
// (count, percentage, rate, ETA, failures so far) at most once per interval,
// so only long ingests show one, and a summary of failures grouped by reason
// (the gRPC code and, when the service named it, the request field at fault;
// otherwise the message).
#ifndef CLI_INGEST_REPORT_H_
#define CLI_INGEST_REPORT_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace newsdesk::cli {

class IngestReport {
 public:
  // `progress` receives progress lines; `now` is the clock (a seam for tests).
  IngestReport(int total, std::ostream& progress, absl::Duration interval = absl::Seconds(2),
               std::function<absl::Time()> now = &absl::Now);

  // Records one finished item: `reason` is empty on success.
  void Done(const std::string& reason = "");

  // The failure reason of a gRPC failure: "INVALID_ARGUMENT: article.content"
  // when the status's google.rpc.BadRequest names a field, else
  // "<CODE>: <message>".
  static std::string Reason(int code, const std::string& message, const std::string& details);

  // Prints the failures by reason, most frequent first, one per line.
  void PrintFailures(std::ostream& out) const;

  int done() const { return done_; }
  int failed() const { return failed_; }

 private:
  const int total_;
  std::ostream& progress_;
  const absl::Duration interval_;
  const std::function<absl::Time()> now_;
  const absl::Time start_;
  absl::Time last_print_;
  int done_ = 0;
  int failed_ = 0;
  std::map<std::string, int> failures_;
};

}  // namespace newsdesk::cli

#endif  // CLI_INGEST_REPORT_H_
