#include "query_service/index/indexed_article_store.h"

#include "absl/strings/str_cat.h"
#include "common/model/log_entry_convert.h"

namespace newsdesk::query {

absl::Status InMemoryIndexedArticleStore::Put(absl::Span<const Article* const> articles,
                                              bool /*as_logged*/) {
  absl::MutexLock lock(&mu_);
  for (const Article* article : articles) {
    articles_[article->log_sequence] = std::make_unique<const Article>(*article);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Article>> InMemoryIndexedArticleStore::Get(
    absl::Span<const int64_t> sequences) const {
  absl::MutexLock lock(&mu_);
  std::vector<Article> out;
  out.reserve(sequences.size());
  for (const int64_t sequence : sequences) {
    auto it = articles_.find(sequence);
    if (it == articles_.end()) {
      return absl::NotFoundError(absl::StrCat("no article at log sequence ", sequence));
    }
    out.push_back(*it->second);
  }
  return out;
}

absl::StatusOr<EncodedArticles> InMemoryIndexedArticleStore::GetEncoded(
    absl::Span<const int64_t> sequences) const {
  absl::MutexLock lock(&mu_);
  EncodedArticles out;
  out.ends.reserve(sequences.size());
  for (const int64_t sequence : sequences) {
    auto it = articles_.find(sequence);
    if (it == articles_.end()) {
      return absl::NotFoundError(absl::StrCat("no article at log sequence ", sequence));
    }
    LogEntry entry;
    entry.sequence = sequence;
    entry.article = *it->second;
    out.Add(EncodeLogValue(entry));
  }
  return out;
}

}  // namespace newsdesk::query
