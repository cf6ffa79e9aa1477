#include "query_service/index/article_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::query {
namespace {

int64_t TimeNs(const Article& article) {
  return absl::ToInt64Nanoseconds(article.publish_time.time - absl::UnixEpoch());
}

// Sorted union of sorted lists.
std::vector<uint32_t> Union(const std::vector<const std::vector<uint32_t>*>& lists) {
  std::vector<DocSpan> spans;
  spans.reserve(lists.size());
  for (const auto* list : lists) spans.push_back(*list);
  return UnionOf(spans);
}

// True when hit `a` comes before `b` in `order`.
bool Before(SortOrder order, bool a_has_time, int64_t a_time, double a_score, int64_t a_seq,
            bool b_has_time, int64_t b_time, double b_score, int64_t b_seq) {
  switch (order) {
    case SortOrder::kPublishTimeDesc:
      if (a_has_time != b_has_time) return a_has_time;
      if (a_time != b_time) return a_time > b_time;
      return a_seq > b_seq;
    case SortOrder::kPublishTimeAsc:
      if (a_has_time != b_has_time) return a_has_time;
      if (a_time != b_time) return a_time < b_time;
      return a_seq < b_seq;
    case SortOrder::kRelevance:
      if (a_score != b_score) return a_score > b_score;
      return a_seq > b_seq;
  }
  return false;
}

// Heap bytes of a string beyond the object (none while it fits inline).
int64_t HeapBytes(const std::string& s) {
  return s.capacity() > 15 ? static_cast<int64_t>(s.capacity()) + 1 : 0;
}

template <typename T>
int64_t HeapBytes(const std::vector<T>& v) {
  return static_cast<int64_t>(v.capacity() * sizeof(T));
}

// The slots and control bytes of an absl flat hash map or set, and
// `element` of each element.
template <typename Map, typename Element>
int64_t HashBytes(const Map& map, Element element) {
  int64_t bytes =
      static_cast<int64_t>(map.capacity() * (sizeof(typename Map::value_type) + 1));
  for (const auto& e : map) bytes += element(e);
  return bytes;
}

// An absl B-tree's nodes hold up to 256 bytes of values; half to fully
// filled, three quarters on average.
template <typename Tree>
int64_t TreeBytes(const Tree& tree) {
  return static_cast<int64_t>(tree.size() * sizeof(typename Tree::value_type) * 4 / 3);
}

}  // namespace

ArticleIndex::ArticleIndex(const Taxonomy* taxonomy, std::string (*name_key)(absl::string_view),
                           const entities::EntityLexicon* lexicon, ArticleLinker* linker,
                           IndexedArticleStore* store, LinkOptions link_options,
                           KeptCountsOptions kept_counts)
    : taxonomy_(taxonomy),
      name_key_(name_key),
      linker_(linker),
      link_options_(link_options),
      kept_counts_(kept_counts),
      own_store_(store == nullptr ? std::make_unique<InMemoryIndexedArticleStore>() : nullptr),
      store_(store == nullptr ? own_store_.get() : store),
      aliases_(lexicon),
      by_id_(IdHash{this}, IdEq{this}) {}

absl::string_view ArticleIndex::IdOf(DocId doc) const {
  return ids_[doc];
}

std::optional<ArticleIndex::DocId> ArticleIndex::DocOf(absl::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return *it;
}

absl::StatusOr<std::vector<std::shared_ptr<const Article>>> ArticleIndex::ReadDocs(
    absl::Span<const DocId> docs) const {
  if (docs.empty()) return std::vector<std::shared_ptr<const Article>>();
  std::vector<int64_t> sequences;
  sequences.reserve(docs.size());
  for (const DocId doc : docs) sequences.push_back(records_[doc].sequence);
  ASSIGN_OR_RETURN(std::vector<Article> articles, store_->Get(sequences));
  std::vector<std::shared_ptr<const Article>> out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const DocRecord& record = records_[docs[i]];
    Article& article = articles[i];
    article.log_sequence = record.sequence;
    const CopyLink& link = copy_links_[docs[i]];
    article.story_id =
        record.story != kNoGroup ? story_names_.keys[record.story] : std::string();
    article.copy_of = link.copy_of != kNoDoc ? std::string(IdOf(link.copy_of)) : std::string();
    article.copy_similarity = link.similarity;
    out.push_back(std::make_shared<const Article>(std::move(article)));
  }
  return out;
}

absl::StatusOr<std::vector<StoredArticle>> ArticleIndex::ReadStored(
    absl::Span<const DocId> docs, bool summaries) const {
  if (docs.empty()) return std::vector<StoredArticle>();
  EncodedArticles encoded;
  if (summaries) {
    // Copied: the page outlives the lock it is read under.
    for (const DocId doc : docs) encoded.Add(summaries_[doc]);
  } else {
    std::vector<int64_t> sequences;
    sequences.reserve(docs.size());
    for (const DocId doc : docs) sequences.push_back(records_[doc].sequence);
    ASSIGN_OR_RETURN(encoded, store_->GetEncoded(sequences));
  }
  // The hits share the page's buffer.
  const auto page = std::make_shared<const EncodedArticles>(std::move(encoded));
  const std::shared_ptr<const std::string> buffer(page, &page->bytes);
  std::vector<StoredArticle> out(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const DocRecord& record = records_[docs[i]];
    StoredArticle& article = out[i];
    article.bytes = (*page)[i];
    article.buffer = buffer;
    article.log_sequence = record.sequence;
    const CopyLink& link = copy_links_[docs[i]];
    if (record.story != kNoGroup) article.story_id = story_names_.keys[record.story];
    if (link.copy_of != kNoDoc) article.copy_of = std::string(IdOf(link.copy_of));
    article.copy_similarity = link.similarity;
  }
  return out;
}

std::vector<std::string> ArticleIndex::Tokenize(absl::string_view text) {
  std::vector<std::string> out;
  ForEachWord(text, [&out](absl::string_view word, size_t) {
    out.push_back(absl::AsciiStrToLower(word));
  });
  return out;
}

std::string ArticleIndex::KeyPhraseKey(absl::string_view phrase) {
  return absl::StrJoin(Tokenize(phrase), " ");
}

absl::Status ArticleIndex::Apply(LogEntry entry, std::shared_ptr<const Article>* indexed) {
  if (indexed != nullptr) indexed->reset();
  if (entry.alias_change) return ApplyAliasChange(entry.sequence, *entry.alias_change);
  if (entry.topic_update) return UpdateTopics(entry.sequence, *entry.topic_update);
  if (!entry.article) {
    return absl::InvalidArgumentError(
        absl::StrCat("log entry ", entry.sequence, " holds nothing"));
  }
  entry.article->log_sequence = entry.sequence;
  return ThenLink(AddArticle(*std::move(entry.article), indexed));
}

absl::Status ArticleIndex::ThenLink(absl::Status status) {
  if (!status.ok() || link_options_.deferred || linker_ == nullptr) return status;
  return LinkPending();
}

absl::StatusOr<bool> ArticleIndex::Applies(int64_t sequence) const {
  if (sequence >= 1 && sequence <= head_) return false;  // applied before
  if (sequence != head_ + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("log sequence ", sequence, " does not follow ", head_));
  }
  return true;
}

absl::flat_hash_set<std::string> ArticleIndex::TopicCodes(const Article& article) const {
  absl::flat_hash_set<std::string> codes;
  for (const ArticleTopic& t : article.topics) {
    codes.insert(t.code);
    for (std::string& ancestor : taxonomy_->Ancestors(t.code)) codes.insert(std::move(ancestor));
  }
  return codes;
}

absl::flat_hash_set<std::string> ArticleIndex::AssignedTopicCodes(const Article& article) {
  absl::flat_hash_set<std::string> assigned;
  for (const ArticleTopic& t : article.topics) {
    if (!t.implied) assigned.insert(t.code);
  }
  return assigned;
}

absl::Status ArticleIndex::UpdateTopics(int64_t sequence, const TopicUpdate& update) {
  return ThenLink(UpdateTopicsNow(sequence, update));
}

absl::Status ArticleIndex::UpdateTopicsNow(int64_t sequence, const TopicUpdate& update) {
  absl::WriterMutexLock lock(&mu_);
  absl::StatusOr<bool> applies = Applies(sequence);
  if (!applies.ok() || !*applies) return applies.status();
  const std::optional<DocId> found = DocOf(update.article_id);
  if (!found) {
    head_ = sequence;
    return absl::OkStatus();
  }
  const DocId doc = *found;
  const DocId docs[] = {doc};
  ASSIGN_OR_RETURN(std::vector<std::shared_ptr<const Article>> read, ReadDocs(docs));
  const std::shared_ptr<const Article> before = std::move(read[0]);
  auto updated = std::make_shared<Article>(*before);
  ApplyTopicUpdate(update, updated.get());
  const Article* const written[] = {updated.get()};
  RETURN_IF_ERROR(store_->Put(written, /*as_logged=*/false));
  head_ = sequence;

  // Moves `doc` from the postings of codes it left to those it joined.
  auto move = [doc](absl::flat_hash_map<std::string, Postings>& postings,
                    const absl::flat_hash_set<std::string>& before,
                    const absl::flat_hash_set<std::string>& after) {
    for (const std::string& code : before) {
      if (after.contains(code)) continue;
      auto list = postings.find(code);
      if (list == postings.end()) continue;
      Postings& docs = list->second;
      auto at = std::lower_bound(docs.begin(), docs.end(), doc);
      if (at != docs.end() && *at == doc) docs.erase(at);
      if (docs.empty()) postings.erase(list);
    }
    for (const std::string& code : after) {
      if (before.contains(code)) continue;
      Postings& docs = postings[code];
      docs.insert(std::lower_bound(docs.begin(), docs.end(), doc), doc);
    }
  };
  move(topics_, TopicCodes(*before), TopicCodes(*updated));
  move(exact_topics_, AssignedTopicCodes(*before), AssignedTopicCodes(*updated));
  if (linker_ != nullptr) {
    KeepIfUnlinked(doc, before);
    link_events_.push_back(LinkEvent{sequence, kNoDoc, updated, before});
  }
  InternGroups(doc, *updated);
  return absl::OkStatus();
}

