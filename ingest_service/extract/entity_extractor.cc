#include "ingest_service/extract/entity_extractor.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/entities/entity_id.h"
#include "common/entities/name_key.h"
#include "common/entities/package_version.h"
#include "glog/logging.h"
#include "ingest_service/extract/article_segments.h"
#include "ingest_service/extract/tokenizer.h"

namespace newsdesk::ingest {

using ::newsdesk::entities::EntityLexicon;
using ::newsdesk::entities::EntityRecord;

namespace {

// What the rules know about a word (or, for titles and headings, a phrase),
// keyed by its NameKey.
enum WordClass : uint32_t {
  kFunctionWord = 1 << 0,      // the, in, although: never a name by itself
  kCommonWord = 1 << 1,        // a lower-case word of the word list
  kCalendar = 1 << 2,          // weekdays and months
  kTitle = 1 << 3,             // titles and roles before a name: "President"
  kSpeechVerb = 1 << 4,        // "said": the name beside it is a person
  kPlacePreposition = 1 << 5,  // "in": a place may follow
  kParticle = 1 << 6,          // lower-case parts of names: "von", "al"
  kOrgSuffix = 1 << 7,         // "... Ministry": an organisation
  kOrgHead = 1 << 8,           // "University of ...": an organisation
  kLocationSuffix = 1 << 9,    // "... Sea": a location
  kLocationHead = 1 << 10,     // "Gulf of ...": a location
  kHeading = 1 << 11,          // page furniture: "Key Points", "Share"
  kCompanySuffix = 1 << 12,    // "Plc", "Inc": part of a company's name
  kTitleStart = 1 << 13,       // first word of a title: "prime" of "prime minister"
  kSport = 1 << 14,            // a team sport, as a slug opens its stories: "SOCCER -"
  kOrgBefore = 1 << 15,        // "giant Pirelli", "club Ajax": an organisation follows
  kOrgAfter = 1 << 16,         // "Pirelli shares", "Ruch spokesman": one precedes
  kProperName = 1 << 17,       // listed capitalised in the word list: "Tony", "Boston"
  kNoName = 1 << 18,           // abbreviations that name nothing: "GMT", "GDP"
};

// Built-in word lists. Words are separated by spaces; the words of a phrase
// are joined by '_'.
struct WordList {
  uint32_t word_class;
  const char* words;
};
constexpr WordList kWordLists[] = {
    {kFunctionWord,
     "a an the this that these those there here it its he she they we i you me him "
     "her his hers their theirs our ours my your them us who whom whose which what "
     "when where why how whether if then than so and or nor but yet also although "
     "though because since while whereas unless until after before during despite "
     "amid amidst among against about above below under over between without "
     "within through across around near outside inside into onto upon toward "
     "towards from to of in on at by for with as per via be is are was were been "
     "being has have had do does did will would can could should shall may might "
     "must not no yes all any some many most more much few each every both either "
     "neither other another such same own only just even still now today yesterday "
     "tomorrow tonight however meanwhile moreover furthermore nevertheless instead "
     "otherwise therefore thus hence indeed perhaps maybe already again ago "
     "according earlier later once one two three four five six seven eight nine ten "
     "first second third last next new latest several let please"},
    {kCalendar,
     "monday tuesday wednesday thursday friday saturday sunday january february "
     "march april june july august september october november december jan feb mar "
     "apr jun jul aug sep sept oct nov dec"},
    {kTitle,
     "mr mrs ms miss mx dr prof professor sir dame lord lady president premier "
     "chancellor king queen prince princess pope emperor sheikh emir sultan "
     "ayatollah senator sen rep congressman congresswoman governor gov mayor "
     "general gen colonel col lieutenant lt captain capt major maj sergeant sgt "
     "admiral adm commander cmdr minister secretary ambassador envoy judge justice "
     "chairman chairwoman chair director spokesman spokeswoman spokesperson leader "
     "chief head diplomat counterpart adviser advisor aide guard official officer "
     "soldier analyst correspondent reporter photographer editor columnist coach "
     "manager striker midfielder defender goalkeeper ceo founder executive economist "
     "scientist researcher lawyer attorney prosecutor doctor activist candidate "
     "deputy commissioner rabbi imam bishop archbishop cardinal reverend rev "
     "prime_minister foreign_minister defence_minister defense_minister "
     "finance_minister interior_minister foreign_affairs_minister foreign_secretary "
     "home_secretary defence_secretary defense_secretary secretary_of_state "
     "secretary_general vice_president deputy_prime_minister chief_executive "
     "crown_prince first_lady supreme_leader national_security_adviser "
     "border_guard state_councillor opposition_leader president_elect"},
    {kSpeechVerb,
     "said says told tells added wrote tweeted stated explained insisted argued "
     "noted recalled replied"},
    {kPlacePreposition,
     "in near outside inside across into toward towards around throughout"},
    {kParticle,
     "von van der den de del della di da du dos das la le bin bint ibn al el ben abu "
     "ter ten"},
    {kOrgSuffix,
     "ministry agency council party group brigade bank university corp corporation "
     "inc ltd llc plc organization organisation committee commission army forces "
     "force institute association union federation foundation fund company "
     "department office service authority court parliament assembly senate "
     "congress police navy division battalion regiment movement league club fc "
     "airlines airways bureau board trust alliance coalition network news times "
     "post press media tribunal school college academy hospital church front guard "
     "command corps cabinet government museum newsroom brothers associates partners "
     "holdings industries international securities capital daily treasury exchange"},
    {kCompanySuffix, "plc inc ltd llc corp co sa ag nv gmbh"},
    {kOrgBefore,
     "company companies firm group giant maker manufacturer producer carrier airline "
     "insurer bank lender retailer distributor chain brokerage broker subsidiary "
     "unit rival conglomerate consortium operator newspaper daily weekly magazine "
     "agency broadcaster network club side team champions"},
    {kOrgAfter,
     "shares stock shareholders subsidiary subsidiaries spokesman spokeswoman "
     "spokesperson executives officials management chairman president ceo "
     "board unit plant plants factory products profit profits revenue revenues "
     "sales earnings"},
    {kOrgHead,
     "ministry department university bank institute academy school college office "
     "bureau council court commission committee house church museum federation "
     "union association league order"},
    {kLocationSuffix,
     "city province region oblast county district island islands sea ocean river "
     "lake bay gulf strait peninsula valley mountains mountain hills desert coast "
     "canal airport port bridge square street avenue road park prefecture "
     "governorate territory territories plateau heights basin delta harbour harbor"},
    {kLocationHead,
     "gulf bay sea lake isle island islands cape strait mount city port province "
     "republic kingdom"},
    {kSport,
     "soccer football cricket rugby rugby_union rugby_league baseball basketball "
     "hockey ice_hockey field_hockey nhl nba nfl mlb american_football "
     "australian_rules handball volleyball water_polo netball"},
    {kNoName,
     "gmt utc est edt cst cdt mst mdt pst pdt bst cet cest gdp gnp cpi ppi era "
     "ipo faq tv pc am pm"},
    {kHeading,
     "key_points share top_stories read_more related related_articles "
     "related_stories advertisement breaking breaking_news live watch listen "
     "subscribe sign_up most_read more comments newsletter photo video updated"},
};

// The entries of a word list file, one word a line: lower-case ones are
// common words, capitalised ones ("Tony", "Aberdeen") proper names; lines
// with apostrophes (possessives) or other capitals are neither. False when
// there is no list to read.
bool AddCommonWords(const std::string& path,
                    absl::flat_hash_map<std::string, uint32_t>* classes) {
  if (path.empty()) return false;
  std::ifstream in(path);
  if (!in) {
    LOG(WARNING) << "No common-word list at " << path
                 << "; sentence-initial words are judged by built-in rules only"
                 << " (install Debian's wamerican)";
    return false;
  }
  int added = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || !std::all_of(line.begin() + 1, line.end(),
                                     [](char c) { return c >= 'a' && c <= 'z'; })) {
      continue;
    }
    if (line[0] >= 'a' && line[0] <= 'z') {
      (*classes)[entities::NameKey(line)] |= kCommonWord;
      ++added;
    } else if (line[0] >= 'A' && line[0] <= 'Z') {
      (*classes)[entities::NameKey(line)] |= kProperName;
    }
  }
  LOG(INFO) << "Entity extractor: " << added << " common words from " << path;
  return true;
}

