#include "ingest_service/parse/html_parser.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/parse/paragraph_cleaner.h"
#include "ingest_service/parse/parsed_article_matchers.h"

namespace newsdesk::ingest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::UTCTimeZone());
}

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

constexpr absl::string_view kNewsPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>China urges Ukraine talks as Bakhmut battle continues - Example News</title>
  <meta property="og:title" content="China urges Ukraine talks (og)">
  <meta property="article:published_time" content="2023-03-17T09:00:00+01:00">
  <meta name="author" content="Meta Author">
  <meta property="og:description" content="Beijing wants a gradual de-escalation.">
  <script type="application/ld+json">
  {"@context": "https://schema.org",
   "@graph": [
     {"@type": "WebPage", "name": "Example News"},
     {"@type": "NewsArticle",
      "headline": "UPDATE 1-China urges Ukraine talks as \"Bakhmut\" battle continues",
      "datePublished": "2023-03-17T08:15:00Z",
      "dateModified": "2023-03-17T10:30:00Z",
      "publisher": {"@type": "Organization", "name": "Example News"},
      "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}]}
   ]}
  </script>
  <style>p { color: red; }</style>
</head>
<body class="has-ads">
  <header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav></header>
  <main>
    <article class="story">
      <header>
        <h1>China urges Ukraine talks as Bakhmut battle continues</h1>
        <p class="byline">By Jane Doe and John Roe</p>
        <time datetime="2023-03-17T08:15:00Z">March 17, 2023</time>
      </header>
      <div class="share-tools"><a href="#">Share</a><a href="#">Tweet</a></div>
      <p class="standfirst">Beijing wants a gradual de-escalation.</p>
      <p>Chinese officials are urging Ukraine &amp; Russia to agree to a gradual
         de-escalation.</p>
      <figure>
        <img src="xi.jpg" alt="Xi Jinping at a desk">
        <figcaption>Xi Jinping in Beijing. Photo: Ng Han Guan/AP</figcaption>
      </figure>
      <p>China wants Russia and Ukraine to hold <a href="/talks">peace talks</a>, senior
         diplomat Qin&nbsp;Gang told his Ukrainian counterpart.</p>
      <div class="ad-slot">Advertisement</div>
      <h2>Key points</h2>
      <ul>
        <li>China calls for a ceasefire</li>
        <li>Fighting continues in Bakhmut</li>
      </ul>
      <blockquote><p>&ldquo;China hopes all parties will remain calm,&rdquo; Qin said.</p></blockquote>
      <script>document.write("<p>Injected</p>");</script>
      <aside class="related"><h3>Related</h3><p>Another story</p></aside>
      <form><p>Sign up</p></form>
      <div id="comments"><p>First comment!</p></div>
      <div class="newsletter-promo"><p>Get our newsletter</p></div>
      <p>Share this article</p>
    </article>
  </main>
  <footer><p>Copyright Example News</p></footer>
</body>
</html>)html";

TEST(HtmlParserTest, ParsesNewsArticlePage) {
  const ParsedArticle article = HtmlParser().Parse(kNewsPage);
  EXPECT_EQ(article.title, "China urges Ukraine talks as \"Bakhmut\" battle continues");
  EXPECT_EQ(article.publish_time.time, Utc(2023, 3, 17, 8, 15));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kMinute);
  EXPECT_EQ(article.publish_time.source, TimeSource::kHtmlMetadata);
  EXPECT_EQ(article.publish_time.evidence, "2023-03-17T08:15:00Z");
  EXPECT_TRUE(article.publish_time.time_zone_known);
  EXPECT_EQ(article.publish_time.provenance, "json-ld datePublished");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kStructuredMetadataConfidence);
  EXPECT_EQ(article.update_time.time, Utc(2023, 3, 17, 10, 30));
  EXPECT_EQ(article.update_time.provenance, "json-ld dateModified");
  EXPECT_EQ(article.update_time.source, TimeSource::kHtmlMetadata);
  EXPECT_THAT(article.title_labels, ElementsAre("UPDATE 1"));
  EXPECT_EQ(article.byline, "Jane Doe, John Roe");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe", "John Roe"));
  EXPECT_EQ(article.outlet, "Example News");
  // The description is the standfirst and is not repeated in the body.
  EXPECT_EQ(article.standfirst, "Beijing wants a gradual de-escalation.");
  EXPECT_THAT(
      article.paragraphs,
      ElementsAre("Chinese officials are urging Ukraine & Russia to agree to a gradual "
                  "de-escalation.",
                  "China wants Russia and Ukraine to hold peace talks, senior diplomat "
                  "Qin Gang told his Ukrainian counterpart.",
                  "\u201C"
                  "China hopes all parties will remain calm,\u201D Qin said."));
  EXPECT_THAT(article.key_points, ElementsAre("China calls for a ceasefire",
                                              "Fighting continues in Bakhmut"));
  EXPECT_THAT(
      article.removed_blocks,
      ElementsAre(RemovedBlockIs(RemovedBlockKind::kCaption, "Xi Jinping in Beijing."),
                  RemovedBlockIs(RemovedBlockKind::kCredit, "Photo: Ng Han Guan/AP"),
                  RemovedBlockIs(RemovedBlockKind::kHeading, "Key points"),
                  RemovedBlockIs(RemovedBlockKind::kShareTail, "Share this article")));
}