const ArticleIndex::EntityEntry* ArticleIndex::FindEntity(absl::string_view id) const {
  auto interned = entity_names_.ids.find(id);
  if (interned == entity_names_.ids.end()) return nullptr;
  auto it = entities_.find(interned->second);
  return it == entities_.end() ? nullptr : &it->second;
}

ArticleIndex::EntityEntry* ArticleIndex::FindEntity(absl::string_view id) {
  return const_cast<EntityEntry*>(std::as_const(*this).FindEntity(id));
}

absl::string_view ArticleIndex::DisplayName(uint32_t id, const EntityEntry& entry) const {
  return entry.own_name ? absl::string_view(entry.display_name)
                        : absl::string_view(entity_names_.labels[id]);
}

void ArticleIndex::SetDisplayName(uint32_t id, EntityEntry& entry,
                                  absl::string_view name) {
  entry.own_name = name != entity_names_.labels[id];
  entry.display_name = entry.own_name ? std::string(name) : std::string();
}

void ArticleIndex::AddNameKey(absl::string_view name, uint32_t id) {
  EntityIds& ids = entity_keys_[name_key_(name)];
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

EntityInfo ArticleIndex::InfoOf(uint32_t id, const EntityEntry& entry,
                                bool with_spellings) const {
  EntityInfo info;
  info.id = entity_names_.keys[id];
  info.display_name = std::string(DisplayName(id, entry));
  info.type = entry.type;
  info.linked = entry.linked;
  info.article_count = static_cast<int64_t>(entry.postings.size());
  if (with_spellings) info.spellings = entry.spellings.ToVector();
  return info;
}

void ArticleIndex::IndexEntities(DocId doc, const Article& article) {
  for (const ArticleEntity& e : article.entities) {
    const uint32_t id = entity_names_.Intern(e.id, e.display_name);
    auto [it, inserted] = entities_.try_emplace(id);
    EntityEntry& entry = it->second;
    if (inserted) {
      SetDisplayName(id, entry, e.display_name);
      entry.type = e.type;
      entry.linked = e.linked;
      AddNameKey(e.id, id);
      AddNameKey(e.display_name, id);
    }
    Postings& postings = entry.postings;
    if (postings.empty() || postings.back() < doc) {
      postings.push_back(doc);
    } else {
      auto at = std::lower_bound(postings.begin(), postings.end(), doc);
      if (at != postings.end() && *at == doc) continue;  // named twice: counted once
      postings.insert(at, doc);
    }
    CountEntityDay(entry, doc, 1);
    for (const std::string& spelling : e.spellings) {
      if (entry.spellings.Add(spelling)) AddNameKey(spelling, id);
    }
  }
}

void ArticleIndex::CountEntityDay(EntityEntry& entry, DocId doc, int delta) {
  if (entry.days != nullptr) {
    const DocRecord& record = records_[doc];
    if (record.has_time) entry.days->Add(DayCounts::DayOf(record.time_ns), delta);
  } else if (delta > 0 && entry.postings.size() >=
                              static_cast<size_t>(std::max(kept_counts_.entity_day_min_docs, 0))) {
    entry.days = std::make_unique<DayCounts>();
    for (const DocId d : entry.postings) {
      const DocRecord& record = records_[d];
      if (record.has_time) entry.days->Add(DayCounts::DayOf(record.time_ns));
    }
  }
}

void ArticleIndex::RebuildEntity(
    const std::string& id,
    const absl::flat_hash_map<DocId, std::shared_ptr<const Article>>& articles) {
  auto interned = entity_names_.ids.find(id);
  if (interned == entity_names_.ids.end()) return;
  const uint32_t key = interned->second;
  auto it = entities_.find(key);
  if (it == entities_.end()) return;
  EntityEntry& entry = it->second;
  auto unregister = [this, key](absl::string_view name) {
    auto keys = entity_keys_.find(name_key_(name));
    if (keys == entity_keys_.end()) return;
    EntityIds& ids = keys->second;
    ids.erase(std::remove(ids.begin(), ids.end(), key), ids.end());
    if (ids.empty()) entity_keys_.erase(keys);
  };
  unregister(id);
  unregister(DisplayName(key, entry));
  entry.spellings.ForEach(unregister);
  if (entry.postings.empty()) {
    entities_.erase(it);
    return;
  }
  entry.spellings.clear();
  bool named = false;
  for (const DocId doc : entry.postings) {
    for (const ArticleEntity& e : articles.at(doc)->entities) {
      if (e.id != id) continue;
      if (!named) {
        SetDisplayName(key, entry, e.display_name);
        entry.type = e.type;
        entry.linked = e.linked;
        named = true;
      }
      for (const std::string& spelling : e.spellings) entry.spellings.Add(spelling);
    }
  }
  AddNameKey(id, key);
  AddNameKey(DisplayName(key, entry), key);
  entry.spellings.ForEach(
      [this, key](absl::string_view spelling) { AddNameKey(spelling, key); });
}

absl::Status ArticleIndex::ApplyAliasChange(int64_t sequence, const AliasChange& change) {
  return ThenLink(ApplyAliasChangeNow(sequence, change));
}

absl::Status ArticleIndex::ApplyAliasChangeNow(int64_t sequence,
                                               const AliasChange& change) {
  absl::WriterMutexLock lock(&mu_);
  absl::StatusOr<bool> applies = Applies(sequence);
  if (!applies.ok() || !*applies) return applies.status();
  // A change applied before (by an earlier attempt whose reads or writes
  // failed) changes nothing here, so the attempt is repeated whole.
  RETURN_IF_ERROR(aliases_.Apply(change));

  // The entities the change can move mentions off: those it names, and those
  // with one of its spellings.
  absl::flat_hash_set<std::string> ids;
  for (const std::string* id :
       {&change.entity_id, &change.source_entity_id, &change.new_entity_id}) {
    if (!id->empty()) ids.insert(*id);
  }
  for (const std::string& spelling : change.spellings) {
    if (auto it = entity_keys_.find(name_key_(spelling)); it != entity_keys_.end()) {
      for (const uint32_t id : it->second) ids.insert(entity_names_.keys[id]);
    }
  }
  std::vector<const Postings*> lists;
  for (const std::string& id : ids) {
    if (const EntityEntry* entry = FindEntity(id)) lists.push_back(&entry->postings);
  }
  const Postings docs = Union(lists);

  // Everything is read and written before the postings change.
  ASSIGN_OR_RETURN(std::vector<std::shared_ptr<const Article>> before, ReadDocs(docs));
  struct Relinked {
    DocId doc;
    std::shared_ptr<const Article> before;
    std::shared_ptr<const Article> after;
  };
  std::vector<Relinked> relinked;
  absl::flat_hash_map<DocId, std::shared_ptr<const Article>> articles;  // as they become
  absl::flat_hash_set<std::string> touched;
  for (size_t i = 0; i < docs.size(); ++i) {
    Article after = *before[i];
    if (!aliases_.Relink(&after)) continue;
    for (const ArticleEntity& e : before[i]->entities) touched.insert(e.id);
    for (const ArticleEntity& e : after.entities) touched.insert(e.id);
    relinked.push_back(
        {docs[i], before[i], std::make_shared<const Article>(std::move(after))});
    articles[docs[i]] = relinked.back().after;
  }
  std::vector<const Article*> written;
  for (const Relinked& r : relinked) written.push_back(r.after.get());
  // The other articles naming the touched entities give their spellings.
  lists.clear();
  for (const std::string& id : touched) {
    if (const EntityEntry* entry = FindEntity(id)) lists.push_back(&entry->postings);
  }
  Postings others;
  for (const DocId doc : Union(lists)) {
    if (!articles.contains(doc)) others.push_back(doc);
  }
  ASSIGN_OR_RETURN(std::vector<std::shared_ptr<const Article>> other_articles,
                   ReadDocs(others));
  for (size_t i = 0; i < others.size(); ++i)
    articles[others[i]] = std::move(other_articles[i]);
  RETURN_IF_ERROR(store_->Put(written, /*as_logged=*/false));
  head_ = sequence;

  for (const Relinked& r : relinked) {
    for (const ArticleEntity& e : r.before->entities) {
      EntityEntry& entry = *FindEntity(e.id);
      auto at = std::lower_bound(entry.postings.begin(), entry.postings.end(), r.doc);
      if (at != entry.postings.end() && *at == r.doc) {
        entry.postings.erase(at);
        CountEntityDay(entry, r.doc, -1);
      }
    }
    if (linker_ != nullptr) {
      KeepIfUnlinked(r.doc, r.before);
      link_events_.push_back(LinkEvent{sequence, kNoDoc, r.after, r.before});
    }
    IndexEntities(r.doc, *r.after);
    InternGroups(r.doc, *r.after);
  }
  for (const std::string& id : touched) RebuildEntity(id, articles);
  return absl::OkStatus();
}

absl::Status ArticleIndex::Add(std::shared_ptr<const Article> article,
                               std::shared_ptr<const Article>* indexed) {
  return ThenLink(AddArticle(Article(*article), indexed));
}

absl::Status ArticleIndex::AddArticle(Article linked, std::shared_ptr<const Article>* indexed) {
  if (indexed != nullptr) indexed->reset();
  absl::MutexLock lock(&mu_);
  const int64_t sequence = linked.log_sequence;
  absl::StatusOr<bool> applies = Applies(sequence);
  if (!applies.ok() || !*applies) return applies.status();
  // Linked with the table as it is now, whatever version linked it at ingest,
  // and kept so, without derived links (the records keep those, once the
  // link stage has run).
  const bool relinked = aliases_.version() > 0 && aliases_.Relink(&linked);
  linked.story_id.clear();
  linked.copy_of.clear();
  linked.copy_similarity = 0;
  const Article* const written[] = {&linked};
  RETURN_IF_ERROR(store_->Put(written, /*as_logged=*/!relinked));
  head_ = sequence;
  const DocId doc = static_cast<DocId>(records_.size());
  const Article* const a = &linked;
  ids_.Add(a->id);
  summaries_.Add(EncodeSummary(*a));
  DocRecord record;
  record.sequence = a->log_sequence;
  record.has_time = a->publish_time.known();
  if (record.has_time) {
    record.time_ns = TimeNs(*a);
    by_time_.insert({record.time_ns, doc});
    day_counts_.Add(DayCounts::DayOf(record.time_ns));
  } else {
    untimed_.push_back(doc);
  }
  if (!a->source.empty()) {
    record.source = source_names_.Intern(absl::AsciiStrToLower(a->source), a->source);
  }
  records_.push_back(record);
  copy_links_.push_back(CopyLink{});
  by_id_.erase(a->id);
  by_id_.insert(doc);
  IndexEntities(doc, *a);

  for (const std::string& code : TopicCodes(*a)) topics_[code].push_back(doc);
  for (const std::string& code : AssignedTopicCodes(*a))
    exact_topics_[code].push_back(doc);
  absl::flat_hash_set<std::string> phrases;
  for (const std::string& phrase : a->key_phrases) {
    std::string key = KeyPhraseKey(phrase);
    if (!key.empty()) phrases.insert(std::move(key));
  }
  for (const std::string& phrase : phrases) key_phrases_[phrase].push_back(doc);

  if (!a->source.empty()) sources_[absl::AsciiStrToLower(a->source)].push_back(doc);

  // Words with their counts, title words weighing 3.
  absl::flat_hash_map<std::string, uint32_t> words;
  for (std::string& w : Tokenize(a->title)) words[std::move(w)] += 3;
  for (const std::string& p : a->paragraphs) {
    for (std::string& w : Tokenize(p)) words[std::move(w)] += 1;
  }
  const auto docs = static_cast<uint32_t>(records_.size());
  for (const auto& [w, count] : words) {
    WordPostings& postings = words_[w];
    const bool was_bitmap = postings.is_bitmap();
    postings.Append(doc, count, docs);
    if (!was_bitmap && postings.is_bitmap()) bitmap_words_.push_back(w);
  }
  // A bitmap of a word that became rare goes back to a list; looked for
  // each time the index doubles.
  if (docs >= WordPostings::kMinBitmapDocs && (docs & (docs - 1)) == 0) {
    auto listed = [this, docs](const std::string& w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      WordPostings& postings = words_.find(w)->second;
      postings.Reshape(docs);
      return !postings.is_bitmap();
    };
    bitmap_words_.erase(std::remove_if(bitmap_words_.begin(), bitmap_words_.end(), listed),
                        bitmap_words_.end());
  }

  InternGroups(doc, *a);

  for (const MentionedDate& date : a->mentioned_dates) {
    if (date.end <= date.start) continue;
    const int64_t start = absl::ToUnixNanos(date.start);
    const int64_t end = absl::ToUnixNanos(date.end);
    mentions_.emplace(start, Mention{end, doc});
    longest_mention_ns_ = std::max(longest_mention_ns_, end - start);
  }
  auto shared = std::make_shared<const Article>(std::move(linked));
  if (linker_ != nullptr) {
    const bool held = !link_options_.deferred ||
                      link_events_.size() < static_cast<size_t>(link_options_.max_held);
    link_events_.push_back(LinkEvent{sequence, doc, held ? shared : nullptr, nullptr});
  } else {
    linked_docs_ = static_cast<int64_t>(records_.size());
  }
  if (indexed != nullptr) *indexed = std::move(shared);
  return absl::OkStatus();
}

absl::Status ArticleIndex::LinkPending(const LinkedCallback& on_linked, int max_events) {
  absl::MutexLock stage(&link_mu_);
  for (int run = 0; max_events <= 0 || run < max_events; ++run) {
    LinkEvent event;
    {
      absl::ReaderMutexLock lock(&mu_);
      if (link_events_.empty()) return absl::OkStatus();
      event = link_events_.front();
    }
    if (event.doc != kNoDoc && event.article == nullptr) {
      ASSIGN_OR_RETURN(event.article, ReadAsIndexed(event.doc));
    }
    std::shared_ptr<Article> linked;
    std::optional<DocId> asked;
    if (event.doc == kNoDoc) {
      linker_->Changed(*event.before, *event.article);
    } else {
      // The linker numbers articles as the index numbers docs: the earlier
      // articles are the docs before this one. Those it reads stay alive
      // until it returns. It reads their bodies, which never change, so
      // they are read from the store outside the index's lock (the store
      // is thread-safe): a slow read holds up neither indexing nor queries.
      linked = std::make_shared<Article>(*event.article);
      const DocId doc = event.doc;
      std::deque<Article> read;  // stays put as it grows
      ArticleLinker::EarlierArticles earlier;
      earlier.id = [this, doc, &asked](uint32_t n) -> std::string {
        absl::ReaderMutexLock lock(&mu_);
        if (n >= doc) return std::string();
        asked = n;
        return std::string(IdOf(n));
      };
      earlier.read = [this, doc, &read](uint32_t n) -> absl::StatusOr<const Article*> {
        if (n >= doc) return nullptr;
        int64_t sequence;
        {
          absl::ReaderMutexLock lock(&mu_);
          sequence = records_[n].sequence;
        }
        ASSIGN_OR_RETURN(std::vector<Article> one, store_->Get({&sequence, 1}));
        read.push_back(std::move(one[0]));
        return &read.back();
      };
      RETURN_IF_ERROR(linker_->Link(linked.get(), earlier));
    }
    {
      absl::WriterMutexLock lock(&mu_);
      if (linked != nullptr) {
        ApplyLinks(event.doc, *linked, asked);
        changed_unlinked_.erase(event.doc);
      }
      link_events_.pop_front();
    }
    if (linked != nullptr && on_linked) on_linked(linked);
  }
  return absl::OkStatus();
}

void ArticleIndex::KeepIfUnlinked(DocId doc, const std::shared_ptr<const Article>& before) {
  if (static_cast<int64_t>(doc) >= linked_docs_) changed_unlinked_.try_emplace(doc, before);
}

absl::StatusOr<std::shared_ptr<const Article>> ArticleIndex::ReadAsIndexed(DocId doc) const {
  int64_t sequence;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto kept = changed_unlinked_.find(doc); kept != changed_unlinked_.end()) {
      return kept->second;
    }
    sequence = records_[doc].sequence;
  }
  ASSIGN_OR_RETURN(std::vector<Article> read, store_->Get({&sequence, 1}));
  // Changed while it was read: the store may have had the change already.
  absl::ReaderMutexLock lock(&mu_);
  if (auto kept = changed_unlinked_.find(doc); kept != changed_unlinked_.end()) {
    return kept->second;
  }
  Article& article = read[0];
  article.story_id.clear();
  article.copy_of.clear();
  article.copy_similarity = 0;
  return std::make_shared<const Article>(std::move(article));
}