// A mention of a name: linked (record set) or not yet known. A descriptor
// ("the Chinese president") names no one by itself: it stands for the one
// person the article gives that role, if there is exactly one.
struct Mention {
  const EntityRecord* record = nullptr;
  std::string key;            // NameKey of the surface; of the role for a descriptor
  absl::string_view surface;  // the name as written, without title or possessive
  uint32_t signals = 0;       // Signal bits
  int words = 0;
  TextSection section = TextSection::kUnspecified;
  int index = 0;  // of the text in its section
  int begin = 0;  // byte offsets of surface in that text
  int end = 0;
  absl::string_view role;                // the title before the name, as written
  const EntityRecord* role_of = nullptr;  // "Chinese" President: China
  bool descriptor = false;                // role_of and key say which role
};

// Evidence about a mention, from its shape and its neighbours.
enum Signal : uint32_t {
  kTitleCaseLine = 1 << 0,    // in a heading where every word is capitalised
  kAtSentenceStart = 1 << 1,  // first word of a sentence
  kAfterTitle = 1 << 2,       // "President X", "spokesman X"
  kBesideSpeech = 1 << 3,     // "X said", "said X,"
  kAfterPlaceWord = 1 << 4,   // "in X"
  kOrgShape = 1 << 5,         // "X Ministry", "University of X"
  kLocationShape = 1 << 6,    // "X Sea", "Gulf of X"
  kAcronym = 1 << 7,          // "EPA"
  kAllCommon = 1 << 8,        // every word a common or function word
  kNameShape = 1 << 9,        // several capitalised words, none common
  kWeakLink = 1 << 10,        // an organisation named by a common word that
                              // opens a sentence: "Shell", "Apple"
  kDateline = 1 << 11,        // the place of a wire dateline: "BONN 1996-08-22",
                              // "SALVADOR, Feb 26 -", "KHARTOUM (Reuters) -"
  kAtVenue = 1 << 12,         // "in X", "at X", "near X": a place, never a team
  kWordNetPerson = 1 << 13,   // WordNet names an instance of a person so
  kWordNetPlace = 1 << 14,    // ... of a location
  kWordNetOrg = 1 << 15,      // ... an organisation
  kBesideScore = 1 << 16,     // a team of a sports story: "Leeds 2", "Hansa Rostock"
  kDescription = 1 << 17,     // WordNet: a kind of people, an adjective ("Kurds")
  kOrgContext = 1 << 18,      // "giant Pirelli", "Ruch's shares", "Pirelli spokesman"
};
constexpr uint32_t kWordNetAny = kWordNetPerson | kWordNetPlace | kWordNetOrg;

// Whether one mention is evidence enough for a name outside the lexicon.
bool IsCredible(const Mention& mention) {
  const uint32_t s = mention.signals;
  if (s & kDateline) return true;
  if (s & kTitleCaseLine) return false;
  if (mention.words == 1) {
    // A common word is a name only after a title ("President Bush"), or
    // when WordNet names it: capitalised inside a sentence ("Surrey"), or
    // a team before its score ("Cologne 0 Hansa Rostock 2").
    if (s & kAllCommon) {
      if (s & kAtSentenceStart) return (s & kWordNetAny) && (s & kBesideScore);
      return (s & (kAfterTitle | kWordNetAny)) != 0;
    }
    // Any capitalised word opens a sentence: there only WordNet or a score
    // makes it a name. Inside a sentence a cue that types it does; one
    // plain mention may be a typo ("Mosco").
    if (s & kAtSentenceStart) return (s & (kWordNetAny | kBesideScore)) != 0;
    return (s & (kAfterTitle | kBesideSpeech | kAfterPlaceWord | kAcronym | kWordNetAny |
                 kOrgContext | kBesideScore | kLocationShape)) != 0;
  }
  if (s & kAllCommon) return (s & (kOrgShape | kLocationShape | kAfterTitle)) != 0;
  return true;
}

// The type the strongest signal of a local name's mentions gives it.
EntityType TypeFromSignals(uint32_t s) {
  if (s & kDateline) return EntityType::kLocation;
  if (s & kOrgShape) return EntityType::kOrganization;
  if (s & kLocationShape) return EntityType::kLocation;
  if (s & kOrgContext) return EntityType::kOrganization;
  if ((s & kAcronym) && !(s & kAfterTitle)) return EntityType::kOrganization;  // "NCB said"
  if (s & (kAfterTitle | kBesideSpeech)) return EntityType::kPerson;
  if ((s & kDescription) && !(s & kWordNetAny)) return EntityType::kMisc;
  if (s & kBesideScore) return EntityType::kOrganization;
  switch (s & kWordNetAny) {  // WordNet's type, when it gives only one
    case kWordNetPerson:
      return EntityType::kPerson;
    case kWordNetPlace:
      return EntityType::kLocation;
    case kWordNetOrg:
      return EntityType::kOrganization;
    case kWordNetPlace | kWordNetPerson:  // "Kent": a county before a painter
      return EntityType::kLocation;
  }
  if (s & kAcronym) return EntityType::kOrganization;
  if (s & kAfterPlaceWord) return EntityType::kLocation;
  if (s & kNameShape) return EntityType::kPerson;
  return EntityType::kMisc;
}

// "Mr", "Ms": titles that are no role.
bool IsHonorific(absl::string_view title) {
  const std::string key = entities::NameKey(title);
  return key == "mr" || key == "mrs" || key == "ms" || key == "miss" || key == "mx";
}

