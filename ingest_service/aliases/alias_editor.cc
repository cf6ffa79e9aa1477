#include "ingest_service/aliases/alias_editor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::ingest {
namespace {

// Page tokens: "v" and the version the next page starts after.
constexpr absl::string_view kTokenPrefix = "v";

absl::string_view KindName(AliasChangeKind kind) {
  switch (kind) {
    case AliasChangeKind::kAddAlias: return "alias added to";
    case AliasChangeKind::kRemoveAlias: return "alias removed from";
    case AliasChangeKind::kMerge: return "entity merged into";
    case AliasChangeKind::kSplit: return "spellings split off";
    case AliasChangeKind::kUnspecified: break;
  }
  return "unknown change of";
}

bool Names(const AliasChange& change, absl::string_view id) {
  return change.entity_id == id || change.source_entity_id == id ||
         change.new_entity_id == id;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AliasEditor>> AliasEditor::Create(entities::AliasTable* table,
                                                                 AliasChangeStore* store,
                                                                 Clock* clock) {
  std::unique_ptr<AliasEditor> editor(
      new AliasEditor(table, store, clock != nullptr ? clock : Clock::Real(), {}));
  {
    absl::MutexLock lock(&editor->mu_);
    RETURN_IF_ERROR(editor->RefreshLocked(/*audit=*/false));
  }
  LOG(INFO) << "alias table at version " << table->version();
  return editor;
}

absl::Status AliasEditor::Refresh() {
  absl::MutexLock lock(&mu_);
  return RefreshLocked(/*audit=*/true);
}

absl::Status AliasEditor::RefreshLocked(bool audit) {
  ASSIGN_OR_RETURN(std::vector<AliasChange> changes,
                   store_->ReadAliasChanges(table_->version()));
  for (AliasChange& change : changes) {
    if (change.version != table_->version() + 1) {
      return absl::DataLossError(
          absl::StrCat("the alias table history lacks version ", table_->version() + 1));
    }
    RETURN_IF_ERROR(table_->Apply(change));
    LOG_IF(INFO, audit) << "alias table version " << change.version
                        << " from another writer: " << KindName(change.kind) << " "
                        << change.entity_id;
    history_.push_back(std::move(change));
  }
  return absl::OkStatus();
}

AliasEditor::AliasEditor(entities::AliasTable* table, AliasChangeStore* store, Clock* clock,
                         std::vector<AliasChange> history)
    : table_(table), store_(store), clock_(clock), history_(std::move(history)) {}

absl::StatusOr<AliasChange> AliasEditor::Commit(
    const std::function<absl::StatusOr<AliasChange>()>& prepare) {
  absl::MutexLock lock(&mu_);
  for (int attempt = 1;; ++attempt) {
    RETURN_IF_ERROR(RefreshLocked(/*audit=*/true));
    ASSIGN_OR_RETURN(AliasChange change, prepare());
    change.version = table_->version() + 1;
    change.change_time = clock_->Now();
    const absl::Status stored = store_->AppendAliasChange(change).status();
    if (absl::IsAborted(stored) && attempt < kAttempts) {
      VLOG(1) << "alias table version " << change.version << " taken by another writer";
      continue;
    }
    RETURN_IF_ERROR(stored);
    // Stored: the table must follow, or it would disagree with the log.
    const absl::Status applied = table_->Apply(change);
    CHECK(applied.ok()) << "applying stored alias change " << change.version << ": "
                        << applied;
    history_.push_back(change);
    // A change of configuration, rare and worth an audit line.
    LOG(INFO) << "alias table version " << change.version << ": " << KindName(change.kind)
              << " " << change.entity_id;
    return change;
  }
}

absl::StatusOr<AliasChange> AliasEditor::AddAlias(const entities::AddAliasRequest& request) {
  return Commit([&] { return table_->PrepareAddAlias(request); });
}

absl::StatusOr<AliasChange> AliasEditor::RemoveAlias(
    const entities::RemoveAliasRequest& request) {
  return Commit([&] { return table_->PrepareRemoveAlias(request); });
}

absl::StatusOr<AliasChange> AliasEditor::Merge(const entities::MergeRequest& request) {
  return Commit([&] { return table_->PrepareMerge(request); });
}

absl::StatusOr<AliasChange> AliasEditor::Split(const entities::SplitRequest& request) {
  return Commit([&] { return table_->PrepareSplit(request); });
}

absl::StatusOr<AliasChangePage> AliasEditor::ListChanges(int page_size,
                                                         absl::string_view page_token,
                                                         absl::string_view entity_id) const {
  if (page_size < 0) return InvalidFieldError("page_size", "page_size must not be negative");
  if (page_size == 0) page_size = kDefaultAliasChangePageSize;
  page_size = std::min(page_size, kMaxAliasChangePageSize);
  int64_t after = 0;
  if (!page_token.empty()) {
    absl::string_view digits = page_token;
    if (!absl::ConsumePrefix(&digits, kTokenPrefix) || !absl::SimpleAtoi(digits, &after) ||
        after < 0) {
      return InvalidFieldError("page_token", "page_token is not one this method returned");
    }
  }
  absl::MutexLock lock(&mu_);
  AliasChangePage page;
  page.table_version = static_cast<int64_t>(history_.size());
  for (size_t i = static_cast<size_t>(std::min<int64_t>(after, page.table_version));
       i < history_.size(); ++i) {
    const AliasChange& change = history_[i];
    if (!entity_id.empty() && !Names(change, entity_id)) continue;
    if (static_cast<int>(page.changes.size()) == page_size) {
      page.next_page_token = absl::StrCat(kTokenPrefix, page.changes.back().version);
      break;
    }
    page.changes.push_back(change);
  }
  return page;
}

}  // namespace newsdesk::ingest
