// Finds the dates and periods an article's text mentions and resolves them to
// intervals, so that articles can be found by when things happened:
//
//   absolute   "March 17, 2023", "17 March 2023" (day); "February 2022"
//              (month); "in 2014", "since 2014", "mid-2022" (year: a bare
//              year counts only after such a word)
//   relative   "today", "yesterday", "tomorrow"; "on Wednesday", "next
//              Monday" (the most recent such day up to the publication day,
//              or the coming one after "next"); "March 17", "in February"
//              (in the publication year, or the year before when that would
//              put them more than six months after it); "last week", "this
//              month", "next year", "the past year"; "two days ago", "3
//              months ago"; "the 14-month war", "a two-year conflict" (the
//              period ending at publication; only before a word naming an
//              event such as war, siege, crisis, pandemic)
//   ranges     "between March and May 2023", "from 2014 to 2022", "from
//              March 3 to May 5, 2023", "March 3-5", "3-5 March 2023",
//              "March-May 2023", "2019-2021", "2019–21": one interval from
//              the start of the first end to the end of the second, with the
//              coarser precision of the two; a year missing on one end is
//              taken from the other, else from the publication year
//              (relative)
//
// Relative expressions need the publication time; without it only absolute
// ones are returned. Months and weekdays count only when capitalized, so "may"
// and "march" as verbs are not dates. Weeks run Monday to Sunday.
#ifndef INGEST_SERVICE_PARSE_MENTIONED_DATES_H_
#define INGEST_SERVICE_PARSE_MENTIONED_DATES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::ingest {

// At most this many mentions are kept per article, first found first.
inline constexpr size_t kMaxMentionedDates = 64;

// Appends the mentions in `text` to `dates`, in order, skipping any already
// there (same text and interval) and stopping at kMaxMentionedDates.
// `published` anchors relative expressions when known to the day or better.
void AppendMentionedDates(absl::string_view text, const ArticleTime& published,
                          std::vector<MentionedDate>* dates);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_MENTIONED_DATES_H_