// The confidence of a local entity (see RuleEntityExtractor).
double LocalConfidence(uint32_t signals, int mention_count) {
  double confidence = 0.5;
  if (signals & (kAfterTitle | kBesideSpeech | kOrgShape | kLocationShape)) {
    confidence += 0.2;
  }
  if (signals & kNameShape) confidence += 0.1;
  if (mention_count >= 2) confidence += 0.1;
  return std::min(confidence, 0.9);
}

// True when the words of `part` appear, in order and together, in `whole`.
bool IsWordRun(absl::string_view part, absl::string_view whole) {
  if (part.size() >= whole.size()) return false;
  for (size_t at = whole.find(part); at != absl::string_view::npos;
       at = whole.find(part, at + 1)) {
    const size_t end = at + part.size();
    if ((at == 0 || whole[at - 1] == ' ') && (end == whole.size() || whole[end] == ' ')) {
      return true;
    }
  }
  return false;
}

}  // namespace

// The state of one Extract call: the mentions found segment by segment,
// then resolved into entities.
class RuleEntityExtractor::Scan {
 public:
  explicit Scan(const RuleEntityExtractor& extractor)
      : extractor_(extractor), lexicon_(*extractor.lexicon_) {}

  void AddSegment(absl::string_view text, TextSection section, int index);
  std::vector<ArticleEntity> Finish() &&;

 private:
  struct LexiconMatch {
    int words = 0;
    const EntityRecord* record = nullptr;
    const EntityRecord* demonym = nullptr;
  };

  int size() const { return static_cast<int>(tokens_.size()); }
  absl::string_view Key(int i) const {
    const size_t begin = i == 0 ? 0 : key_ends_[i - 1];
    return absl::string_view(keys_).substr(begin, key_ends_[i] - begin);
  }
  uint32_t Class(int i) const { return extractor_.ClassOf(Key(i)); }
  bool Capitalised(int i) const { return i < size() && tokens_[i].Has(kCapitalised); }
  // The keys of tokens [begin, end) joined by spaces, into *out.
  void JoinKeys(int begin, int end, std::string* out) const;
  absl::string_view Surface(int begin, int end) const;

  bool IsTitleCase(absl::string_view text) const;
  // The number of words of the place that opens a wire dateline, 0 if the
  // segment does not open with one; *date gets the index of its date, after
  // the place and its region ("ROCHESTER, N.H. 1996-08-30").
  int DatelineWords(absl::string_view text, int* date) const;
  // Whether the segment opens with a team sport's slug: "SOCCER -",
  // "Cricket:".
  bool OpensWithSportSlug(absl::string_view text) const;
  // In a line written in capitals, capitals tell nothing: only names the
  // lexicon knows and words that are no common words stay capitalised, and
  // no word counts as an acronym.
  void ReadCapitalsLine();
  // The signals that the words around tokens [begin, end) give any name
  // there: a venue ("in", "at"), the dateline and, in a team sport's story,
  // a team's place in results (before a score, a side of a fixture).
  uint32_t ContextSignals(int begin, int end);
  bool StartsName(int i) const;
  // A capitalised word the word list gives as a proper name and that neither
  // WordNet nor the lexicon knows as a place or organisation, before another
  // capitalised word: "Tony" of "Tony Clark", not "Boston" of "Boston Globe".
  bool IsGivenName(int i);
  // "C.": a capital and a dot.
  bool IsInitial(int i) const {
    return tokens_[i].text.size() == 2 && tokens_[i].text[1] == '.';
  }
  LexiconMatch LongestMatch(int i);
  int TitleAt(int i);
  bool StartsUnknownName(int i);
  int ExtendUnknown(int i);
  void AddLinked(int begin, int end, const EntityRecord* record);
  void AddUnknown(int begin, int end, bool titled);
  // Fills the position fields of `mention` for tokens [begin, end).
  void Locate(int begin, int end, Mention* mention) const;
  // Notes the title of `words` words at i, which a name follows.
  void NoteTitle(int i, int words);
  // Attaches the title noted before token `begin` to `mention`.
  void TakeRole(int begin, Mention* mention) const;
  // "the Chinese president" at i: adds a descriptor and returns the word
  // after it; returns i when there is none.
  int TryDescriptor(int i);

  const RuleEntityExtractor& extractor_;
  const EntityLexicon& lexicon_;
  // The segment being scanned: its words, their keys end to end in keys_,
  // and whether it is a title-case heading.
  std::vector<Token> tokens_;
  std::string keys_;
  std::vector<size_t> key_ends_;
  bool title_case_ = false;
  int dateline_words_ = 0;
  int dateline_date_ = 0;  // the index of the dateline's date
  bool sports_ = false;  // the article is a story of a team sport
  absl::string_view text_;  // the segment's text, for offsets
  TextSection section_ = TextSection::kUnspecified;
  int index_ = 0;
  // The place or organisation that ends just before token modifier_end_
  // ("Chinese", "NATO"), and the title that ends just before the name at
  // role_at_ ("President"), with what modifier it had.
  int modifier_end_ = -1;
  const EntityRecord* modifier_ = nullptr;
  int role_at_ = -1;
  absl::string_view role_;
  const EntityRecord* role_of_ = nullptr;
  std::string scratch_;            // n-gram keys under construction
  std::vector<Mention> mentions_;  // all segments, in order
};

void RuleEntityExtractor::Scan::JoinKeys(int begin, int end, std::string* out) const {
  out->clear();
  for (int k = begin; k < end; ++k) {
    if (k > begin) out->push_back(' ');
    out->append(Key(k).data(), Key(k).size());
  }
}

absl::string_view RuleEntityExtractor::Scan::Surface(int begin, int end) const {
  const char* first = tokens_[begin].text.data();
  const absl::string_view last = tokens_[end - 1].text;
  return absl::string_view(first, last.data() + last.size() - first);
}

// A heading in title case ("Key Points", "China Urges Peace Talks"): no
// sentence punctuation after the last word, and every word of four letters
// or more capitalised. Only lexicon names are trusted there.
bool RuleEntityExtractor::Scan::IsTitleCase(absl::string_view text) const {
  if (tokens_.empty()) return false;
  const absl::string_view last = tokens_.back().text;
  const absl::string_view tail = text.substr(last.data() + last.size() - text.data());
  if (tail.find_first_of(".!?") != absl::string_view::npos) return false;
  // Nor is a list: "Andre Agassi (U.S.) vs. Mauricio Hadad (Colombia)",
  // "Paul Goydos, Billy Mayfair, Hidemichi Tanaka".
  if (text.find('(') != absl::string_view::npos ||
      std::count(text.begin(), text.end(), ',') >= 2) {
    return false;
  }
  int long_words = 0;
  int numbers = 0;
  bool common = false;
  for (int i = 0; i < size(); ++i) {
    const Token& token = tokens_[i];
    // A line of results or a table row ("Cologne 0 Hansa Rostock 2") is no
    // heading.
    if (token.Has(kNumeric) && ++numbers >= 2) return false;
    if (token.Has(kNumeric) || token.text.size() < 4) continue;
    if (!token.Has(kCapitalised)) return false;
    ++long_words;
    common = common || (Class(i) & (kCommonWord | kFunctionWord | kHeading));
  }
  // A line of names only ("Michael Flach (U.S.)") is no heading.
  return long_words > 0 && common;
}

