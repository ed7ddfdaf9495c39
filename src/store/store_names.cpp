// The names of store.hpp's enums, as the CLI, logs and the daemon print them.
#include "bankfeed/store.hpp"

namespace bankfeed {

std::string_view SyncOutcomeName(SyncOutcome o) {
  switch (o) {
    case SyncOutcome::kNever: return "never";
    case SyncOutcome::kOk: return "ok";
    case SyncOutcome::kNeedsReconsent: return "needs_reconsent";
    case SyncOutcome::kQuotaExhausted: return "quota_exhausted";
    case SyncOutcome::kRateLimited: return "rate_limited";
    case SyncOutcome::kBankUnavailable: return "bank_unavailable";
    case SyncOutcome::kFailed: return "failed";
  }
  return "failed";
}

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kAdded: return "added";
    case ChangeKind::kModified: return "modified";
    case ChangeKind::kRemoved: return "removed";
  }
  return "added";
}

}  // namespace bankfeed