TEST(HtmlParserTest, TitleFallsBackInOrder) {
  const std::string head = R"(<title>Page title | Example</title>)";
  const std::string body =
      R"(<body><article><h1>Article h1</h1><p>Body.</p></article></body>)";
  EXPECT_EQ(HtmlParser()
                .Parse(absl::StrCat("<html><head>", head,
                                    R"(<meta property="og:title" content="OG title">)",
                                    "</head>", body))
                .title,
            "OG title");
  EXPECT_EQ(HtmlParser().Parse(absl::StrCat("<html><head>", head, "</head>", body)).title,
            "Article h1");
  EXPECT_EQ(
      HtmlParser()
          .Parse(absl::StrCat("<html><head>", head, "</head><body><p>Body.</p></body>"))
          .title,
      "Page title");
}

TEST(HtmlParserTest, PageWithOnlyTitleAndParagraphs) {
  const ParsedArticle article = HtmlParser().Parse(
      "<title>Xi calls Zelensky \u2013 World News</title>"
      "<p>Chinese President Xi Jinping spoke by phone with Volodymyr Zelensky.</p>"
      "<p>It was the first known call between the two leaders.</p>");
  EXPECT_EQ(article.title, "Xi calls Zelensky");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.byline, "");
  EXPECT_THAT(
      article.paragraphs,
      ElementsAre("Chinese President Xi Jinping spoke by phone with Volodymyr Zelensky.",
                  "It was the first known call between the two leaders."));
}

TEST(HtmlParserTest, KeepsLongTitleSuffix) {
  EXPECT_EQ(HtmlParser()
                .Parse("<title>Talks - a long look at what China and Russia "
                       "want from the war</title><p>x</p>")
                .title,
            "Talks - a long look at what China and Russia want from the war");
}

TEST(HtmlParserTest, ReadsPublishTimeFallbacks) {
  ParsedArticle article = HtmlParser().Parse(
      R"(<html><head><meta name="pubdate" content="2023-04-26"></head><body><p>x</p></body></html>)");
  EXPECT_EQ(article.publish_time.time, Utc(2023, 4, 26));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kDay);
  EXPECT_EQ(article.publish_time.source, TimeSource::kHtmlMetadata);

  article = HtmlParser().Parse(
      R"(<article><time datetime="2023-04-26T14:32:00+02:00">Wed</time><p>x</p></article>)");
  EXPECT_EQ(article.publish_time.time, Utc(2023, 4, 26, 12, 32));
  EXPECT_EQ(article.publish_time.evidence, "2023-04-26T14:32:00+02:00");
  EXPECT_EQ(article.publish_time.provenance, "time datetime");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kTimeElementConfidence);

  article = HtmlParser().Parse(
      R"(<meta property="article:modified_time" content="2023-04-27T08:00:00Z">)"
      R"(<meta property="og:site_name" content="Example"><p>x</p>)");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.update_time.time, Utc(2023, 4, 27, 8, 0));
  EXPECT_EQ(article.update_time.provenance, "meta article:modified_time");
  EXPECT_EQ(article.outlet, "Example");

  // Unreadable metadata is skipped; a date line in the body is the last resort.
  article = HtmlParser().Parse(
      R"(<meta property="article:published_time" content="soon"><article>)"
      R"(<p>March 17, 2023</p><p>By Jane Doe</p><p>Body text.</p></article>)");
  EXPECT_EQ(article.publish_time.time, Utc(2023, 3, 17));
  EXPECT_EQ(article.publish_time.source, TimeSource::kText);
  EXPECT_EQ(article.publish_time.provenance, "block 1");
  EXPECT_EQ(article.byline, "Jane Doe");
  EXPECT_THAT(article.paragraphs, ElementsAre("Body text."));
}