// One to three words in capitals opening the text, then a date ("BONN
// 1996-08-22", "SALVADOR, Feb 26 -") or "(Reuters)".
int RuleEntityExtractor::Scan::DatelineWords(absl::string_view text, int* date_at) const {
  int words = 0;
  while (words < size() && words < 3 && tokens_[words].Has(kAllCapitals) &&
         !tokens_[words].Has(kNumeric) && tokens_[words].text.size() >= 2) {
    ++words;
    if (!tokens_[words - 1].JoinsNext()) break;
  }
  if (words == 0 || words >= size()) return 0;
  // The state or country may follow: "ROCHESTER, N.H. 1996-08-30".
  int date = words;
  if (tokens_[words - 1].Has(kCommaAfter)) {
    while (date < size() && date < words + 3 && Capitalised(date) &&
           !(Class(date) & kCalendar)) {
      ++date;
      if (!tokens_[date - 1].JoinsNext()) break;
    }
  }
  // A date: "1996-08-22", "Feb 26"; not a score ("NEW YORK 72 53").
  if (date < size() && ((tokens_[date].Has(kNumeric) && tokens_[date].Has(kHyphenAfter)) ||
                        (Class(date) & kCalendar))) {
    *date_at = date;
    return words;
  }
  const absl::string_view last = tokens_[words - 1].text;
  const absl::string_view after = text.substr(last.data() + last.size() - text.data());
  if (!absl::StartsWith(after, " (Reuters)")) return 0;
  *date_at = words;
  return words;
}

bool RuleEntityExtractor::Scan::OpensWithSportSlug(absl::string_view text) const {
  std::string slug;
  for (int k = 0; k < size() && k < 3; ++k) {
    if (k > 0) {
      if (!tokens_[k - 1].JoinsNext()) break;
      slug.push_back(' ');
    }
    slug.append(Key(k).data(), Key(k).size());
    if (!(extractor_.ClassOf(slug) & kSport) || !tokens_[k].Has(kBreakAfter)) continue;
    const absl::string_view last = tokens_[k].text;
    absl::string_view after = text.substr(last.data() + last.size() - text.data());
    after = absl::StripLeadingAsciiWhitespace(after);
    return absl::StartsWith(after, "-") || absl::StartsWith(after, ":") ||
           absl::StartsWith(after, "\xe2\x80\x93") || absl::StartsWith(after, "\xe2\x80\x94");
  }
  return false;
}

void RuleEntityExtractor::Scan::ReadCapitalsLine() {
  int words = 0;
  for (const Token& token : tokens_) {
    if (token.Has(kNumeric)) continue;
    if (!token.Has(kAllCapitals)) return;
    if (token.text.size() >= 2) ++words;
  }
  if (words < 2) return;
  for (int i = 0; i < size();) {
    if (const LexiconMatch match = LongestMatch(i); match.words > 0) {
      i += match.words;
      continue;
    }
    tokens_[i].flags &= ~kAllCapitals;
    if (Class(i) & (kCommonWord | kFunctionWord | kCalendar | kHeading | kSport)) {
      tokens_[i].flags &= ~kCapitalised;
    }
    ++i;
  }
}

bool RuleEntityExtractor::Scan::IsGivenName(int i) {
  if (!(Class(i) & kProperName) || !Capitalised(i + 1) || !tokens_[i].JoinsNext()) {
    return false;
  }
  // "Frank" is a given name (Anne Frank) and a people; "Christian" only a
  // description.
  const uint8_t wordnet = extractor_.wordnet_.Lookup(Key(i));
  if ((wordnet & (WordNetNames::kLocation | WordNetNames::kOrganization)) ||
      wordnet == WordNetNames::kDescription) {
    return false;
  }
  return LongestMatch(i).words != 1;
}

uint32_t RuleEntityExtractor::Scan::ContextSignals(int begin, int end) {
  uint32_t s = 0;
  if (begin > 0) {
    const Token& before = tokens_[begin - 1];
    const absl::string_view key = Key(begin - 1);
    if (before.JoinsNext() && (!before.Has(kCapitalised) || before.Has(kSentenceStart)) &&
        ((Class(begin - 1) & kPlacePreposition) || key == "at")) {
      s |= kAtVenue;
    }
  } else if (end < size() && tokens_[end - 1].Has(kBreakAfter)) {
    // A line that opens with a place and a colon names where it happened:
    // "Leicester: Leicestershire beat Somerset".
    const absl::string_view last = tokens_[end - 1].text;
    const absl::string_view after = text_.substr(last.data() + last.size() - text_.data());
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(after), ":")) s |= kAtVenue;
  }
  if (dateline_words_ > 0 && ((begin == 0 && end == dateline_words_) ||
                              (begin >= dateline_words_ && end <= dateline_date_))) {
    s |= kDateline;  // the place, or its region: "COMMACK, New York 1996-08-24"
  }
  if (!sports_) return s;
  // A name right before a score, opening a line or after punctuation, is a
  // team ("Leeds 2, Chelsea 1", "PSV Eindhoven 4 3 1 0"), and so is one word
  // after another score ("Leeds 2 Chelsea 1"); not a bowler ("b Gough 33",
  // "Croft 4-50"), a scorer ("Niall Quinn (11th)"), a golfer ("292 Iain
  // Pyman 71 75") nor a player named with a given name or an initial
  // ("Walter Little 2", "C. Lewis 80").
  const bool one_word = end - begin == 1;
  const bool opens_item = begin == 0 || tokens_[begin - 1].Has(kBreakAfter) ||
                          (one_word && tokens_[begin - 1].Has(kNumeric));
  const bool player = !one_word && (IsGivenName(begin) || IsInitial(begin));
  if (opens_item && !player && end < size() && tokens_[end - 1].JoinsNext() &&
      tokens_[end].Has(kNumeric) && !tokens_[end].Has(kHyphenAfter)) {
    s |= kBesideScore;
  }
  // So is a side of a fixture: "Walsall v Wrexham".
  if ((begin > 0 && tokens_[begin - 1].JoinsNext() &&
       (Key(begin - 1) == "v" || Key(begin - 1) == "vs")) ||
      (end < size() && tokens_[end - 1].JoinsNext() && (Key(end) == "v" || Key(end) == "vs"))) {
    s |= kBesideScore;
  }
  // So is a name that ends with a town: "Hansa Rostock", "Ajax Amsterdam".
  if (end - begin > 1 && !player &&
      (extractor_.wordnet_.Lookup(Key(end - 1)) & WordNetNames::kLocation)) {
    s |= kBesideScore;
  }
  return s;
}

