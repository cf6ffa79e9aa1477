// A hash table that grows without a pause. An absl flat hash table that
// fills up moves every element into a table twice its size within one
// insertion: at a million elements that insertion takes a few hundred
// milliseconds, and the index holds its writer lock meanwhile, so indexing
// and queries both wait. GradualTable<Table> wraps such a table
// (absl::flat_hash_map or absl::flat_hash_set). When the table is about to
// grow it becomes the old table, a new one with room for twice as many
// elements takes the insertions, and each insertion moves a few elements
// (kMovesPerInsertion) from the old table to the new one, so the old one is
// empty long before the new one fills. While both hold elements a lookup
// may probe both.
//
// The interface is the part of the flat table's that the index uses, with
// the same meaning. Iterators and references to elements are invalidated by
// an insertion of a new key (as a flat table's may be) and by nothing else;
// an erasure invalidates only the erased element's. Iteration visits every
// element once, in no particular order.
#ifndef QUERY_SERVICE_INDEX_GRADUAL_TABLE_H_
#define QUERY_SERVICE_INDEX_GRADUAL_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>
#include <utility>

#include "glog/logging.h"

namespace newsdesk::query {

template <typename Table>
class GradualTable {
 public:
  using key_type = typename Table::key_type;
  using value_type = typename Table::value_type;
  using hasher = typename Table::hasher;
  using key_equal = typename Table::key_equal;

  // A table of fewer elements grows at once, as the flat table does: moving
  // it costs less than a millisecond.
  static constexpr size_t kMinGradualSize = size_t{1} << 14;
  // Elements moved from the old table at each insertion. The new table has
  // room for twice the old one's elements, so it takes at least as many
  // insertions again before it fills: the old one is empty long before.
  static constexpr size_t kMovesPerInsertion = 4;

  explicit GradualTable(const hasher& hash = hasher(), const key_equal& eq = key_equal())
      : new_(0, hash, eq), old_(0, hash, eq), moving_(old_.end()) {}
  GradualTable(const GradualTable&) = delete;
  GradualTable& operator=(const GradualTable&) = delete;

  template <bool kConst>
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = typename Table::value_type;
    using difference_type = std::ptrdiff_t;
    using reference =
        std::conditional_t<kConst, typename Table::const_reference, typename Table::reference>;
    using pointer =
        std::conditional_t<kConst, typename Table::const_pointer, typename Table::pointer>;
    using Owner = std::conditional_t<kConst, const GradualTable, GradualTable>;
    using Inner =
        std::conditional_t<kConst, typename Table::const_iterator, typename Table::iterator>;

    Iterator() = default;
    // A mutable iterator converts to a const one.
    template <bool kOther, typename = std::enable_if_t<kConst && !kOther>>
    Iterator(const Iterator<kOther>& other)  // NOLINT: implicit, as the flat table's
        : owner_(other.owner_), in_old_(other.in_old_), at_(other.at_) {}

    reference operator*() const { return *at_; }
    pointer operator->() const { return &*at_; }
    Iterator& operator++() {
      ++at_;
      SkipToOld();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) {
      return a.in_old_ == b.in_old_ && a.at_ == b.at_;
    }
    friend bool operator!=(const Iterator& a, const Iterator& b) { return !(a == b); }

   private:
    friend class GradualTable;
    template <bool>
    friend class Iterator;
    Iterator(Owner* owner, bool in_old, Inner at) : owner_(owner), in_old_(in_old), at_(at) {
      SkipToOld();
    }
    // The end of the new table goes on at the beginning of the old one.
    void SkipToOld() {
      if (!in_old_ && at_ == owner_->new_.end()) {
        in_old_ = true;
        at_ = owner_->old_.begin();
      }
    }

    Owner* owner_ = nullptr;
    bool in_old_ = true;
    Inner at_;
  };
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;

  iterator begin() { return iterator(this, false, new_.begin()); }
  iterator end() { return iterator(this, true, old_.end()); }
  const_iterator begin() const { return const_iterator(this, false, new_.begin()); }
  const_iterator end() const { return const_iterator(this, true, old_.end()); }

