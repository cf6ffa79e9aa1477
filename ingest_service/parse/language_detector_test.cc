#include "ingest_service/parse/language_detector.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::Ge;
using ::testing::Lt;

struct Sample {
  const char* tag;
  const char* text;
};

// Sentences written for these tests, a short news paragraph per language.
constexpr Sample kSamples[] = {
    {"en", "The minister said on Tuesday that the talks with the union would resume "
           "after the holiday, and that he was confident an agreement could be reached "
           "before the end of the month."},
    {"fr", "Le ministre a déclaré mardi que les négociations avec les syndicats "
           "reprendraient après les vacances, et qu'il était convaincu qu'un accord "
           "serait trouvé avant la fin du mois."},
    {"de", "Der Minister sagte am Dienstag, dass die Gespräche mit der Gewerkschaft "
           "nach den Feiertagen wieder aufgenommen werden und er sei zuversichtlich, "
           "dass eine Einigung noch vor dem Ende des Monats erzielt wird."},
    {"es", "El ministro dijo el martes que las negociaciones con los sindicatos se "
           "reanudarán después de las vacaciones, y que confía en que se alcance un "
           "acuerdo antes del final del mes."},
    {"it", "Il ministro ha detto martedì che i negoziati con i sindacati "
           "riprenderanno dopo le vacanze, e che è fiducioso che un accordo sarà "
           "raggiunto prima della fine del mese."},
    {"pt", "O ministro disse na terça-feira que as negociações com os sindicatos "
           "serão retomadas depois das férias, e que está confiante de que um acordo "
           "será alcançado antes do fim do mês."},
    {"nl", "De minister zei dinsdag dat de gesprekken met de vakbond na de vakantie "
           "worden hervat, en dat hij ervan overtuigd is dat er voor het einde van de "
           "maand een akkoord kan worden bereikt."},
    {"pl", "Minister powiedział we wtorek, że rozmowy ze związkami zawodowymi zostaną "
           "wznowione po świętach i że jest przekonany, że porozumienie zostanie "
           "osiągnięte jeszcze przed końcem miesiąca, ale to nie jest pewne."},
    {"sv", "Ministern sade på tisdagen att samtalen med facket ska återupptas efter "
           "semestern, och att han är säker på att en överenskommelse kan nås innan "
           "månaden är slut."},
    {"tr", "Bakan salı günü yaptığı açıklamada, sendikalarla görüşmelerin tatilden "
           "sonra yeniden başlayacağını ve ay sonundan önce bir anlaşmaya "
           "varılacağına inandığını söyledi. Bu konuda çok daha fazla bilgi yok."},
    {"id", "Menteri mengatakan pada hari Selasa bahwa perundingan dengan serikat "
           "pekerja akan dilanjutkan setelah liburan, dan dia yakin bahwa kesepakatan "
           "bisa dicapai sebelum akhir bulan ini."},
    {"ru", "Министр заявил во вторник, что переговоры с профсоюзами возобновятся "
           "после праздников, и что он уверен, что соглашение будет достигнуто ещё до "
           "конца месяца."},
    {"uk", "Міністр заявив у вівторок, що переговори з профспілками відновляться після "
           "свят, і що він впевнений, що угоду буде досягнуто ще до кінця місяця."},
    {"el", "Ο υπουργός δήλωσε την Τρίτη ότι οι συνομιλίες με τα συνδικάτα θα "
           "συνεχιστούν μετά τις διακοπές."},
    {"ar", "قال الوزير يوم الثلاثاء إن المحادثات مع النقابات ستستأنف بعد العطلة."},
    {"fa", "وزیر روز سه شنبه گفت که گفتگو با اتحادیه ها پس از تعطیلات از سر گرفته می شود."},
    {"he", "השר אמר ביום שלישי כי השיחות עם האיגודים יתחדשו אחרי החג."},
    {"zh", "部长星期二表示，与工会的谈判将在假期后恢复，他相信月底前能够达成协议。"},
    {"ja", "大臣は火曜日、労働組合との交渉は休暇の後に再開されると述べ、月末までに合意に達すると確信していると語った。"},
    {"ko", "장관은 화요일 노조와의 협상이 휴가 이후 재개될 것이며 이달 말 전에 합의에 도달할 수 있을 것이라고 말했다."},
    {"hi", "मंत्री ने मंगलवार को कहा कि यूनियनों के साथ बातचीत छुट्टियों के बाद फिर से शुरू होगी।"},
    {"th", "รัฐมนตรีกล่าวเมื่อวันอังคารว่าการเจรจากับสหภาพแรงงานจะเริ่มขึ้นอีกครั้งหลังวันหยุด"},
};