// Capitalised words, ordinals before one ("80th Air Assault Brigade") and
// particles before one ("von der Leyen") may start a name.
bool RuleEntityExtractor::Scan::StartsName(int i) const {
  const Token& token = tokens_[i];
  if (token.Has(kCapitalised)) return true;
  if (!token.JoinsNext()) return false;
  if (token.Has(kNumeric)) return Capitalised(i + 1);
  if (!(Class(i) & kParticle)) return false;
  // One or two particles, then a capitalised word.
  return Capitalised(i + 1) || (i + 1 < size() && tokens_[i + 1].JoinsNext() &&
                                (Class(i + 1) & kParticle) && Capitalised(i + 2));
}

RuleEntityExtractor::Scan::LexiconMatch RuleEntityExtractor::Scan::LongestMatch(int i) {
  LexiconMatch best;
  bool capitals = true;
  scratch_.clear();
  const int limit = std::min(size(), i + lexicon_.max_key_words());
  for (int k = i; k < limit; ++k) {
    // Names run across possessives ("People's Republic"), not punctuation.
    if (k > i && tokens_[k - 1].Has(kBreakAfter)) break;
    if (k > i) scratch_.push_back(' ');
    scratch_.append(Key(k).data(), Key(k).size());
    capitals = capitals && tokens_[k].Has(kAllCapitals);
    const EntityLexicon::KeyMatch match = lexicon_.MatchKey(scratch_, capitals);
    if (match.record != nullptr || match.demonym != nullptr) {
      best = {k - i + 1, match.record, match.demonym};
    }
    if (!match.extends) break;
  }
  return best;
}

// The number of words of the longest title or role phrase at i, 0 if none.
int RuleEntityExtractor::Scan::TitleAt(int i) {
  int best = 0;
  scratch_.clear();
  for (int k = i; k < size() && k < i + 4; ++k) {
    if (k > i) {
      if (!tokens_[k - 1].JoinsNext()) break;
      scratch_.push_back(' ');
    }
    scratch_.append(Key(k).data(), Key(k).size());
    if (extractor_.ClassOf(scratch_) & kTitle) best = k - i + 1;
  }
  return best;
}

// A capitalised word that is neither known nor a title, calendar or function
// word: the start of a name outside the lexicon.
bool RuleEntityExtractor::Scan::StartsUnknownName(int i) {
  if (!Capitalised(i) || (Class(i) & (kCalendar | kFunctionWord | kTitle))) return false;
  const LexiconMatch match = LongestMatch(i);
  return match.record == nullptr && match.demonym == nullptr && TitleAt(i) == 0;
}

// The end of the name outside the lexicon that starts at i: capitalised
// words, with particles between them ("Ali al-Ahmad") and "of" (or "of the")
// after a head word ("Ministry of Agrarian Policy"). After such a link a
// known name may close it: "Bank of China".
int RuleEntityExtractor::Scan::ExtendUnknown(int i) {
  auto is_link = [&](int k) {
    if (k <= i) return false;
    if (Class(k) & kParticle) return true;
    if (Key(k) == "of") return (Class(k - 1) & (kOrgHead | kLocationHead)) != 0;
    return Key(k) == "the" && Key(k - 1) == "of";
  };
  int j = i + 1;
  while (j < size() && tokens_[j - 1].JoinsNext()) {
    if (Capitalised(j)) {
      if (Class(j) & kCalendar) break;
      if (!StartsUnknownName(j)) {
        // A known name ends the unknown one, even one spelled like a
        // function word ("U.S."); a capitalised function word does not.
        const LexiconMatch match = LongestMatch(j);
        if (match.record != nullptr || !(Class(j) & kFunctionWord)) {
          if (match.record != nullptr && is_link(j - 1)) j += match.words;
          break;
        }
      }
      ++j;
      continue;
    }
    int k = j;
    while (k < size() && k - j < 2 && is_link(k) && tokens_[k].JoinsNext()) ++k;
    if (k == j || !Capitalised(k)) break;
    j = k;
  }
  return j;
}

void RuleEntityExtractor::Scan::Locate(int begin, int end, Mention* mention) const {
  mention->section = section_;
  mention->index = index_;
  mention->begin = static_cast<int>(mention->surface.data() - text_.data());
  mention->end = mention->begin + static_cast<int>(mention->surface.size());
  TakeRole(begin, mention);
}

void RuleEntityExtractor::Scan::NoteTitle(int i, int words) {
  role_at_ = i + words;
  role_ = Surface(i, i + words);
  role_of_ = nullptr;
  if (modifier_end_ == i && modifier_ != nullptr && i > 0 &&
      !tokens_[i - 1].Has(kBreakAfter)) {
    role_of_ = modifier_;
  }
}

void RuleEntityExtractor::Scan::TakeRole(int begin, Mention* mention) const {
  if (begin != role_at_) return;
  mention->role = role_;
  mention->role_of = role_of_;
}

int RuleEntityExtractor::Scan::TryDescriptor(int i) {
  if (Key(i) != "the" || !tokens_[i].JoinsNext() || i + 2 >= size()) return i;
  const LexiconMatch place = LongestMatch(i + 1);
  if (place.demonym == nullptr || place.record != nullptr) return i;
  const int at = i + 1 + place.words;
  if (at >= size() || !tokens_[at - 1].JoinsNext()) return i;
  const int title = TitleAt(at);
  if (title == 0) return i;
  const int end = at + title;
  // "the Chinese President Xi Jinping" is a title before a name.
  if (end < size() && tokens_[end - 1].JoinsNext() && StartsName(end)) return i;
  Mention mention;
  mention.descriptor = true;
  mention.role_of = place.demonym;
  JoinKeys(at, end, &mention.key);
  mention.surface = Surface(i + 1, end);
  mention.words = end - i - 1;
  Locate(i + 1, end, &mention);
  mentions_.push_back(std::move(mention));
  return end;
}