  size_t size() const { return new_.size() + old_.size(); }
  bool empty() const { return size() == 0; }
  // Slots of both tables, for memory estimates.
  size_t capacity() const { return new_.capacity() + old_.capacity(); }
  // True while elements move from the old table to the new one.
  bool growing() const { return !old_.empty(); }
  // Insertions during which the flat table grew all at once: 0 unless a
  // table smaller than kMinGradualSize grew, or the flat table grew earlier
  // than GradualTable expects (see StartsGrowing).
  int64_t sudden_growths() const { return sudden_growths_; }

  template <typename K>
  iterator find(const K& key) {
    if (auto it = new_.find(key); it != new_.end()) return iterator(this, false, it);
    return iterator(this, true, old_.empty() ? old_.end() : old_.find(key));
  }
  template <typename K>
  const_iterator find(const K& key) const {
    if (auto it = new_.find(key); it != new_.end()) return const_iterator(this, false, it);
    return const_iterator(this, true, old_.empty() ? old_.end() : old_.find(key));
  }
  template <typename K>
  bool contains(const K& key) const {
    return find(key) != end();
  }
  template <typename K>
  const auto& at(const K& key) const {
    const_iterator it = find(key);
    CHECK(it != end()) << "GradualTable::at: no such key";
    return it->second;
  }

  // Maps.
  template <typename K, typename... Args>
  std::pair<iterator, bool> try_emplace(K&& key, Args&&... args) {
    if (iterator it = find(key); it != end()) return {it, false};
    BeforeInsertion();
    const size_t capacity = new_.capacity();
    auto [it, inserted] = new_.try_emplace(std::forward<K>(key), std::forward<Args>(args)...);
    AfterInsertion(capacity);
    return {iterator(this, false, it), inserted};
  }
  template <typename K>
  auto& operator[](K&& key) {
    return try_emplace(std::forward<K>(key)).first->second;
  }

  // Sets.
  template <typename V>
  std::pair<iterator, bool> insert(V&& value) {
    if (iterator it = find(value); it != end()) return {it, false};
    BeforeInsertion();
    const size_t capacity = new_.capacity();
    auto [it, inserted] = new_.insert(std::forward<V>(value));
    AfterInsertion(capacity);
    return {iterator(this, false, it), inserted};
  }

  void erase(iterator it) {
    if (!it.in_old_) {
      new_.erase(it.at_);
      return;
    }
    if (it.at_ == moving_) ++moving_;
    old_.erase(it.at_);
  }
  template <typename K>
  size_t erase(const K& key) {
    iterator it = find(key);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }

 private:
  // Starts growing when the table holds 3/4 of its slots: an absl flat
  // table grows once 7/8 are used, or, with erased slots among them, once
  // more than 25/32 are, and must not grow before this does.
  bool StartsGrowing() const {
    const size_t capacity = new_.capacity();
    return new_.size() >= kMinGradualSize && new_.size() >= capacity - capacity / 4;
  }

  void BeforeInsertion() {
    for (size_t n = 0; n < kMovesPerInsertion && moving_ != old_.end(); ++n) {
      new_.insert(old_.extract(moving_++));
    }
    // Every element of the old table has moved or was erased: its slots go.
    if (old_.empty() && old_.capacity() > 0) {
      old_ = Table(0, new_.hash_function(), new_.key_eq());
      moving_ = old_.end();
    }
    if (growing() || !StartsGrowing()) return;
    Table bigger(0, new_.hash_function(), new_.key_eq());
    bigger.reserve(2 * new_.size());
    old_ = std::move(new_);
    new_ = std::move(bigger);
    moving_ = old_.begin();
  }

  void AfterInsertion(size_t capacity_before) {
    if (new_.capacity() != capacity_before && capacity_before > 0 &&
        new_.size() > kMinGradualSize) {
      ++sudden_growths_;
    }
  }

  Table new_;                        // takes every insertion
  Table old_;                        // empty unless growing
  typename Table::iterator moving_;  // the next element of old_ to move
  int64_t sudden_growths_ = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_GRADUAL_TABLE_H_
