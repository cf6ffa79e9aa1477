#include "ingest_service/parse/html_prefilter.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

std::string Prefilter(absl::string_view html, int max_depth = 256) {
  PrefilterOptions options;
  options.max_depth = max_depth;
  const std::optional<std::string> out = PrefilterHtml(html, options);
  return out ? *out : std::string(html);
}

TEST(PrefilterHtmlTest, LeavesOrdinaryPagesAlone) {
  for (absl::string_view html :
       {"<!DOCTYPE "
        "html><html><head><title>T</title></head><body><div><p>Text<p>More</div>"
        "</body></html>",
        "<ul><li>One<li>Two</ul><table><tr><td>Cell</table><br><img src=x>",
        "< div> a < b <3 <> </ x> <?xml?>", "<select><option>One</select>", ""}) {
    EXPECT_EQ(PrefilterHtml(html), std::nullopt) << html;
  }
}

TEST(PrefilterHtmlTest, DropsFormattingTags) {
  EXPECT_EQ(Prefilter("<p>Hel<b>lo</b> <a href='/x'>world</a></p>"),
            "<p>Hel<!---->lo<!----> <!---->world<!----></p>");
}

TEST(PrefilterHtmlTest, RemovesForeignContent) {
  EXPECT_EQ(Prefilter("<p>Share <svg viewBox='0 0 1 1'><path d='M0'/><title>Icon</title>"
                      "</svg> this</p>"),
            "<p>Share <!----> this</p>");
  EXPECT_EQ(Prefilter("x<MATH><mi>x</mi></math>y"), "x<!---->y");
  // Unterminated, self-closing, or followed by HTML before its end tag: only
  // the start tag goes.
  EXPECT_EQ(Prefilter("<svg width=1><p>Text</p>"), "<!----><p>Text</p>");
  EXPECT_EQ(Prefilter("<svg/><section>Text</section></svg>"),
            "<!----><section>Text</section></svg>");
  EXPECT_EQ(Prefilter("<svg><path/><div>Text</div></svg>"),
            "<!----><path/><div>Text</div></svg>");
  // Context does not matter: no svg start tag can reach gumbo.
  EXPECT_EQ(Prefilter("<!-- <svg> --><script>a='<svg>'</script>"),
            "<!-- <!----> --><script>a='<!---->'</script>");
  EXPECT_EQ(Prefilter("<s<svg></svg>vg>"), "<s<!---->vg>");
  // Only whole tag names count.
  EXPECT_EQ(PrefilterHtml("<svgx><mathematics></svgx>"), std::nullopt);
}

TEST(PrefilterHtmlTest, DropsTagsBeyondTheDepthLimit) {
  EXPECT_EQ(
      Prefilter("<div><section><div class='x>y'>deep</div></section>after</div>", 2),
      "<div><section><!---->deep<!----></section>after</div>");
  const std::string deep =
      absl::StrCat(Repeat("<div>", 100000), "<p>Deep text</p>", Repeat("</div>", 100000));
  const std::string kept = absl::StrCat(
      Repeat("<div>", 256), Repeat("<!---->", 100000 - 256), "<p>Deep text</p>",
      Repeat("<!---->", 100000 - 256), Repeat("</div>", 256));
  EXPECT_EQ(Prefilter(deep), kept);
}

TEST(PrefilterHtmlTest, DoesNotCountWhatTheTreeBuilderCloses) {
  EXPECT_EQ(PrefilterHtml(Repeat("<p>x<li>y<td>z<br><img src=a><option>", 1000)),
            std::nullopt);
  // An end tag closes the elements left open inside it.
  EXPECT_EQ(PrefilterHtml(Repeat("<div><span><section></div>", 1000)), std::nullopt);
}

TEST(PrefilterHtmlTest, CountsEndTagsTheTreeBuilderIgnores) {
  // "</span>" cannot close a span with a div open inside it, "</x>" closes
  // nothing, and "</div>" cannot reach past a table.
  for (absl::string_view unit :
       {"<span><div></span></div>", "<div></x>", "<div><table></div></table>"}) {
    const std::string out = Prefilter(Repeat(unit, 100), 10);
    EXPECT_NE(out.find("<!---->"), std::string::npos) << unit;
  }
}

TEST(PrefilterHtmlTest, FollowsTheTokenizer) {
  // Tags inside comments, raw text and attribute values are not tags.
  EXPECT_EQ(PrefilterHtml(absl::StrCat("<!--", Repeat("<div>", 1000), "-->", "<script>",
                                       Repeat("<div>", 1000), "</script>", "<title>",
                                       Repeat("<div>", 1000), "</title>", "<p title='",
                                       Repeat("<div>", 1000), "'>")),
            std::nullopt);
  // Comments end at "-->", "--!>", and at once in "<!-->".
  EXPECT_NE(PrefilterHtml(absl::StrCat("<!-->", Repeat("<div>", 300))), std::nullopt);
  EXPECT_NE(PrefilterHtml(absl::StrCat("<!-- --!>", Repeat("<div>", 300))), std::nullopt);
  // A quote starts an attribute value only after '='.
  EXPECT_NE(PrefilterHtml(absl::StrCat("<p a\"b>", Repeat("<div>", 300))), std::nullopt);
  // A bogus comment ends at the first '>', even inside a tag it swallows.
  EXPECT_NE(PrefilterHtml(absl::StrCat("<!x </div>", Repeat("<div>", 300))),
            std::nullopt);
}

TEST(PrefilterHtmlTest, FollowsScriptEscapes) {
  // Inside "<!--", "<script>" hides the next "</script>" from the tokenizer.
  const std::string html =
      absl::StrCat("<script><!--<script></script>", Repeat("</div>", 300), "</script>-->",
                   "</script>", Repeat("<div>", 300));
  EXPECT_EQ(Prefilter(html), absl::StrCat("<script><!--<script></script>",
                                          Repeat("</div>", 300), "</script>--></script>",
                                          Repeat("<div>", 256), Repeat("<!---->", 44)));
}

TEST(PrefilterHtmlTest, FollowsSelect) {
  // Inside a select, <title> is ignored rather than raw text, so the divs
  // after it count; <input> closes the select.
  EXPECT_NE(PrefilterHtml(absl::StrCat("<select><title><input>", Repeat("<div>", 300))),
            std::nullopt);
  // Inside a select end tags other than </select> are ignored.
  EXPECT_NE(PrefilterHtml(Repeat("<div><select></div></select>", 300)), std::nullopt);
}

TEST(PrefilterHtmlTest, UnterminatedInput) {
  for (absl::string_view html :
       {"<div class=\"unterminated", "<", "</", "<!--", "<!", "<svg",
        "<script>never closed <div>", "<math a='", "</svg"}) {
    Prefilter(html);
  }
}

}  // namespace
}  // namespace newsdesk::ingest