void RuleEntityExtractor::Scan::AddSegment(absl::string_view text, TextSection section,
                                           int index) {
  tokens_.clear();
  keys_.clear();
  key_ends_.clear();
  text_ = text;
  section_ = section;
  index_ = index;
  modifier_end_ = -1;
  modifier_ = nullptr;
  role_at_ = -1;
  Tokenize(text, &tokens_);
  for (const Token& token : tokens_) {
    entities::AppendNameKey(token.text, &keys_);
    key_ends_.push_back(keys_.size());
  }
  title_case_ = IsTitleCase(text);
  dateline_date_ = 0;
  dateline_words_ = DatelineWords(text, &dateline_date_);
  if ((section == TextSection::kTitle || (section == TextSection::kBody && index == 0)) &&
      OpensWithSportSlug(text)) {
    sports_ = true;
  }
  ReadCapitalsLine();

  int titled_at = -1;  // the word after the last title
  for (int i = 0; i < size();) {
    if (const int next = TryDescriptor(i); next > i) {
      i = next;
      continue;
    }
    if (!StartsName(i) || (Capitalised(i) && (Class(i) & kCalendar))) {
      // A lower-case title before a name: "NATO chief Jens Stoltenberg".
      if (Class(i) & kTitleStart) {
        const int title = TitleAt(i);
        if (title > 0 && i + title < size() && tokens_[i + title - 1].JoinsNext() &&
            StartsName(i + title)) {
          NoteTitle(i, title);
          i += title;
          titled_at = i;
          continue;
        }
      }
      ++i;
      continue;
    }
    const LexiconMatch match = LongestMatch(i);
    const int title = TitleAt(i);
    // A title is no part of a name, even where an alias spells it with one:
    // "President Xi Jinping" is Xi Jinping whether or not "President Xi" is
    // an alias.
    if (title > 0 && i + title < size() && tokens_[i + title - 1].JoinsNext() &&
        StartsName(i + title)) {
      const LexiconMatch rest = LongestMatch(i + title);
      if (match.record == nullptr ||
          (rest.record != nullptr && title + rest.words >= match.words)) {
        NoteTitle(i, title);
        i += title;
        titled_at = i;
        continue;
      }
    }
    const int after = i + match.words;
    const bool joins_next = match.words > 0 && tokens_[after - 1].JoinsNext();
    if (match.record != nullptr) {
      if (match.record->type == EntityType::kOrganization) {
        // "BP Plc", "Toyota Motor Corp" name the company the lexicon knows.
        int end = after;
        while (end < size() && tokens_[end - 1].JoinsNext() &&
               (Class(end) & kCompanySuffix)) {
          ++end;
        }
        if (end > after) {
          AddLinked(i, end, match.record);
          i = end;
          continue;
        }
      }
      // A known place or organisation that opens a longer unknown name is
      // part of it: "Jordan Bardella", "Rio Tinto", "Reuters Institute"; one
      // of several words only when the name is an organisation's: "Buenos
      // Aires Newsroom", "New York Stock Exchange".
      const bool opens_longer_name =
          !title_case_ && joins_next &&
          (match.record->type == EntityType::kLocation ||
           match.record->type == EntityType::kOrganization) &&
          StartsUnknownName(after) &&
          (match.words == 1 || (Class(ExtendUnknown(i) - 1) & kOrgSuffix));
      if (!opens_longer_name) {
        AddLinked(i, after, match.record);
        i = after;
        continue;
      }
    } else if (match.demonym != nullptr) {
      // "Chinese", "South Korean" modify what follows, unless they open the
      // name of an organisation or place: "European Space Agency".
      if (joins_next && StartsUnknownName(after)) {
        const int end = ExtendUnknown(i);
        if (Class(end - 1) & (kOrgSuffix | kLocationSuffix)) {
          AddUnknown(i, end, /*titled=*/false);
          i = end;
          continue;
        }
      }
      modifier_end_ = after;
      modifier_ = match.demonym;
      i = after;
      continue;
    } else if (title > 0) {
      i += title;  // a title followed by no name
      continue;
    } else if (tokens_[i].Has(kNumeric)) {
      ++i;  // an ordinal opens only known names: "80th Air Assault Brigade"
      continue;
    }
    const int end = ExtendUnknown(i);
    AddUnknown(i, end, titled_at == i);
    i = end;
  }
}

void RuleEntityExtractor::Scan::AddLinked(int begin, int end,
                                          const EntityRecord* record) {
  Mention mention;
  mention.record = record;
  mention.surface = Surface(begin, end);
  JoinKeys(begin, end, &mention.key);
  mention.words = end - begin;
  Locate(begin, end, &mention);
  mention.signals = ContextSignals(begin, end);
  if (record->type == EntityType::kOrganization || record->type == EntityType::kLocation) {
    modifier_end_ = end;
    modifier_ = record;
  }
  if (mention.words == 1 && record->type == EntityType::kOrganization && !title_case_ &&
      tokens_[begin].Has(kSentenceStart) && !tokens_[begin].Has(kAllCapitals) &&
      (Class(begin) & kCommonWord)) {
    mention.signals |= kWeakLink;
  }
  mentions_.push_back(std::move(mention));
}

void RuleEntityExtractor::Scan::AddUnknown(int begin, int end, bool titled) {
  const int start = begin;
  // Function words never open a name, nor do common words at a sentence
  // start: "The", "Elsewhere".
  while (end - begin > 1 && ((Class(begin) & kFunctionWord) ||
                             (begin == start && tokens_[begin].Has(kSentenceStart) &&
                              (Class(begin) & kCommonWord) && !IsGivenName(begin)))) {
    ++begin;
  }
  const uint32_t first = Class(begin);
  if (end - begin == 1 && (first & kFunctionWord)) return;

  Mention mention;
  mention.surface = Surface(begin, end);
  JoinKeys(begin, end, &mention.key);
  mention.words = end - begin;
  if (extractor_.ClassOf(mention.key) & (kHeading | kNoName)) return;
  Locate(start, end, &mention);

  uint32_t& s = mention.signals;
  s |= ContextSignals(begin, end);
  uint8_t wordnet = extractor_.wordnet_.Lookup(mention.key);
  if (wordnet == 0 && absl::EndsWith(mention.key, "s")) {  // "Kurds", "Moslems"
    absl::string_view singular = mention.key;
    singular.remove_suffix(1);
    wordnet = extractor_.wordnet_.Lookup(singular) & WordNetNames::kDescription;
  }
  if (wordnet & WordNetNames::kDescription) s |= kDescription;
  if (wordnet & WordNetNames::kPerson) s |= kWordNetPerson;
  if (wordnet & WordNetNames::kLocation) s |= kWordNetPlace;
  if (wordnet & WordNetNames::kOrganization) s |= kWordNetOrg;
  if (title_case_) s |= kTitleCaseLine;
  if (tokens_[begin].Has(kSentenceStart)) s |= kAtSentenceStart;
  if (begin > 0) {
    const Token& before = tokens_[begin - 1];
    const uint32_t before_class = Class(begin - 1);
    const bool adjacent = before.JoinsNext();
    if ((titled && begin == start) ||
        ((before_class & kTitle) && (adjacent || before.Has(kCommaAfter)))) {
      s |= kAfterTitle;
    }
    if (adjacent && (before_class & kSpeechVerb)) s |= kBesideSpeech;
    if (adjacent && !before.Has(kCapitalised) && (before_class & kPlacePreposition)) {
      s |= kAfterPlaceWord;
    }
    if (adjacent && !before.Has(kCapitalised) && (before_class & kOrgBefore)) {
      s |= kOrgContext;
    }
  }
  if (end < size() && tokens_[end - 1].JoinsNext() && (Class(end) & kSpeechVerb)) {
    s |= kBesideSpeech;
  }
  if (end < size() && !tokens_[end - 1].Has(kBreakAfter) && !tokens_[end].Has(kCapitalised) &&
      (Class(end) & kOrgAfter)) {
    s |= kOrgContext;
  }
  const uint32_t last = Class(end - 1);
  if (mention.words > 1) {
    const bool head_of = mention.words >= 3 && Key(begin + 1) == "of";
    if ((last & (kOrgSuffix | kCompanySuffix)) || (head_of && (first & kOrgHead))) {
      s |= kOrgShape;
    }
    if ((last & kLocationSuffix) || (head_of && (first & kLocationHead))) {
      s |= kLocationShape;
    }
  } else if (tokens_[begin].Has(kAllCapitals) && mention.key.size() >= 2 &&
             mention.key.size() <= 5) {
    s |= kAcronym;
  } else if (absl::EndsWith(mention.key, "shire") && mention.key.size() > 5) {
    s |= kLocationShape;  // an English county: "Derbyshire"
  }
  bool all_common = true;
  // Capitalised words, none common unless the first is a given name ("Frank
  // Thomas", "Darryl Strawberry").
  const bool given_name = mention.words > 1 && IsGivenName(begin);
  bool name_shape = mention.words > 1;
  for (int k = begin; k < end; ++k) {
    const uint32_t c = Class(k);
    const bool common = !IsInitial(k) && (c & (kCommonWord | kFunctionWord)) != 0;
    all_common = all_common && common;
    if ((common && !(given_name && !(c & kFunctionWord))) || tokens_[k].Has(kNumeric) ||
        (!tokens_[k].Has(kCapitalised) && !(c & kParticle))) {
      name_shape = false;
    }
  }
  if (all_common) s |= kAllCommon;
  if (name_shape) s |= kNameShape;
  mentions_.push_back(std::move(mention));
}