void ArticleIndex::ApplyLinks(DocId doc, const Article& linked, std::optional<DocId> asked) {
  DocRecord& record = records_[doc];
  if (!linked.copy_of.empty()) {
    // The original is the earlier doc the linker named: the one whose id it
    // asked for, else the latest earlier doc of that id.
    std::optional<DocId> original;
    if (asked && *asked < doc && IdOf(*asked) == linked.copy_of) {
      original = asked;
    } else if (const std::optional<DocId> found = DocOf(linked.copy_of); found && *found < doc) {
      original = found;
    }
    if (original) {
      copy_links_[doc] = CopyLink{linked.copy_similarity, *original};
    }
  }
  if (!linked.story_id.empty()) {
    // Docs are linked in order: the postings stay sorted.
    stories_[linked.story_id].push_back(doc);
    record.story = story_names_.Intern(linked.story_id, linked.story_id);
  }
  linked_docs_ = static_cast<int64_t>(doc) + 1;
}

int64_t ArticleIndex::LinkedHead() const {
  return link_events_.empty() ? head_ : link_events_.front().sequence - 1;
}

int64_t ArticleIndex::linked_head() const {
  absl::ReaderMutexLock lock(&mu_);
  return LinkedHead();
}

int64_t ArticleIndex::pending_links() const {
  absl::ReaderMutexLock lock(&mu_);
  return static_cast<int64_t>(link_events_.size());
}

int64_t ArticleIndex::WaitForLinked(int64_t sequence, absl::Time deadline) const {
  auto reached = [this, sequence]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return LinkedHead() >= sequence;
  };
  mu_.ReaderLockWhenWithDeadline(absl::Condition(&reached), deadline);
  const int64_t linked = LinkedHead();
  mu_.ReaderUnlock();
  return linked;
}

bool ArticleIndex::WaitForLinkWork(absl::Time deadline) const {
  auto pending = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !link_events_.empty(); };
  const bool found = mu_.ReaderLockWhenWithDeadline(absl::Condition(&pending), deadline);
  mu_.ReaderUnlock();
  return found;
}

int64_t ArticleIndex::Considered(const IndexQuery& query) const {
  return query.ReadsLinks() ? linked_docs_ : static_cast<int64_t>(records_.size());
}

int64_t ArticleIndex::head() const {
  absl::ReaderMutexLock lock(&mu_);
  return head_;
}

ArticleIndex::Sizes ArticleIndex::sizes() const {
  absl::ReaderMutexLock lock(&mu_);
  return {static_cast<int64_t>(records_.size()), static_cast<int64_t>(entities_.size()),
          static_cast<int64_t>(topics_.size())};
}

int64_t ArticleIndex::WaitForHead(int64_t sequence, absl::Time deadline) const {
  auto reached = [this, sequence]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return head_ >= sequence;
  };
  mu_.ReaderLockWhenWithDeadline(absl::Condition(&reached), deadline);
  const int64_t head = head_;
  mu_.ReaderUnlock();
  return head;
}

absl::StatusOr<std::shared_ptr<const Article>> ArticleIndex::Get(
    absl::string_view article_id) const {
  absl::ReaderMutexLock lock(&mu_);
  const std::optional<DocId> doc = DocOf(article_id);
  if (!doc) return nullptr;
  const DocId docs[] = {*doc};
  ASSIGN_OR_RETURN(std::vector<std::shared_ptr<const Article>> read, ReadDocs(docs));
  return std::move(read[0]);
}

