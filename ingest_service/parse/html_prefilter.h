// Rewrites an HTML document so that gumbo 0.10.1 parses it safely and in
// bounded time and memory. Newsdesk reads only text from the tree, so the
// rewrite removes what it does not need where gumbo is weak:
//
//  - Foreign content. Gumbo asserts, aborting the process, on some malformed
//    markup inside SVG or MathML, e.g. "<table><svg><select><title><select>
//    <table>". Every <svg> and <math> element is replaced by an empty comment
//    up to its end tag, or only its start tag when it has none or when HTML
//    content follows before the end tag. This pass ignores context (comments,
//    scripts), so no SVG or MathML start tag can reach gumbo.
//  - Formatting elements (a, b, em, font, i, strong...). Their tags are
//    dropped: they carry no text of their own, and gumbo's handling of them
//    (reopening every unclosed one in each later block) can create a number
//    of nodes quadratic in the input.
//  - Deep nesting. Gumbo scans its stack of open elements for many tags, so a
//    document nested N deep costs O(N^2): 100000 nested <div>s take minutes.
//    The scan follows the HTML tokenizer (comments, raw text, script escapes,
//    attribute quoting) and keeps a stack of open elements with the tree
//    builder's main rules for end tags and <select>, and drops the tags of
//    elements that would open beyond the depth limit. Their text stays.
//
// Dropped tags become empty comments, so no new markup forms where they were.
// The nesting bound holds for ordinary and garbage input; markup crafted
// around tree-builder rules the scan does not model (such as <template>
// inside <colgroup>) can still reach gumbo deeper than the limit.
#ifndef INGEST_SERVICE_PARSE_HTML_PREFILTER_H_
#define INGEST_SERVICE_PARSE_HTML_PREFILTER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

struct PrefilterOptions {
  // Open elements kept, not counting those that close themselves (void
  // elements, p, li, td...).
  int max_depth = 256;
};

// Returns the rewritten `html`, or nullopt when nothing needed rewriting.
std::optional<std::string> PrefilterHtml(absl::string_view html,
                                         const PrefilterOptions& options = {});

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_HTML_PREFILTER_H_