std::vector<ArticleEntity> RuleEntityExtractor::Scan::Finish() && {
  // Group the mentions: by lexicon record, or by key for other names.
  struct Entity {
    const EntityRecord* record = nullptr;
    std::string key;
    std::vector<int> mentions;  // indices into mentions_, ascending
    uint32_t signals = 0;       // of all mentions
    bool credible = false;
  };
  std::vector<Entity> entities;
  absl::flat_hash_map<const EntityRecord*, int> by_record;
  absl::flat_hash_map<std::string, int> by_key;
  for (int m = 0; m < static_cast<int>(mentions_.size()); ++m) {
    const Mention& mention = mentions_[m];
    if (mention.descriptor) continue;
    const int next = static_cast<int>(entities.size());
    const int e = mention.record != nullptr
                      ? by_record.try_emplace(mention.record, next).first->second
                      : by_key.try_emplace(mention.key, next).first->second;
    if (e == next) {
      entities.emplace_back();
      entities.back().record = mention.record;
      entities.back().key = mention.key;
    }
    Entity& entity = entities[e];
    entity.mentions.push_back(m);
    entity.signals |= mention.signals;
    entity.credible =
        entity.credible || (mention.record != nullptr ? !(mention.signals & kWeakLink)
                                                      : IsCredible(mention));
  }
  // Two plain mentions inside sentences also make a name credible: "Mosco"
  // once may be a typo, a name seen twice is not.
  for (Entity& entity : entities) {
    if (entity.credible || entity.record != nullptr) continue;
    int plain = 0;
    for (int m : entity.mentions) {
      const uint32_t s = mentions_[m].signals;
      const bool single_common = mentions_[m].words == 1 && (s & kAllCommon);
      if (!(s & (kTitleCaseLine | kAtSentenceStart)) && !single_common) ++plain;
    }
    entity.credible = plain >= 2;
  }

  std::vector<int> owner(mentions_.size(), -1);  // the entity each mention counts for
  for (int e = 0; e < static_cast<int>(entities.size()); ++e) {
    if (!entities[e].credible) continue;
    for (int m : entities[e].mentions) owner[m] = e;
  }

  // A name that a longer credible name of the article contains stands for
  // it: "Prigozhin" for "Yevgeny Prigozhin", "Li" for "Li Qiang", "Party"
  // for "Communist Party of China". The full name mentioned nearest before
  // wins, else the nearest after.
  struct FullName {
    int entity;
    std::string key;
  };
  std::vector<FullName> full_names;
  for (int e = 0; e < static_cast<int>(entities.size()); ++e) {
    const Entity& entity = entities[e];
    if (!entity.credible) continue;
    if (entity.record != nullptr) {
      full_names.push_back({e, entities::NameKey(entity.record->display_name)});
    }
    for (int m : entity.mentions) {
      if (mentions_[m].words > 1) full_names.push_back({e, mentions_[m].key});
    }
  }
  // A place named on its own ("in Kathmandu") stays a place inside an
  // organisation's name ("the Kathmandu Post").
  auto type_of = [&](const Entity& entity) {
    return entity.record != nullptr ? entity.record->type : TypeFromSignals(entity.signals);
  };
  for (int e = 0; e < static_cast<int>(entities.size()); ++e) {
    if (entities[e].record != nullptr) continue;
    const bool place = type_of(entities[e]) == EntityType::kLocation;
    absl::flat_hash_set<int> targets;
    for (const FullName& full : full_names) {
      if (full.entity != e && IsWordRun(entities[e].key, full.key) &&
          !(place && type_of(entities[full.entity]) == EntityType::kOrganization)) {
        targets.insert(full.entity);
      }
    }
    if (targets.empty()) continue;
    for (int m : entities[e].mentions) {
      int before = -1, after = -1, target = -1;
      for (int t : targets) {
        for (int other : entities[t].mentions) {
          if (other < m && other > before) before = other, target = t;
        }
      }
      for (int t : targets) {
        if (before >= 0) break;
        for (int other : entities[t].mentions) {
          if (other > m && (after < 0 || other < after)) after = other, target = t;
        }
      }
      owner[m] = target;
    }
  }

  // One ArticleEntity per id, spellings in order of first use. A local name
  // is displayed, and its id made, under its longest spelling.
  // One id and type per entity: the lexicon's, or made from the longest
  // spelling and the signals of a local name.
  auto longest_spelling = [&](const std::vector<int>& mentions) {
    absl::string_view display;
    for (int m : mentions) {
      if (mentions_[m].surface.size() > display.size()) display = mentions_[m].surface;
    }
    return display;
  };
  std::vector<std::string> ids(entities.size());
  std::vector<EntityType> types(entities.size());
  std::vector<bool> linked(entities.size());
  for (size_t e = 0; e < entities.size(); ++e) {
    const Entity& entity = entities[e];
    linked[e] = entity.record != nullptr;
    types[e] = linked[e] ? entity.record->type : TypeFromSignals(entity.signals);
    ids[e] = linked[e] ? entity.record->id
                       : entities::EntityId(types[e], longest_spelling(entity.mentions));
  }

  // A team sport's story names teams by their town or county
  // ("Leicestershire beat Somerset", "CHICAGO 71 64"; tennis and golf have
  // no such teams): there a place that is no nation (a
  // country of iso-codes, or a place with a demonym: "England") is a team, an
  // organisation of its own, wherever it is not written after "in" or "at"
  // nor as the dateline.
  const int places = sports_ ? static_cast<int>(entities.size()) : 0;
  for (int e = 0; e < places; ++e) {
    const EntityRecord* record = entities[e].record;
    if (types[e] != EntityType::kLocation ||
        (record != nullptr && (record->country || !record->demonyms.empty()))) {
      continue;
    }
    std::vector<int> team_mentions;
    bool place_mentions = false;
    for (int m = 0; m < static_cast<int>(mentions_.size()); ++m) {
      if (owner[m] != e) continue;
      if (mentions_[m].signals & (kAtVenue | kDateline)) {
        place_mentions = true;
      } else {
        team_mentions.push_back(m);
      }
    }
    if (team_mentions.empty()) continue;
    int team = e;
    if (place_mentions) {  // the place keeps those, the team takes the rest
      team = static_cast<int>(entities.size());
      entities.emplace_back();
      entities.back().key = entities[e].key;
      for (int m : team_mentions) entities.back().signals |= mentions_[m].signals;
      ids.emplace_back();
      types.emplace_back();
      linked.push_back(false);
      for (int m : team_mentions) owner[m] = team;
    }
    types[team] = EntityType::kOrganization;
    linked[team] = false;
    ids[team] = entities::EntityId(EntityType::kOrganization, longest_spelling(team_mentions));
  }

  // "the Chinese president" stands for the one person named with that role.
  for (int m = 0; m < static_cast<int>(mentions_.size()); ++m) {
    const Mention& descriptor = mentions_[m];
    if (!descriptor.descriptor) continue;
    absl::flat_hash_set<std::string> candidates;
    int target = -1;
    for (int other = 0; other < static_cast<int>(mentions_.size()); ++other) {
      const Mention& named = mentions_[other];
      const int e = owner[other];
      if (e < 0 || named.descriptor || types[e] != EntityType::kPerson ||
          named.role_of != descriptor.role_of ||
          entities::NameKey(named.role) != descriptor.key) {
        continue;
      }
      candidates.insert(ids[e]);
      target = e;
    }
    if (candidates.size() == 1) owner[m] = target;
  }

  std::vector<ArticleEntity> out;
  std::vector<int> out_entity;      // the Entity of each out entry
  std::vector<double> weights;      // salience weight of each out entry
  double total_weight = 0;
  absl::flat_hash_map<std::string, int> by_id;
  for (int m = 0; m < static_cast<int>(mentions_.size()); ++m) {
    const int e = owner[m];
    if (e < 0) continue;
    const Mention& mention = mentions_[m];
    const auto [it, added] = by_id.try_emplace(ids[e], out.size());
    if (added) {
      out.emplace_back();
      out_entity.push_back(e);
      weights.push_back(0);
    }
    ArticleEntity& entity = out[it->second];
    if (added) {
      entity.id = ids[e];
      entity.type = types[e];
      entity.linked = linked[e];
      if (entity.linked) entity.display_name = entities[e].record->display_name;
    }
    ++entity.mention_count;
    const double weight = SalienceWeight(mention.section, mention.index);
    weights[it->second] += weight;
    total_weight += weight;
    const absl::string_view surface = mention.surface;
    entity.mentions.push_back(EntityMention{mention.section, mention.index, mention.begin,
                                            mention.end, std::string(surface)});
    if (mention.descriptor) continue;  // a role, not a spelling of the name
    if (std::find(entity.spellings.begin(), entity.spellings.end(), surface) ==
        entity.spellings.end()) {
      entity.spellings.emplace_back(surface);
    }
    if (!entity.linked && surface.size() > entity.display_name.size()) {
      entity.display_name = std::string(surface);
    }
    if (!mention.role.empty() && entity.type == EntityType::kPerson &&
        !IsHonorific(mention.role)) {
      EntityRole role{std::string(mention.role),
                      mention.role_of != nullptr ? mention.role_of->id : ""};
      const std::string role_key = entities::NameKey(role.role);
      const bool known = std::any_of(
          entity.roles.begin(), entity.roles.end(), [&](const EntityRole& r) {
            return r.of_entity_id == role.of_entity_id &&
                   entities::NameKey(r.role) == role_key;
          });
      if (!known) entity.roles.push_back(std::move(role));
    }
  }
  for (size_t o = 0; o < out.size(); ++o) {
    ArticleEntity& entity = out[o];
    entity.salience = total_weight > 0 ? weights[o] / total_weight : 0;
    entity.confidence = entity.linked ? 1.0 : LocalConfidence(entities[out_entity[o]].signals,
                                                               entity.mention_count);
  }
  std::sort(out.begin(), out.end(), [](const ArticleEntity& a, const ArticleEntity& b) {
    if (a.mention_count != b.mention_count) return a.mention_count > b.mention_count;
    return a.id < b.id;
  });
  return out;
}

