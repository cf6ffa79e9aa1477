// The ingest service's side of the alias table. Each edit is checked
// against the table (AliasTable::Prepare*), given the next version and the
// time, stored durably in the article log and the table's history
// (AliasChangeStore), and only then applied to the table the Ingestor links
// new articles with. Edits are serialized: one at a time in a process.
//
// Several ingest replicas sharing one JetStream log each run an editor over
// the same history. The store takes a version only once (AppendAliasChange
// answers ABORTED to the replica that comes second), so the history stays
// one line: before each edit an editor applies the changes others stored,
// and when it loses a race it does so again and prepares the edit anew.
// Refresh() brings the table up to date between edits, for linking.
// Knows nothing of gRPC.
#ifndef INGEST_SERVICE_ALIASES_ALIAS_EDITOR_H_
#define INGEST_SERVICE_ALIASES_ALIAS_EDITOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/entities/alias_table.h"
#include "common/model/log_entry.h"
#include "common/time/clock.h"
#include "ingest_service/store/article_store.h"

namespace newsdesk::ingest {

// Page sizes of ListChanges.
inline constexpr int kDefaultAliasChangePageSize = 100;
inline constexpr int kMaxAliasChangePageSize = 1000;

struct AliasChangePage {
  std::vector<AliasChange> changes;  // oldest first
  std::string next_page_token;       // empty on the last page
  int64_t table_version = 0;
};

class AliasEditor {
 public:
  // Applies every change `store` holds to `table` (which must be fresh) and
  // returns an editor over both; DATA_LOSS when the stored history has gaps.
  // None of the pointers is owned; all must outlive the editor. `clock` may
  // be null (the real clock).
  static absl::StatusOr<std::unique_ptr<AliasEditor>> Create(entities::AliasTable* table,
                                                             AliasChangeStore* store,
                                                             Clock* clock);

  // The edits; each returns the change as stored, or the status of
  // AliasTable::Prepare* or of the store.
  absl::StatusOr<AliasChange> AddAlias(const entities::AddAliasRequest& request);
  absl::StatusOr<AliasChange> RemoveAlias(const entities::RemoveAliasRequest& request);
  absl::StatusOr<AliasChange> Merge(const entities::MergeRequest& request);
  absl::StatusOr<AliasChange> Split(const entities::SplitRequest& request);

  // A page of the history, oldest first; only changes naming `entity_id`
  // when it is not empty. INVALID_ARGUMENT for a negative page size or a
  // token this method did not make.
  absl::StatusOr<AliasChangePage> ListChanges(int page_size, absl::string_view page_token,
                                              absl::string_view entity_id) const;

  // Applies the changes other writers stored since the table's version.
  // DATA_LOSS when the stored history has a gap.
  absl::Status Refresh();

  const entities::AliasTable& table() const { return *table_; }

 private:
  // Edits that lose a race with another writer are prepared again this
  // many times in all before the caller gets ABORTED.
  static constexpr int kAttempts = 3;

  // `audit`: log each change applied (not when loading at start-up).
  absl::Status RefreshLocked(bool audit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AliasEditor(entities::AliasTable* table, AliasChangeStore* store, Clock* clock,
              std::vector<AliasChange> history);

  // Prepares, stores and applies one change, one at a time.
  absl::StatusOr<AliasChange> Commit(
      const std::function<absl::StatusOr<AliasChange>()>& prepare);

  entities::AliasTable* const table_;
  AliasChangeStore* const store_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  std::vector<AliasChange> history_ ABSL_GUARDED_BY(mu_);
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_ALIASES_ALIAS_EDITOR_H_