TEST(DetectLanguageTest, TellsEachLanguageFromAParagraph) {
  for (const Sample& sample : kSamples) {
    const DetectedLanguage detected = DetectLanguage(sample.text);
    EXPECT_EQ(detected.tag, sample.tag) << sample.text;
    EXPECT_THAT(detected.confidence, Ge(0.5)) << sample.tag;
  }
}

TEST(DetectLanguageTest, TellsUkrainianFromRussianByLetters) {
  // No function word in either: only the letters і/ї/є and ы/э decide.
  EXPECT_EQ(DetectLanguage("Київ Київ Київ. Україні Європейські їхні є політичні").tag,
            "uk");
  EXPECT_EQ(DetectLanguage("Мы эти выборы. Российскими экспертами этими мыслями").tag,
            "ru");
}

TEST(DetectLanguageTest, ShortTextIsUndetermined) {
  for (const char* text : {"", "Kyiv", "Zelensky meets Macron", "Talks resume in Kyiv",
                           "12:45 GMT 2023-04-26", "Москва"}) {
    const DetectedLanguage detected = DetectLanguage(text);
    EXPECT_EQ(detected.tag, "und") << text;
    EXPECT_EQ(detected.confidence, 0) << text;
  }
}

TEST(DetectLanguageTest, MixedScriptsAreUndetermined) {
  EXPECT_EQ(DetectLanguage("The talks 部长星期二表示与工会的谈判 were said to resume soon "
                           "将在假期后恢复他相信")
                .tag,
            "und");
}

TEST(DetectLanguageTest, MixedLatinLanguagesGiveLowConfidenceOrUndetermined) {
  const DetectedLanguage detected =
      DetectLanguage(absl::StrCat(kSamples[0].text, " ", kSamples[1].text));
  if (detected.tag != "und") {
    EXPECT_THAT(detected.confidence, Lt(0.5));
  }
}

TEST(DetectLanguageTest, NamesFromOtherLanguagesDoNotDecide) {
  EXPECT_EQ(DetectLanguage("Recep Tayyip Erdoğan met Łukasz Müller and Señor García in "
                           "the capital on Tuesday, and the two said that the talks "
                           "were going well.")
                .tag,
            "en");
}

TEST(DetectLanguageTest, CapitalsAreRead) {
  EXPECT_EQ(DetectLanguage("THE MINISTER SAID THAT THE TALKS WITH THE UNION WOULD "
                           "RESUME AFTER THE HOLIDAY AND THAT HE WAS CONFIDENT")
                .tag,
            "en");
  EXPECT_EQ(DetectLanguage("ДЛЯ ЦЬОГО ВІН ЗАЯВИВ, ЩО ПЕРЕГОВОРИ З ПРОФСПІЛКАМИ "
                           "ВІДНОВЛЯТЬСЯ ПІСЛЯ СВЯТ І ЩО ЦЕ БУДЕ ТАК")
                .tag,
            "uk");
}

TEST(LanguageDetectorTest, StopsReadingOnceDecided) {
  LanguageDetector detector;
  EXPECT_TRUE(detector.WantsMore());
  for (int i = 0; i < 5 && detector.WantsMore(); ++i) detector.Add(kSamples[0].text);
  EXPECT_FALSE(detector.WantsMore());
  EXPECT_EQ(detector.Result().tag, "en");
}

TEST(LanguageDetectorTest, ReadsAtMostTheSampleSize) {
  LanguageDetector detector;
  // Undecidable filler up to the limit, then a clear paragraph that is not
  // read.
  detector.Add(std::string(LanguageDetector::kMaxSampleBytes, '7'));
  EXPECT_FALSE(detector.WantsMore());
  detector.Add(kSamples[0].text);
  EXPECT_EQ(detector.Result().tag, "und");
}

TEST(LanguageDetectorTest, SurvivesInvalidUtf8) {
  const DetectedLanguage detected = DetectLanguage(
      absl::StrCat("\xFF\xC3", kSamples[0].text, "\xE2\x82", kSamples[0].text, "\xF0"));
  EXPECT_EQ(detected.tag, "en");
}

}  // namespace
}  // namespace newsdesk::ingest
