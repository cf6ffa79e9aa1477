// Reads the SGML files of Reuters-21578 (reut2-NNN.sgm): one ReutersStory per
// <REUTERS> element, with its split attribute and the DATE, TITLE, DATELINE
// and BODY (or unprocessed TEXT) elements, SGML entities decoded, control
// codes dropped and Latin-1 bytes turned into UTF-8.
#ifndef EVAL_REUTERS_SGML_H_
#define EVAL_REUTERS_SGML_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsdesk::eval {

struct ReutersStory {
  std::string new_id;
  std::string lewis_split;  // "TRAIN", "TEST", "NOT-USED"
  std::string date;         // "26-FEB-1987 15:01:01.79"
  std::string title;        // empty for unprocessed stories
  std::string dateline;     // "    SALVADOR, Feb 26 - "
  std::string body;         // BODY, or the whole TEXT when there is no BODY
};

// Parses the content of one .sgm file.
std::vector<ReutersStory> ReadReutersSgml(absl::string_view sgml);

// The reut2-NNN.sgm files of the corpus folder `corpus` (in its original/
// folder, or in the folder itself), sorted; none when there are none.
std::vector<std::filesystem::path> ReutersSgmlFiles(const std::filesystem::path& corpus);

}  // namespace newsdesk::eval

#endif  // EVAL_REUTERS_SGML_H_