std::vector<std::string> ArticleIndex::FindEntityIds(absl::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::string> ids;
  if (FindEntity(name) != nullptr) ids.emplace_back(name);
  if (std::string canonical = aliases_.Canonical(name);
      canonical != name && FindEntity(canonical) != nullptr) {
    ids.push_back(std::move(canonical));
  }
  auto it = entity_keys_.find(name_key_(name));
  if (it != entity_keys_.end()) {
    for (const uint32_t interned : it->second) {
      const std::string& id = entity_names_.keys[interned];
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  return ids;
}

ArticleIndex::Postings ArticleIndex::MentioningDocs(const IndexQuery& query) const {
  // Intervals overlapping [q_start, q_end) start before q_end and, being at
  // most longest_mention_ns_ long, no earlier than q_start - longest.
  auto it = mentions_.begin();
  int64_t q_start = 0;
  if (query.mentioned_start) {
    q_start = absl::ToUnixNanos(*query.mentioned_start);
    it = mentions_.lower_bound(q_start - longest_mention_ns_);
  }
  const auto stop = query.mentioned_end
                        ? mentions_.lower_bound(absl::ToUnixNanos(*query.mentioned_end))
                        : mentions_.end();
  Postings docs;
  for (; it != stop; ++it) {
    if (!query.mentioned_start || it->second.end_ns > q_start) docs.push_back(it->second.doc);
  }
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  return docs;
}

ArticleIndex::QueryWords ArticleIndex::DecodeWords(const IndexQuery& query) const {
  QueryWords out;
  absl::flat_hash_set<absl::string_view> seen;
  bool all_named = true;
  for (const std::string& w : query.words) {
    if (!seen.insert(w).second) continue;
    auto it = words_.find(w);
    out.words.push_back(WordDocs{it == words_.end() ? nullptr : &it->second});
    all_named = all_named && it != words_.end();
  }
  if (!all_named) return out;  // a word no article names: no match
  std::vector<WordDocs*> lists;
  std::vector<const WordPostings*> bitmaps;
  for (WordDocs& w : out.words) {
    if (w.postings->is_bitmap()) {
      bitmaps.push_back(w.postings);
    } else {
      lists.push_back(&w);
    }
  }
  if (lists.empty()) {
    if (!bitmaps.empty()) out.docs = WordPostings::BitmapIntersection(bitmaps);
    return out;
  }
  std::sort(lists.begin(), lists.end(), [](const WordDocs* a, const WordDocs* b) {
    return a->postings->size() < b->postings->size();
  });
  lists[0]->postings->Decode(nullptr, &lists[0]->docs, &lists[0]->counts);
  out.docs = lists[0]->docs;
  for (const WordPostings* bitmap : bitmaps) {
    Postings kept;
    bitmap->Decode(&out.docs, &kept, nullptr);
    out.docs.swap(kept);
  }
  for (size_t i = 1; i < lists.size(); ++i) {
    lists[i]->postings->Decode(&out.docs, &lists[i]->docs, &lists[i]->counts);
    out.docs = lists[i]->docs;
  }
  return out;
}

std::optional<DocSpan> ArticleIndex::CandidateDocs(const IndexQuery& query,
                                                   const QueryWords& words,
                                                   Postings* storage) const {
  static const Postings kEmpty;
  auto lookup = [](const auto& map, const std::string& key) -> const Postings* {
    auto it = map.find(key);
    return it == map.end() ? &kEmpty : &it->second;
  };
  // One condition per entity group, topic, phrase, source, words, mentioned
  // range and story: the lists any of which meets it (the index's own,
  // or the words' and mentioned docs kept in `owned`, whose buffers stay put
  // when it grows).
  std::vector<std::vector<DocSpan>> conditions;
  std::vector<Postings> owned;
  auto any_of = [&](const std::vector<const Postings*>& parts) {
    std::vector<DocSpan>& condition = conditions.emplace_back();
    for (const Postings* part : parts) condition.push_back(*part);
  };
  auto owned_list = [&](Postings docs) {
    owned.push_back(std::move(docs));
    conditions.push_back({owned.back()});
  };
  for (const auto& group : query.entity_groups) {
    std::vector<const Postings*> parts;
    for (const std::string& id : group) {
      const EntityEntry* entry = FindEntity(id);
      parts.push_back(entry == nullptr ? &kEmpty : &entry->postings);
    }
    any_of(parts);
  }
  if (query.has_topic_condition) {
    std::vector<const Postings*> parts;
    for (const std::string& code : query.topic_codes) {
      parts.push_back(lookup(query.exact_topics ? exact_topics_ : topics_, code));
    }
    any_of(parts);
  }
  if (!query.key_phrases.empty()) {
    std::vector<const Postings*> parts;
    for (const std::string& p : query.key_phrases) parts.push_back(lookup(key_phrases_, p));
    any_of(parts);
  }
  if (!query.sources.empty()) {
    std::vector<const Postings*> parts;
    for (const std::string& s : query.sources) parts.push_back(lookup(sources_, s));
    any_of(parts);
  }
  if (!words.words.empty()) conditions.push_back({words.docs});
  if (query.mentioned_start || query.mentioned_end) owned_list(MentioningDocs(query));
  if (!query.story_ids.empty()) {
    std::vector<const Postings*> parts;
    for (const std::string& id : query.story_ids) parts.push_back(lookup(stories_, id));
    any_of(parts);
  }
  if (conditions.empty()) return std::nullopt;
  // The condition with the fewest docs first: only its docs are gathered
  // (the union when it has several lists); each later condition keeps those
  // in any of its lists, galloping through the larger ones, so the union of
  // a large any-of condition is never built.
  auto size_of = [](const std::vector<DocSpan>& condition) {
    size_t n = 0;
    for (const DocSpan list : condition) n += list.size();
    return n;
  };
  std::stable_sort(conditions.begin(), conditions.end(),
                   [&](const std::vector<DocSpan>& a, const std::vector<DocSpan>& b) {
                     return size_of(a) < size_of(b);
                   });
  DocSpan docs;
  if (conditions[0].size() == 1) {
    docs = conditions[0][0];
    // A list of the query's own moves to `storage`, its buffer with it.
    for (Postings& list : owned) {
      if (list.data() == docs.data()) {
        *storage = std::move(list);
        docs = *storage;
      }
    }
  } else {
    *storage = UnionOf(conditions[0]);
    docs = *storage;
  }
  for (size_t i = 1; i < conditions.size() && !docs.empty(); ++i) {
    *storage = conditions[i].size() == 1 ? IntersectionOf(docs, conditions[i][0])
                                         : IntersectionWithUnionOf(docs, conditions[i]);
    docs = *storage;
  }
  return docs;
}

bool ArticleIndex::MatchesFilters(const IndexQuery& query, DocId doc) const {
  return TimeFilter(query).Passes(records_[doc]);
}

int64_t ArticleIndex::CountInTimeRange(const IndexQuery& query, int64_t limit) const {
  const int64_t lo = query.start_time ? absl::ToUnixNanos(*query.start_time)
                                      : std::numeric_limits<int64_t>::min();
  const int64_t hi = query.end_time ? absl::ToUnixNanos(*query.end_time)
                                    : std::numeric_limits<int64_t>::max();
  if (lo >= hi) return 0;
  // Whole days from the day counts, the parts of days at the ends from the
  // time-ordered index.
  const DayCounts::Split split = DayCounts::SplitRange(lo, hi);
  int64_t count = day_counts_.Count(split.first_day, split.end_day);
  for (const auto& [from, to] : split.partial) {
    for (auto it = by_time_.lower_bound(TimeKey{from, 0});
         it != by_time_.end() && it->first < to; ++it) {
      ++count;
    }
  }
  // The docs beyond the snapshot (added since) are taken off.
  for (int64_t doc = std::max<int64_t>(limit, 0);
       doc < static_cast<int64_t>(records_.size()); ++doc) {
    if (MatchesFilters(query, static_cast<DocId>(doc))) --count;
  }
  return count;
}

double ArticleIndex::Relevance(const IndexQuery& query, const QueryWords& words,
                               DocId doc) const {
  const DocRecord& record = records_[doc];
  double score = 0;
  for (const auto& group : query.entity_groups) {
    int best = 0;
    for (const std::string& id : group) {
      auto interned = entity_names_.ids.find(id);
      if (interned == entity_names_.ids.end()) continue;
      const absl::Span<const uint32_t> entities = EntitiesOf(record);
      auto at = std::find(entities.begin(), entities.end(), interned->second);
      if (at != entities.end()) {
        best = std::max<int>(best, MentionsOf(record)[at - entities.begin()]);
      }
    }
    score += std::log1p(best);
  }
  for (const WordDocs& w : words.words) {
    int count = 0;
    if (w.postings != nullptr && w.postings->is_bitmap()) {
      count = w.postings->CountOf(doc);
    } else {
      auto at = std::lower_bound(w.docs.begin(), w.docs.end(), doc);
      if (at != w.docs.end() && *at == doc) count = w.counts[at - w.docs.begin()];
    }
    score += std::log1p(count);
  }
  return score;
}

ArticleIndex::Postings ArticleIndex::ExcludedDocs(const IndexQuery& query) const {
  std::vector<const Postings*> parts;
  for (const std::string& id : query.excluded_entities) {
    if (const EntityEntry* entry = FindEntity(id)) parts.push_back(&entry->postings);
  }
  return Union(parts);
}

template <typename Visit>
void ArticleIndex::VisitMatches(const IndexQuery& query,
                                const std::optional<DocSpan>& candidates,
                                const Postings& excluded, int64_t limit,
                                Visit visit) const {
  const TimeFilter time(query);
  auto consider = [&](DocId doc) {
    if (time.Passes(records_[doc]) &&
        (excluded.empty() || !std::binary_search(excluded.begin(), excluded.end(), doc))) {
      visit(doc);
    }
  };
  if (candidates) {
    // Sorted: the docs below `limit` come first. The records of the docs a
    // few ahead, then their groups, are fetched while this one is visited
    // (counting a large result waits on memory, not on arithmetic). Without
    // a time range or excluded entities every candidate is a match, tested
    // for nothing.
    const DocSpan docs = candidates->subspan(0, CountBelow(*candidates, limit));
    constexpr size_t kRecordsAhead = 16, kGroupsAhead = 8;
    const bool every = !time.any && excluded.empty();
    for (size_t k = 0; k < docs.size(); ++k) {
      if (k + kRecordsAhead < docs.size())
        __builtin_prefetch(&records_[docs[k + kRecordsAhead]]);
      if (k + kGroupsAhead < docs.size()) {
        __builtin_prefetch(groups_.ids.at(records_[docs[k + kGroupsAhead]].groups));
      }
      if (every) {
        visit(docs[k]);
      } else {
        consider(docs[k]);
      }
    }
  } else if (query.start_time || query.end_time) {
    auto it = query.start_time
                  ? by_time_.lower_bound(TimeKey{absl::ToUnixNanos(*query.start_time), 0})
                  : by_time_.begin();
    const auto end = query.end_time
                         ? by_time_.lower_bound(TimeKey{absl::ToUnixNanos(*query.end_time), 0})
                         : by_time_.end();
    for (; it != end; ++it) {
      if (static_cast<int64_t>(it->second) < limit) consider(it->second);
    }
  } else {
    for (DocId doc = 0; static_cast<int64_t>(doc) < limit; ++doc) consider(doc);
  }
}

ArticleIndex::DocId ArticleIndex::DocsUpTo(int64_t sequence) const {
  // Sequences increase with docs.
  size_t lo = 0, hi = records_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (records_[mid].sequence <= sequence) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return static_cast<DocId>(lo);
}

template <typename Emit>
void ArticleIndex::WalkInTimeOrder(const IndexQuery& query, const Cursor* cursor,
                                   Emit emit) const {
  const bool ascending = query.order == SortOrder::kPublishTimeAsc;
  // Walks [first, last) forward or backward; false when emit stopped it.
  auto walk = [ascending, &emit](auto first, auto last, auto doc_of) {
    if (ascending) {
      for (auto it = first; it != last; ++it) {
        if (!emit(doc_of(*it))) return false;
      }
    } else {
      for (auto it = last; it != first;) {
        if (!emit(doc_of(*--it))) return false;
      }
    }
    return true;
  };
  // Timed docs come first in both orders: the keys in [lo, hi), narrowed to
  // those after the cursor.
  if (cursor == nullptr || cursor->has_time) {
    std::optional<TimeKey> lo, hi;
    if (query.start_time) lo = TimeKey{absl::ToUnixNanos(*query.start_time), 0};
    if (query.end_time) hi = TimeKey{absl::ToUnixNanos(*query.end_time), 0};
    if (cursor != nullptr && ascending) {
      const TimeKey after{cursor->time_ns, DocsUpTo(cursor->sequence)};
      if (!lo || *lo < after) lo = after;
    } else if (cursor != nullptr) {
      const TimeKey before{cursor->time_ns, DocsUpTo(cursor->sequence - 1)};
      if (!hi || before < *hi) hi = before;
    }
    if (!lo || !hi || *lo < *hi) {
      const auto first = lo ? by_time_.lower_bound(*lo) : by_time_.begin();
      const auto last = hi ? by_time_.lower_bound(*hi) : by_time_.end();
      if (!walk(first, last, [](const TimeKey& key) { return key.second; })) return;
    }
  }
  if (query.start_time || query.end_time) return;  // a time range leaves them out
  // Then docs of unknown time, in log order.
  auto first = untimed_.begin();
  auto last = untimed_.end();
  if (cursor != nullptr && !cursor->has_time) {
    if (ascending) {
      first = std::lower_bound(untimed_.begin(), untimed_.end(), DocsUpTo(cursor->sequence));
    } else {
      last = std::lower_bound(untimed_.begin(), untimed_.end(),
                              DocsUpTo(cursor->sequence - 1));
    }
  }
  walk(first, last, [](DocId doc) { return doc; });
}

absl::StatusOr<SearchPage> ArticleIndex::Search(const IndexQuery& query,
                                                const Cursor* cursor, int page_size,
                                                int64_t snapshot,
                                                const MatchVisitor* visit_all,
                                                bool count_total) const {
  absl::ReaderMutexLock lock(&mu_);
  SearchPage page;
  const int64_t size = Considered(query);
  const int64_t limit = snapshot > 0 ? std::min(snapshot, size) : size;
  page.snapshot = limit;
  const QueryWords words = DecodeWords(query);
  Postings candidate_storage;
  const std::optional<DocSpan> candidates =
      CandidateDocs(query, words, &candidate_storage);
  const Postings excluded = ExcludedDocs(query);
  auto is_excluded = [&excluded](DocId doc) {
    return !excluded.empty() && std::binary_search(excluded.begin(), excluded.end(), doc);
  };
  const bool has_time_range = query.start_time || query.end_time;

  // With collapse_copies: original doc -> the matching near-copies folded
  // into its hit; the folded docs are neither hits nor counted.
  absl::flat_hash_map<DocId, std::vector<DocId>> folded;
  absl::flat_hash_set<DocId> folded_away;
  if (query.collapse_copies) {
    std::vector<DocId> matched;
    VisitMatches(query, candidates, excluded, limit,
                 [&matched](DocId doc) { matched.push_back(doc); });
    std::sort(matched.begin(), matched.end());
    for (const DocId doc : matched) {
      const DocId original = copy_links_[doc].copy_of;
      if (original == kNoDoc) continue;
      if (std::binary_search(matched.begin(), matched.end(), original)) {
        folded[original].push_back(doc);
        folded_away.insert(doc);
      }
    }
  }
  auto is_folded = [&folded_away](DocId doc) {
    return !folded_away.empty() && folded_away.contains(doc);
  };

  // The count, apart from the page: without a visit, excluded entities or
  // folded copies, from sizes (the snapshot's docs, a list's docs below it,
  // a time range's docs by day); else a pass over postings and records.
  page.total_size = -1;
  const bool plain_count =
      visit_all == nullptr && count_total && excluded.empty() && folded_away.empty();
  if (plain_count && !candidates && !has_time_range) {
    page.total_size = limit;
  } else if (plain_count && candidates && !has_time_range) {
    page.total_size = CountBelow(*candidates, limit);
  } else if (plain_count && !candidates) {
    page.total_size = CountInTimeRange(query, limit);
  } else if (std::optional<KeptDays> kept;
             plain_count && (kept = KeptDaysBelow(query, limit)).has_value()) {
    page.total_size = kept->articles;
  } else if (visit_all != nullptr || count_total) {
    page.total_size = 0;
    VisitMatches(query, candidates, excluded, limit, [&](DocId doc) {
      if (is_folded(doc)) return;
      ++page.total_size;
      if (visit_all != nullptr) (*visit_all)(Matched(doc));
    });
  }

  // The page: up to want + 1 sort keys in order (one more tells `more`).
  struct Key {
    DocId doc;
    double score;
  };
  const size_t want = static_cast<size_t>(std::max(page_size, 0));
  std::vector<Key> keys;
  auto key_of = [this](DocId doc, double score) {
    const DocRecord& r = records_[doc];
    return std::make_tuple(r.has_time, r.time_ns, score, r.sequence);
  };
  auto before = [&](const Key& a, const Key& b) {
    const auto [a_has, a_time, a_score, a_seq] = key_of(a.doc, a.score);
    const auto [b_has, b_time, b_score, b_seq] = key_of(b.doc, b.score);
    return Before(query.order, a_has, a_time, a_score, a_seq, b_has, b_time, b_score, b_seq);
  };
  auto after_cursor = [&](const Key& key) {
    if (cursor == nullptr) return true;
    const auto [has, time, score, seq] = key_of(key.doc, key.score);
    return Before(query.order, cursor->has_time, cursor->time_ns, cursor->score,
                  cursor->sequence, has, time, score, seq);
  };
  auto is_candidate = [&candidates](DocId doc) {
    return !candidates ||
           std::binary_search(candidates->begin(), candidates->end(), doc);
  };
  // Sorting every match after the cursor, the fallback for small candidate
  // sets and for scored relevance.
  auto sort_matches = [&]() {
    VisitMatches(query, candidates, excluded, limit, [&](DocId doc) {
      if (is_folded(doc)) return;
      Key key{doc, 0};
      if (query.order == SortOrder::kRelevance) key.score = Relevance(query, words, doc);
      if (after_cursor(key)) keys.push_back(key);
    });
    const size_t keep = std::min(keys.size(), want + 1);
    std::partial_sort(keys.begin(), keys.begin() + keep, keys.end(), before);
    keys.resize(keep);
  };

  if (query.order == SortOrder::kRelevance) {
    if (query.entity_groups.empty() && query.words.empty()) {
      // Nothing scores: relevance is log order, newest first. Walk the
      // candidates (or all docs) down from the cursor.
      int64_t from = limit;  // exclusive
      if (cursor != nullptr && cursor->score == 0) {
        from = std::min<int64_t>(limit, DocsUpTo(cursor->sequence - 1));
      } else if (cursor != nullptr && cursor->score < 0) {
        from = 0;
      }
      auto consider = [&](DocId doc) {
        if (MatchesFilters(query, doc) && !is_excluded(doc) && !is_folded(doc)) {
          keys.push_back({doc, 0});
        }
        return keys.size() <= want;
      };
      if (candidates) {
        auto it = std::lower_bound(candidates->begin(), candidates->end(),
                                   static_cast<DocId>(from));
        while (it != candidates->begin() && consider(*--it)) {
        }
      } else {
        for (int64_t doc = from; doc > 0 && consider(static_cast<DocId>(doc - 1)); --doc) {
        }
      }
    } else {
      sort_matches();
    }
  } else {
    // A walk of the time-ordered index tests about (want + 1) / selectivity
    // keys with a binary search each; sorting the candidates costs about
    // their number.
    bool walk = true;
    if (candidates) {
      const double n = static_cast<double>(candidates->size());
      const double steps =
          n == 0 ? 0 : static_cast<double>(want + 1) * static_cast<double>(size) / n;
      walk = n > 0 && steps * std::log2(n + 2) < n;
    }
    if (walk) {
      WalkInTimeOrder(query, cursor, [&](DocId doc) {
        if (static_cast<int64_t>(doc) >= limit || is_excluded(doc) || !is_candidate(doc) ||
            is_folded(doc)) {
          return true;
        }
        keys.push_back({doc, 0});
        return keys.size() <= want;
      });
    } else {
      sort_matches();
    }
  }

  page.more = keys.size() > want;
  const size_t keep = std::min(keys.size(), want);
  std::vector<DocId> docs;
  docs.reserve(keep);
  for (size_t i = 0; i < keep; ++i) docs.push_back(keys[i].doc);
  ASSIGN_OR_RETURN(std::vector<StoredArticle> articles, ReadStored(docs, query.summaries));
  std::vector<uint32_t> requested_topics;  // interned; kNoGroup: never interned
  if (query.hit_topics) {
    for (const std::string& code : query.topic_codes) {
      auto it = topic_names_.ids.find(code);
      requested_topics.push_back(it == topic_names_.ids.end() ? kNoGroup : it->second);
    }
  }
  page.hits.reserve(keep);
  for (size_t i = 0; i < keep; ++i) {
    const DocRecord& record = records_[keys[i].doc];
    Hit hit;
    hit.stored = std::move(articles[i]);
    hit.article_id = std::string(IdOf(keys[i].doc));
    if (query.hit_topics) hit.topics = HitTopics(record, requested_topics);
    hit.has_time = record.has_time;
    hit.time_ns = record.time_ns;
    hit.score = query.order == SortOrder::kRelevance
                    ? keys[i].score
                    : Relevance(query, words, keys[i].doc);
    if (auto it = folded.find(keys[i].doc); it != folded.end()) {
      for (const DocId copy : it->second) hit.copy_ids.emplace_back(IdOf(copy));
    }
    page.hits.push_back(std::move(hit));
  }
  return page;
}

absl::StatusOr<std::vector<std::shared_ptr<const Article>>> ArticleIndex::ArticlesAfter(
    int64_t sequence, int max_count) const {
  absl::ReaderMutexLock lock(&mu_);
  // Articles are held in log order, but other log entries (alias changes,
  // topic updates) take sequences too: find the first article after
  // `sequence`.
  std::vector<DocId> docs;
  for (DocId doc = DocsUpTo(sequence);
       doc < records_.size() && static_cast<int>(docs.size()) < max_count; ++doc) {
    docs.push_back(doc);
  }
  return ReadDocs(docs);
}

bool ArticleIndex::EntityMatches(uint32_t id, const EntityEntry& entry,
                                 absl::string_view prefix, EntityType type) const {
  if (type != EntityType::kUnspecified && entry.type != type) return false;
  if (prefix.empty()) return true;
  const std::string key_prefix = name_key_(prefix);
  if (absl::StartsWith(entity_names_.keys[id], absl::AsciiStrToLower(prefix)) ||
      absl::StartsWith(name_key_(DisplayName(id, entry)), key_prefix)) {
    return true;
  }
  bool found = false;
  entry.spellings.ForEach([&](absl::string_view spelling) {
    found = found || absl::StartsWith(name_key_(spelling), key_prefix);
  });
  return found;
}

std::vector<EntityInfo> ArticleIndex::ListEntities(absl::string_view prefix,
                                                   EntityType type) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<EntityInfo> out;
  for (const auto& [id, entry] : entities_) {
    if (EntityMatches(id, entry, prefix, type)) {
      out.push_back(InfoOf(id, entry, /*with_spellings=*/false));
    }
  }
  std::sort(out.begin(), out.end(), [](const EntityInfo& a, const EntityInfo& b) {
    if (a.article_count != b.article_count) return a.article_count > b.article_count;
    return a.id < b.id;
  });
  return out;
}

ArticleIndex::EntityPage ArticleIndex::CoOccurringEntities(
    const std::vector<std::string>& ids, std::optional<absl::Time> start_time,
    std::optional<absl::Time> end_time, absl::string_view prefix, EntityType type,
    const CountCursor* after, size_t page_size) const {
  absl::ReaderMutexLock lock(&mu_);
  // The articles: a union of postings, filtered by time on the records.
  std::vector<const Postings*> lists;
  for (const std::string& id : ids) {
    if (const EntityEntry* entry = FindEntity(id)) lists.push_back(&entry->postings);
  }
  IndexQuery range;
  range.start_time = start_time;
  range.end_time = end_time;
  // Counted by interned id into a dense array, the ids seen listed as they
  // first count; the given entities left out.
  std::vector<uint32_t> counts(entity_names_.keys.size(), 0);
  std::vector<uint32_t> seen;
  for (const std::string& id : ids) {
    // Counted from the start, never listed.
    if (auto it = entity_names_.ids.find(id); it != entity_names_.ids.end())
      counts[it->second] = 1;
  }
  // One entity's postings are read in place.
  Postings merged;
  DocSpan docs;
  if (lists.size() == 1) {
    docs = *lists[0];
  } else {
    merged = Union(lists);
    docs = merged;
  }
  const Postings no_exclusions;
  VisitMatches(range, docs, no_exclusions, static_cast<int64_t>(records_.size()),
               [&](DocId doc) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
                 for (const uint32_t e : EntitiesOf(records_[doc])) {
                   if (counts[e]++ == 0) seen.push_back(e);
                 }
               });
  // Every entity a counted article names is indexed (its postings hold the
  // article), so only the prefix and type filters look entries up.
  if (!prefix.empty() || type != EntityType::kUnspecified) {
    seen.erase(std::remove_if(seen.begin(), seen.end(),
                              [&](uint32_t e) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
                                auto it = entities_.find(e);
                                return it == entities_.end() ||
                                       !EntityMatches(e, it->second, prefix, type);
                              }),
               seen.end());
  }
  EntityPage page;
  page.total = static_cast<int64_t>(seen.size());
  // The entries after the cursor, then the page of them (and one more, which
  // tells `more`) ordered by count and id: the largest counts selected on
  // integers, keeping every entity tied with the last one kept, so that only
  // those are compared by id.
  if (after != nullptr) {
    seen.erase(std::remove_if(seen.begin(), seen.end(),
                              [&](uint32_t e) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
                                const int64_t c = counts[e];
                                return c > after->count ||
                                       (c == after->count && entity_names_.keys[e] <= after->id);
                              }),
               seen.end());
  }
  const size_t want = page_size + 1;
  if (seen.size() > want) {
    auto larger = [&counts](uint32_t a, uint32_t b) { return counts[a] > counts[b]; };
    std::nth_element(seen.begin(), seen.begin() + (want - 1), seen.end(), larger);
    const uint32_t least = counts[seen[want - 1]];
    seen.erase(std::partition(seen.begin() + want, seen.end(),
                              [&counts, least](uint32_t e) { return counts[e] >= least; }),
               seen.end());
  }
  std::sort(seen.begin(), seen.end(), [&](uint32_t a, uint32_t b) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return entity_names_.keys[a] < entity_names_.keys[b];
  });
  page.more = seen.size() > page_size;
  seen.resize(std::min(seen.size(), page_size));
  page.entities.reserve(seen.size());
  for (const uint32_t e : seen) {
    page.entities.push_back(InfoOf(e, entities_.at(e), /*with_spellings=*/false));
    page.entities.back().cooccurrence_count = counts[e];
  }
  return page;
}