TEST(HtmlParserTest, ReadsMetaAuthor) {
  const ParsedArticle article =
      HtmlParser().Parse(R"(<meta name="author" content=" Jane  Doe "><p>Body.</p>)");
  EXPECT_EQ(article.byline, "Jane Doe");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe"));
}

TEST(HtmlParserTest, UsesMainWithoutArticle) {
  const ParsedArticle article = HtmlParser().Parse(
      "<body><div><p>Menu text that is long enough to matter here and there.</p></div>"
      "<main><p>Main one.</p><p>Main two.</p></main></body>");
  EXPECT_THAT(article.paragraphs, ElementsAre("Main one.", "Main two."));
}

TEST(HtmlParserTest, PicksElementWithMostParagraphText) {
  const ParsedArticle article = HtmlParser().Parse(
      "<body><div id='sidebar'><p>Short.</p></div>"
      "<div id='story'><p>The first paragraph of the story is here.</p>"
      "<p>The second paragraph of the story is here.</p></div></body>");
  EXPECT_THAT(article.paragraphs,
              ElementsAre("The first paragraph of the story is here.",
                          "The second paragraph of the story is here."));
}

TEST(HtmlParserTest, FallsBackWhenClassNamesHideEverything) {
  const ParsedArticle article = HtmlParser().Parse(
      "<body><div class='page has-ads'><div><p>Only text.</p></div></div></body>");
  EXPECT_THAT(article.paragraphs, ElementsAre("Only text."));
}

TEST(HtmlParserTest, ArticleWithMostTextWins) {
  const ParsedArticle article = HtmlParser().Parse(
      "<article><p>Teaser.</p></article>"
      "<article><p>The real story has the most text.</p><p>And more of "
      "it.</p></article>");
  EXPECT_THAT(article.paragraphs,
              ElementsAre("The real story has the most text.", "And more of it."));
}

TEST(HtmlParserTest, EmptyAndGarbageInput) {
  for (absl::string_view html :
       {"", "<", "<<<>>>", "<html>", "<script>", "<!--", "<p", "</p></p></div>",
        "\xEF\xBB\xBF<p>\x01\x02</p>", "<svg><p>x</svg>", "<table><p>x</table>"}) {
    const ParsedArticle article = HtmlParser().Parse(html);
    EXPECT_FALSE(article.publish_time.known()) << html;
  }
}

TEST(HtmlParserTest, MalformedForeignContentDoesNotAbort) {
  // Gumbo 0.10.1 fails an assertion on these when they reach it unfiltered.
  EXPECT_THAT(HtmlParser().Parse("<table><svg><select><title><select><table>").paragraphs,
              IsEmpty());
  EXPECT_THAT(HtmlParser()
                  .Parse("<table><math><select><mi><select><table><p>Text.</p>")
                  .paragraphs,
              ElementsAre("Text."));
}

TEST(HtmlParserTest, DeeplyNestedDivsDoNotCrash) {
  const std::string html =
      absl::StrCat("<html><body>", Repeat("<div>", 100000), "<p>Deep text.</p>",
                   Repeat("</div>", 100000), "</body></html>");
  const ParsedArticle article = HtmlParser().Parse(html);
  EXPECT_THAT(article.paragraphs, ElementsAre("Deep text."));
}

TEST(HtmlParserTest, SurvivesPathologicalNesting) {
  std::string html = "<body>";
  for (int i = 0; i < 20000; ++i) {
    absl::StrAppend(&html, "<b id=", i, "><a href=", i, "><div><i id=", i, "></div>");
  }
  absl::StrAppend(&html, Repeat("<p>x", 20000), Repeat("<table><tr><td>", 20000),
                  Repeat("<ul><li>", 20000), "<p>End.</p>");
  const ParsedArticle article = HtmlParser().Parse(html);
  EXPECT_THAT(article.paragraphs, Not(IsEmpty()));
}

TEST(HtmlParserTest, UnclosedFormattingKeepsText) {
  const ParsedArticle article = HtmlParser().Parse(absl::StrCat(
      "<article>", Repeat("<b>", 1000), "<p>Bold text.</p>", "<p>More.</p></article>"));
  EXPECT_THAT(article.paragraphs, Contains(HasSubstr("Bold text.")));
}

}  // namespace
}  // namespace newsdesk::ingest
