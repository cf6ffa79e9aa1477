// Rules that judge one line of an article on its own: boilerplate (reading
// time, share and subscribe tails, related-link lines), photo credits,
// bylines, bullets, the "Key Points" heading, and whether a line reads as a
// headline. Each takes a whitespace-normalized line (see NormalizeSpace in
// paragraph_cleaner.h) and looks only at a bounded part of it, so the rules
// cost little per line. CleanParagraphs (paragraph_cleaner.h) applies them in
// context.
#ifndef INGEST_SERVICE_PARSE_LINE_RULES_H_
#define INGEST_SERVICE_PARSE_LINE_RULES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

// "Estimated reading time 3 minutes 3 Min", "5 min read", "Reading time: 4
// minutes".
bool IsReadingTime(absl::string_view line);

// "Share", "Share this article", "Share on Facebook Twitter Email",
// "Subscribe to our newsletter", "Follow us on Twitter", "Sign up for our
// newsletter".
bool IsShareTail(absl::string_view line);

// "More in Top Stories", "Related:", "Read more: <headline>", "Most read".
bool IsRelatedLinks(absl::string_view line);

// "Key Points", "Key points:", "Highlights", "In brief", "Key takeaways".
bool IsKeyPointsHeading(absl::string_view line);

// True when `line` could be the alt text a page prints before a photo
// caption ("Two men shaking hands."): at most 12 words, not ending in ':'.
bool IsImageAltText(absl::string_view line);

// The byte offset where a photo credit ending `line` starts, or npos. Credits
// are "Source: AAP, EPA / Ng Han Guan", "Photo: Jane Doe/Reuters",
// "Photograph: ...", "Credit: ..." (a short tail after a marker) and
// parenthesized "(Reuters/John Doe)", "(AP Photo/Andy Wong)", "(Getty
// Images)".
size_t FindCreditStart(absl::string_view line);

// The names of a byline such as "By Jane Doe and John Roe, Reuters" or "By
// Jane Doe | Reuters" (the text after "By "), or nullopt when `line` is not a
// byline.
std::optional<absl::string_view> ParseByline(absl::string_view line);

// A byline's names split into authors and the outlet that may close it:
// "Jane Doe and John Roe, Reuters" gives {"Jane Doe", "John Roe"} and
// "Reuters"; "Jane Doe | Reuters" gives {"Jane Doe"} and "Reuters"; "Jane
// Doe, John Roe and Max Moe" gives three authors and no outlet.
struct BylineParts {
  std::vector<std::string> authors;
  std::string outlet;
};
BylineParts SplitByline(absl::string_view names);

// A dateline opening a story: "KYIV, April 26 (Reuters) -", "BEIJING (AP)
// —", "SALVADOR, Feb 26 -", "Kyiv, April 26 (Reuters) -". The place is
// one to five capitalized words, in capitals unless a date or an agency
// follows; then an optional ", <date>" and "(<agency>)"; then a dash.
struct Dateline {
  absl::string_view place;   // "KYIV"
  absl::string_view agency;  // "Reuters", or empty
  size_t length = 0;         // bytes of `line` the dateline and its dash take
};
std::optional<Dateline> ParseDateline(absl::string_view line);

// The text of a bullet line ("• Item", "- Item", "* Item", "· Item") without
// its marker, or nullopt when `line` does not start with a bullet.
std::optional<absl::string_view> StripBullet(absl::string_view line);

// True when `line` reads as a headline: at most 150 characters, not ending in
// a colon, and one sentence unless it is set in capitals ("ALEX. BROWN SETS
// SPLIT").
bool IsHeadline(absl::string_view line);

// A title as it should be stored: wire prefixes ("BREAKING:", "UPDATE 2-",
// "EXCLUSIVE-", "FACTBOX-"...) removed, and the final period of a
// one-sentence title removed unless it ends an abbreviation ("U.S.").
// Each label removed is appended to `labels` when it is not null, as
// written without its separator ("BREAKING", "UPDATE 2").
std::string CleanHeadline(absl::string_view title,
                          std::vector<std::string>* labels = nullptr);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_LINE_RULES_H_