std::optional<EntityInfo> ArticleIndex::GetEntity(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto interned = entity_names_.ids.find(id);
  if (interned == entity_names_.ids.end()) return std::nullopt;
  auto it = entities_.find(interned->second);
  if (it == entities_.end()) return std::nullopt;
  return InfoOf(interned->second, it->second);
}

void ArticleIndex::ForEachMatch(const IndexQuery& query, const MatchVisitor& visit) const {
  absl::ReaderMutexLock lock(&mu_);
  const QueryWords words = DecodeWords(query);
  Postings candidate_storage;
  VisitMatches(query, CandidateDocs(query, words, &candidate_storage),
               ExcludedDocs(query), Considered(query),
               [&](DocId doc) { visit(Matched(doc)); });
}

uint32_t ArticleIndex::Interner::Intern(absl::string_view key, absl::string_view label) {
  auto [it, inserted] = ids.try_emplace(key, static_cast<uint32_t>(keys.size()));
  if (inserted) {
    keys.emplace_back(key);
    labels.emplace_back(label);
  }
  return it->second;
}

uint32_t ArticleIndex::InternTopic(absl::string_view code) {
  if (auto it = topic_names_.ids.find(code); it != topic_names_.ids.end()) return it->second;
  const Taxonomy::Topic* topic = taxonomy_->Find(code);
  const uint32_t id = topic_names_.Intern(code, topic != nullptr ? topic->label : "");
  // Interned before its ancestors, so that a cycle in a malformed taxonomy
  // ends.
  std::vector<uint32_t> above;
  for (const std::string& ancestor : taxonomy_->Ancestors(code)) {
    above.push_back(InternTopic(ancestor));
  }
  topic_ancestors_.resize(topic_names_.keys.size());
  topic_ancestors_[id] = std::move(above);
  return id;
}

