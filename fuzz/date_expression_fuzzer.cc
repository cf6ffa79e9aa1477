// Feeds arbitrary bytes to the date expression parser (whole expressions
// and dates at the start of a line, in each numeric order) and to the
// mentioned-date finder with a known publication day.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/mentioned_dates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using newsdesk::ingest::DateOptions;
  using newsdesk::ingest::NumericDateOrder;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (NumericDateOrder order : {NumericDateOrder::kUnknown, NumericDateOrder::kDayFirst,
                                 NumericDateOrder::kMonthFirst}) {
    DateOptions options;
    options.numeric_order = order;
    newsdesk::ingest::ParseDateExpression(text, options);
    newsdesk::ingest::FindDate(text, options);
  }
  newsdesk::ArticleTime published;
  published.time = absl::FromCivil(absl::CivilDay(2023, 4, 26), absl::UTCTimeZone());
  published.precision = newsdesk::TimePrecision::kDay;
  std::vector<newsdesk::MentionedDate> dates;
  newsdesk::ingest::AppendMentionedDates(text, published, &dates);
  return 0;
}