EntityExtractor::~EntityExtractor() = default;

RuleEntityExtractor::RuleEntityExtractor(const EntityLexicon* lexicon,
                                         const RuleEntityExtractorOptions& options)
    : lexicon_(lexicon) {
  CHECK(lexicon_ != nullptr);
  for (const WordList& list : kWordLists) {
    for (absl::string_view word : absl::StrSplit(list.words, ' ', absl::SkipEmpty())) {
      word_classes_[entities::NameKey(absl::StrReplaceAll(word, {{"_", " "}}))] |=
          list.word_class;
      if (list.word_class == kTitle) {
        word_classes_[entities::NameKey(word.substr(0, word.find('_')))] |= kTitleStart;
      }
    }
  }
  version_ = lexicon_->data_version();
  if (AddCommonWords(options.common_words_path, &word_classes_)) {
    absl::StrAppend(&version_, ";wamerican=",
                    entities::InstalledPackageVersion("wamerican"));
  }
  wordnet_ = WordNetNames::Load(options.wordnet_dir);
  if (wordnet_.loaded()) {
    LOG(INFO) << "Entity extractor: " << wordnet_.size() << " names typed by WordNet from "
              << options.wordnet_dir;
    absl::StrAppend(&version_, ";wordnet-base=",
                    entities::InstalledPackageVersion("wordnet-base"));
  } else if (!options.wordnet_dir.empty()) {
    LOG(WARNING) << "No WordNet at " << options.wordnet_dir
                 << "; names outside the lexicon are typed by context only"
                 << " (install Debian's wordnet-base)";
  }
}

uint32_t RuleEntityExtractor::ClassOf(absl::string_view key) const {
  auto it = word_classes_.find(key);
  return it == word_classes_.end() ? 0 : it->second;
}

std::vector<ArticleEntity> RuleEntityExtractor::Extract(const Article& article) const {
  Scan scan(*this);
  ForEachSegment(article, [&scan](absl::string_view text, TextSection section, int index) {
    scan.AddSegment(text, section, index);
  });
  return std::move(scan).Finish();
}

}  // namespace newsdesk::ingest