std::vector<HitTopic> ArticleIndex::HitTopics(const DocRecord& record,
                                              absl::Span<const uint32_t> requested) const {
  std::vector<HitTopic> out;
  const absl::Span<const uint32_t> topics = TopicsOf(record);
  const uint16_t* const kinds =
      groups_.mentions.at(record.groups) + 2 + groups_.ids[record.groups];
  for (size_t i = 0; i < topics.size() && kinds[i] != 0; ++i) {
    const std::vector<uint32_t>& above = topic_ancestors_[topics[i]];
    HitTopic topic;
    for (size_t k = 0; k < requested.size(); ++k) {
      if (requested[k] == topics[i] ||
          std::find(above.begin(), above.end(), requested[k]) != above.end()) {
        topic.satisfies.push_back(static_cast<uint32_t>(k));
      }
    }
    if (topic.satisfies.empty()) continue;
    topic.code = topic_names_.keys[topics[i]];
    topic.implied = kinds[i] == kImpliedTopic;
    out.push_back(std::move(topic));
  }
  return out;
}

const ArticleIndex::Interner& ArticleIndex::InternerOf(GroupBy group_by) const {
  switch (group_by) {
    case GroupBy::kEntity:
      return entity_names_;
    case GroupBy::kTopic:
      return topic_names_;
    case GroupBy::kStory:
      return story_names_;
    case GroupBy::kSource:
    case GroupBy::kNone:
      break;
  }
  return source_names_;
}

