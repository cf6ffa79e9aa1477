// Test helper: the reference articles of data/seeds/, split as plain text is:
// the first non-empty line is the title, every other non-empty line a
// paragraph. Needs NEWSDESK_DATA_DIR defined by the build.
#ifndef INGEST_SERVICE_EXTRACT_SEED_ARTICLES_FOR_TEST_H_
#define INGEST_SERVICE_EXTRACT_SEED_ARTICLES_FOR_TEST_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"

namespace newsdesk::ingest::testing {

struct SeedArticle {
  std::string name;  // file name without ".txt": "000_bc9c7e850a66cecc"
  std::string title;
  std::vector<std::string> paragraphs;
};

// The seed articles, sorted by file name.
inline std::vector<SeedArticle> LoadSeedArticles() {
  std::vector<SeedArticle> seeds;
  for (const auto& file :
       std::filesystem::directory_iterator(std::string(NEWSDESK_DATA_DIR) + "/seeds")) {
    if (file.path().extension() != ".txt") continue;
    SeedArticle seed;
    seed.name = file.path().stem().string();
    std::ifstream in(file.path());
    for (std::string line; std::getline(in, line);) {
      const std::string text(absl::StripAsciiWhitespace(line));
      if (text.empty()) continue;
      if (seed.title.empty()) {
        seed.title = text;
      } else {
        seed.paragraphs.push_back(text);
      }
    }
    seeds.push_back(std::move(seed));
  }
  std::sort(seeds.begin(), seeds.end(),
            [](const SeedArticle& a, const SeedArticle& b) { return a.name < b.name; });
  return seeds;
}

}  // namespace newsdesk::ingest::testing

#endif  // INGEST_SERVICE_EXTRACT_SEED_ARTICLES_FOR_TEST_H_