void ArticleIndex::InternGroups(DocId doc, const Article& article) {
  // The doc's run: its distinct entities (with the most mentions of each),
  // then its topics (see GroupArena).
  std::vector<uint32_t> ids;
  std::vector<uint16_t> mentions;
  for (const ArticleEntity& e : article.entities) {
    const uint32_t id = entity_names_.Intern(e.id, e.display_name);
    const uint16_t count = static_cast<uint16_t>(std::clamp(e.mention_count, 0, 65535));
    auto at = std::find(ids.begin(), ids.end(), id);
    if (at == ids.end()) {
      ids.push_back(id);
      mentions.push_back(count);
    } else {
      uint16_t& best = mentions[at - ids.begin()];
      best = std::max(best, count);
    }
  }
  const size_t entity_count = ids.size();
  auto listed = [&ids, entity_count](uint32_t id) {
    return std::find(ids.begin() + entity_count, ids.end(), id) != ids.end();
  };
  for (const bool implied : {false, true}) {
    for (const ArticleTopic& t : article.topics) {
      if (t.implied != implied) continue;
      const uint32_t id = InternTopic(t.code);
      if (listed(id)) continue;  // an implied topic also assigned reads as assigned
      ids.push_back(id);
      mentions.push_back(implied ? kImpliedTopic : kAssignedTopic);
    }
  }
  const size_t own_end = ids.size();
  for (size_t i = entity_count; i < own_end; ++i) {
    for (const uint32_t ancestor : topic_ancestors_[ids[i]]) {
      if (!listed(ancestor)) ids.push_back(ancestor);
    }
  }
  std::sort(ids.begin() + own_end, ids.end());
  mentions.resize(ids.size(), 0);

  // The run: the two counts, then the ids.
  const auto topic_count = static_cast<uint32_t>(ids.size() - entity_count);
  ids.insert(ids.begin(), {static_cast<uint32_t>(entity_count), topic_count});
  mentions.insert(mentions.begin(), 2, 0);

  DocRecord& record = records_[doc];
  if (record.groups != kNoGroup) CountTopicGroups(record, -1);
  const size_t old_size = record.groups == kNoGroup ? 0 : groups_.RunSize(record.groups);
  if (ids.size() > old_size) {
    // A new run at the end; the old one (if any) is left behind.
    groups_.unused += old_size;
    CHECK_LT(groups_.ids.size() + ids.size() + decltype(groups_.ids)::kChunkSize,
             size_t{kNoGroup})
        << "group arena full";
    record.groups = groups_.NewRun(ids.size());
  } else {
    groups_.unused += old_size - ids.size();
  }
  std::copy(ids.begin(), ids.end(), groups_.ids.at(record.groups));
  std::copy(mentions.begin(), mentions.end(), groups_.mentions.at(record.groups));
  CountTopicGroups(record, 1);
  if (groups_.unused > 0 && groups_.unused * 2 > groups_.ids.size()) CompactGroups();
}

void ArticleIndex::GroupCounts::Count(absl::Span<const uint32_t> entity_ids, uint32_t source,
                                      int delta) {
  auto bump = [delta](absl::flat_hash_map<uint32_t, uint32_t>& counts, uint32_t id) {
    if (delta > 0) {
      ++counts[id];
      return;
    }
    auto it = counts.find(id);
    CHECK(it != counts.end()) << "a topic's group count went below zero";
    if (--it->second == 0) counts.erase(it);
  };
  CHECK(delta > 0 || docs > 0) << "a topic's doc count went below zero";
  docs += delta;
  for (const uint32_t entity : entity_ids) bump(entities, entity);
  if (source != kNoGroup) bump(sources, source);
}

int32_t ArticleIndex::MonthOf(int64_t time_ns) {
  const absl::CivilMonth month(absl::ToCivilDay(absl::FromUnixNanos(time_ns), absl::UTCTimeZone()));
  return static_cast<int32_t>((month.year() - 1970) * 12 + (month.month() - 1));
}

int64_t ArticleIndex::MonthStart(int64_t month) {
  return absl::ToUnixNanos(absl::FromCivil(absl::CivilMonth(1970, 1) + month, absl::UTCTimeZone()));
}

void ArticleIndex::CountTopicGroups(const DocRecord& record, int delta) {
  const absl::Span<const uint32_t> entities = EntitiesOf(record);
  const int32_t month = record.has_time ? MonthOf(record.time_ns) : 0;
  for (const uint32_t topic : TopicsOf(record)) {
    if (topic >= topic_groups_.size()) topic_groups_.resize(size_t{topic} + 1);
    TopicGroups& groups = topic_groups_[topic];
    groups.all.Count(entities, record.source, delta);
    if (groups.by_month) {
      if (!record.has_time) continue;
      auto it = groups.months.try_emplace(month).first;
      it->second.Count(entities, record.source, delta);
      if (it->second.docs == 0) groups.months.erase(it);
    } else if (delta > 0 &&
               groups.all.docs >= static_cast<uint32_t>(std::max(kept_counts_.month_min_docs, 0))) {
      // From the topic's postings, which hold this doc (with this run) too.
      groups.by_month = true;
      auto postings = topics_.find(topic_names_.keys[topic]);
      CHECK(postings != topics_.end()) << "a topic with docs has postings";
      for (const DocId doc : postings->second) {
        const DocRecord& r = records_[doc];
        if (r.has_time) groups.months[MonthOf(r.time_ns)].Count(EntitiesOf(r), r.source, 1);
      }
    }
  }
}

bool ArticleIndex::KeepsGroupCounts(const IndexQuery& query, GroupBy group_by) {
  const bool one_topic = query.has_topic_condition && query.topic_codes.size() == 1 &&
                         !query.exact_topics && query.entity_groups.empty() &&
                         query.excluded_entities.empty() && query.key_phrases.empty() &&
                         query.sources.empty() && query.words.empty() && !query.mentioned_start &&
                         !query.mentioned_end && !query.ReadsLinks();
  return one_topic && (group_by == GroupBy::kEntity || group_by == GroupBy::kSource);
}

std::optional<ArticleIndex::KeptCounts> ArticleIndex::KeptGroupCounts(
    const IndexQuery& query, GroupBy group_by, int64_t snapshot) const {
  if (!KeepsGroupCounts(query, group_by)) return std::nullopt;
  absl::ReaderMutexLock lock(&mu_);
  KeptCounts out;
  const auto postings = topics_.find(query.topic_codes[0]);
  const auto interned = topic_names_.ids.find(query.topic_codes[0]);
  if (postings == topics_.end() || interned == topic_names_.ids.end() ||
      interned->second >= topic_groups_.size()) {
    return out;  // no article has the topic
  }
  const int64_t size = Considered(query);
  const int64_t limit = snapshot > 0 ? std::min(snapshot, size) : size;
  const DocSpan docs(postings->second);
  if (query.start_time || query.end_time) {
    return KeptInTimeRange(query, interned->second, docs, group_by, limit);
  }
  const size_t below = CountBelow(docs, limit);
  out.articles = static_cast<int64_t>(below);
  // The docs beyond the snapshot (added since) are taken off.
  absl::flat_hash_map<uint32_t, int64_t> later;
  for (const DocId doc : docs.subspan(below)) {
    const DocRecord& record = records_[doc];
    if (group_by == GroupBy::kEntity) {
      for (const uint32_t entity : EntitiesOf(record)) ++later[entity];
    } else if (record.source != kNoGroup) {
      ++later[record.source];
    }
  }
  const GroupCounts& kept = topic_groups_[interned->second].all;
  const absl::flat_hash_map<uint32_t, uint32_t>& counts =
      group_by == GroupBy::kEntity ? kept.entities : kept.sources;
  out.groups.reserve(counts.size());
  for (const auto& [id, count] : counts) {
    int64_t n = count;
    if (!later.empty()) {
      if (auto it = later.find(id); it != later.end()) n -= it->second;
    }
    if (n > 0) out.groups.emplace_back(id, n);
  }
  return out;
}

std::optional<ArticleIndex::KeptDays> ArticleIndex::KeptDayCounts(const IndexQuery& query,
                                                                  int64_t snapshot) const {
  absl::ReaderMutexLock lock(&mu_);
  const int64_t size = Considered(query);
  return KeptDaysBelow(query, snapshot > 0 ? std::min(snapshot, size) : size);
}

std::optional<ArticleIndex::KeptDays> ArticleIndex::KeptDaysBelow(const IndexQuery& query,
                                                                  int64_t limit) const {
  const bool one_entity = query.entity_groups.size() == 1 && query.entity_groups[0].size() == 1 &&
                          !query.has_topic_condition && query.excluded_entities.empty() &&
                          query.key_phrases.empty() && query.sources.empty() &&
                          query.words.empty() && !query.mentioned_start && !query.mentioned_end &&
                          !query.ReadsLinks();
  if (!one_entity) return std::nullopt;
  const EntityEntry* entry = FindEntity(query.entity_groups[0][0]);
  if (entry == nullptr || entry->days == nullptr) return std::nullopt;
  const TimeFilter range(query);
  const int64_t lo = range.lo;
  const int64_t hi = range.has_end ? range.hi : std::numeric_limits<int64_t>::max();
  KeptDays out;
  if (lo >= hi) return out;
  const DocSpan docs(entry->postings);
  const size_t below = CountBelow(docs, limit);
  // The days wholly inside the range (every day without one) from the
  // entity's days, the docs of the parts of days at its ends counted.
  DayCounts::Split split;
  if (range.any) {
    split = DayCounts::SplitRange(lo, hi);
  } else {
    split.first_day = std::numeric_limits<int64_t>::min();
    split.end_day = std::numeric_limits<int64_t>::max();
  }
  entry->days->ForEachDay(split.first_day, split.end_day,
                          [&out](int64_t day, int64_t n) { out.days.emplace_back(day, n); });
  for (const auto& [from, to] : split.partial) {
    for (auto it = by_time_.lower_bound(TimeKey{from, 0}); it != by_time_.end() && it->first < to;
         ++it) {
      if (it->second >= limit || !std::binary_search(docs.begin(), docs.end(), it->second)) {
        continue;
      }
      const int64_t day = DayCounts::DayOf(it->first);
      if (out.days.empty() || out.days.back().first != day) out.days.emplace_back(day, 0);
      ++out.days.back().second;
    }
  }
  std::sort(out.days.begin(), out.days.end());
  // The docs beyond the snapshot (added since) that the whole days hold are
  // taken off.
  for (const DocId doc : docs.subspan(below)) {
    const DocRecord& r = records_[doc];
    if (!r.has_time || !range.Passes(r)) continue;
    const int64_t day = DayCounts::DayOf(r.time_ns);
    if (day < split.first_day || day >= split.end_day) continue;
    auto at = std::lower_bound(out.days.begin(), out.days.end(), std::make_pair(day, int64_t{0}));
    if (at != out.days.end() && at->first == day) --at->second;
  }
  out.days.erase(std::remove_if(out.days.begin(), out.days.end(),
                                [](const std::pair<int64_t, int64_t>& d) { return d.second <= 0; }),
                 out.days.end());
  if (range.any) {
    for (const auto& [day, n] : out.days) out.articles += n;
  } else {
    out.articles = static_cast<int64_t>(below);  // those of unknown time too
  }
  return out;
}

ArticleIndex::KeptCounts ArticleIndex::KeptInTimeRange(const IndexQuery& query, uint32_t topic,
                                                       DocSpan docs, GroupBy group_by,
                                                       int64_t limit) const {
  const TimeFilter range(query);
  const int64_t lo = range.lo;
  const int64_t hi = range.has_end ? range.hi : std::numeric_limits<int64_t>::max();
  KeptCounts out;
  if (lo >= hi) return out;
  // Counts by interned group, added up from months and docs.
  std::vector<int32_t> counts(InternerOf(group_by).keys.size(), 0);
  auto count_doc = [&](const DocRecord& r, int delta) {
    out.articles += delta;
    if (group_by == GroupBy::kEntity) {
      for (const uint32_t entity : EntitiesOf(r)) counts[entity] += delta;
    } else if (r.source != kNoGroup) {
      counts[r.source] += delta;
    }
  };

  // The calendar months wholly inside the range, [whole_lo, whole_hi) in
  // time (to the end when the range has none), from the topic's months when
  // it keeps them.
  const TopicGroups& kept = topic_groups_[topic];
  int64_t whole_lo = 0;
  int64_t whole_hi = 0;  // none
  bool whole_to_end = false;
  if (kept.by_month) {
    constexpr int64_t kOpen = std::numeric_limits<int32_t>::max();
    const bool lo_open = lo == std::numeric_limits<int64_t>::min();
    const int64_t first = lo_open ? -kOpen : MonthOf(lo) + (MonthStart(MonthOf(lo)) == lo ? 0 : 1);
    const int64_t end = range.has_end ? MonthOf(hi) : kOpen;
    if (first < end) {
      whole_lo = lo_open ? lo : MonthStart(first);
      whole_hi = range.has_end ? MonthStart(end) : hi;
      whole_to_end = !range.has_end;
      for (auto it = kept.months.lower_bound(static_cast<int32_t>(first));
           it != kept.months.end() && it->first < end; ++it) {
        const GroupCounts& month = it->second;
        out.articles += month.docs;
        const auto& groups = group_by == GroupBy::kEntity ? month.entities : month.sources;
        for (const auto& [id, n] : groups) counts[id] += static_cast<int32_t>(n);
      }
    }
  }
  auto in_whole = [whole_lo, whole_hi, whole_to_end](const DocRecord& r) {
    return r.has_time && r.time_ns >= whole_lo && (whole_to_end || r.time_ns < whole_hi);
  };

  // The rest of the range (the partial months at its ends, or all of it):
  // its docs below the limit, from the time-ordered index when it holds
  // fewer docs there than the topic has, else from the topic's docs.
  std::vector<std::pair<int64_t, int64_t>> rest;  // [from, to) in time
  if (whole_lo >= whole_hi && !whole_to_end) {
    rest.emplace_back(lo, hi);
  } else if (!whole_to_end) {
    if (lo < whole_lo) rest.emplace_back(lo, whole_lo);
    if (whole_hi < hi) rest.emplace_back(whole_hi, hi);
  } else if (lo < whole_lo) {
    rest.emplace_back(lo, whole_lo);
  }
  int64_t in_rest = 0;  // docs of any topic there, by whole days (an estimate)
  for (const auto& [from, to] : rest) {
    if (from == std::numeric_limits<int64_t>::min() || to == std::numeric_limits<int64_t>::max()) {
      in_rest = std::numeric_limits<int64_t>::max();
      break;
    }
    in_rest += day_counts_.Count(DayCounts::DayOf(from), DayCounts::DayOf(to - 1) + 1);
  }
  const size_t below = CountBelow(docs, limit);
  if (in_rest < static_cast<int64_t>(below)) {
    for (const auto& [from, to] : rest) {
      for (auto it = by_time_.lower_bound(TimeKey{from, 0}); it != by_time_.end() && it->first < to;
           ++it) {
        if (it->second >= limit) continue;
        const DocRecord& r = records_[it->second];
        const absl::Span<const uint32_t> topics = TopicsOf(r);
        if (std::find(topics.begin(), topics.end(), topic) != topics.end()) count_doc(r, 1);
      }
    }
  } else {
    for (const DocId doc : docs.subspan(0, below)) {
      const DocRecord& r = records_[doc];
      if (range.Passes(r) && !in_whole(r)) count_doc(r, 1);
    }
  }
  // The docs beyond the snapshot (added since) that the months hold are
  // taken off.
  for (const DocId doc : docs.subspan(below)) {
    const DocRecord& r = records_[doc];
    if (in_whole(r)) count_doc(r, -1);
  }
  for (uint32_t id = 0; id < counts.size(); ++id) {
    if (counts[id] > 0) out.groups.emplace_back(id, counts[id]);
  }
  return out;
}

void ArticleIndex::CompactGroups() {
  GroupArena compact;
  for (size_t doc = 0; doc < records_.size(); ++doc) {
    DocRecord& record = records_[doc];
    const size_t size = groups_.RunSize(record.groups);
    const uint32_t at = compact.NewRun(size);
    std::copy_n(groups_.ids.at(record.groups), size, compact.ids.at(at));
    std::copy_n(groups_.mentions.at(record.groups), size, compact.mentions.at(at));
    record.groups = at;
  }
  groups_ = std::move(compact);
}

MatchedDoc ArticleIndex::Matched(DocId doc) const {
  const DocRecord& record = records_[doc];
  MatchedDoc matched;
  matched.sequence = record.sequence;
  matched.entities = EntitiesOf(record);
  matched.topics = TopicsOf(record);
  if (record.source != kNoGroup) matched.source = record.source;
  if (record.story != kNoGroup) matched.story = record.story;
  matched.has_time = record.has_time;
  matched.time_ns = record.time_ns;
  return matched;
}

std::vector<GroupName> ArticleIndex::GroupNames(GroupBy group_by,
                                                const std::vector<uint32_t>& ids) const {
  absl::ReaderMutexLock lock(&mu_);
  const Interner& names = InternerOf(group_by);
  std::vector<GroupName> out;
  out.reserve(ids.size());
  for (const uint32_t id : ids) {
    GroupName name{names.keys.at(id), names.labels.at(id)};
    if (group_by == GroupBy::kEntity) {
      // The display name as the entity is known now (alias changes move it).
      if (auto it = entities_.find(id); it != entities_.end()) {
        name.label = std::string(DisplayName(id, it->second));
      }
    }
    out.push_back(std::move(name));
  }
  return out;
}

std::optional<uint32_t> ArticleIndex::GroupId(GroupBy group_by, absl::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  const Interner& names = InternerOf(group_by);
  auto it = names.ids.find(key);
  if (it == names.ids.end()) return std::nullopt;
  return it->second;
}

ArticleIndex::MemoryUsage ArticleIndex::Memory() const {
  absl::ReaderMutexLock lock(&mu_);
  MemoryUsage m;
  m.records = records_.HeapBytes() + copy_links_.HeapBytes() + groups_.ids.HeapBytes() +
              groups_.mentions.HeapBytes() +
              static_cast<int64_t>(ids_.HeapBytes()) +
              HashBytes(by_id_, [](DocId) { return 0; });
  m.summaries = static_cast<int64_t>(summaries_.HeapBytes());
  m.entities = HashBytes(entities_, [](const auto& e) {
    const EntityEntry& entry = e.second;
    return HeapBytes(entry.display_name) +
           static_cast<int64_t>(entry.spellings.HeapBytes()) + HeapBytes(entry.postings);
  });
  for (const auto& [id, entry] : entities_) {
    if (entry.days != nullptr) {
      m.entity_days += static_cast<int64_t>(sizeof(DayCounts)) + entry.days->HeapBytes();
    }
  }
  m.entities += HashBytes(entity_keys_, [](const auto& e) {
    const int64_t ids = e.second.capacity() > 1
                            ? static_cast<int64_t>(e.second.capacity() * sizeof(uint32_t))
                            : 0;
    return HeapBytes(e.first) + ids;
  });
  m.words = HashBytes(words_, [](const auto& e) {
    return HeapBytes(e.first) + e.second.HeapBytes();
  });
  m.word_bitmaps = static_cast<int64_t>(bitmap_words_.size());
  auto postings = [](const auto& map) {
    return HashBytes(
        map, [](const auto& e) { return HeapBytes(e.first) + HeapBytes(e.second); });
  };
  m.postings = postings(topics_) + postings(exact_topics_) + postings(key_phrases_) +
               postings(sources_) + postings(stories_);
  m.time = TreeBytes(by_time_) + HeapBytes(untimed_) + day_counts_.HeapBytes();
  m.mentions = TreeBytes(mentions_);
  for (const Interner* names :
       {&entity_names_, &topic_names_, &source_names_, &story_names_}) {
    m.interned +=
        HashBytes(names->ids, [](const auto& e) { return HeapBytes(e.first); }) +
        HeapBytes(names->keys) + HeapBytes(names->labels);
    for (const std::string& key : names->keys) m.interned += HeapBytes(key);
    for (const std::string& label : names->labels) m.interned += HeapBytes(label);
  }
  m.facets = HeapBytes(topic_groups_);
  auto group_bytes = [](const GroupCounts& counts) {
    return HashBytes(counts.entities, [](const auto&) { return 0; }) +
           HashBytes(counts.sources, [](const auto&) { return 0; });
  };
  for (const TopicGroups& groups : topic_groups_) {
    m.facets += group_bytes(groups.all) + TreeBytes(groups.months);
    for (const auto& [month, counts] : groups.months) m.facets += group_bytes(counts);
  }
  m.interned += HeapBytes(topic_ancestors_);
  for (const std::vector<uint32_t>& above : topic_ancestors_) m.interned += HeapBytes(above);
  return m;
}

}  // namespace newsdesk::query
