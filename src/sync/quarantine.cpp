// The quarantine of one account's sync. See sync/quarantine.hpp.
#include "sync/quarantine.hpp"

#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace bankfeed::sync {
namespace {

using Occurrence = std::pair<std::string_view, int64_t>;  // raw bytes, occurrence

}  // namespace

Renormalizer RenormalizeWith(NormalizeOptions options) {
  options.assign_ids = false;
  options.refused = nullptr;
  return [options = std::move(options)](const QuarantineEntry& e) {
    return NormalizeTransactionRow(e.raw_json, e.list_status, options);
  };
}

QuarantinePlan PlanQuarantine(std::span<const QuarantineEntry> stored, std::span<const RefusedRow> refused,
                              std::span<const Transaction> fetched, Date window_from, const Renormalizer& renormalize,
                              DateTime now) {
  QuarantinePlan plan;
  std::map<Occurrence, const QuarantineEntry*> by_occurrence;
  for (const QuarantineEntry& e : stored) by_occurrence.emplace(Occurrence{e.raw_json, e.occurrence}, &e);

  // Refused now: kept or new, numbered by occurrence among identical bytes in page order.
  std::unordered_map<std::string_view, int64_t> refused_count;
  std::map<Occurrence, bool> refused_now;
  for (const RefusedRow& r : refused) {
    const int64_t occurrence = refused_count[r.raw_json]++;
    QuarantineEntry& e = plan.put.emplace_back();
    e.raw_json = r.raw_json;
    e.occurrence = occurrence;
    e.list_status = r.list_status;
    e.error = r.error.message;
    e.first_seen = now;
    e.last_seen = now;
    if (auto it = by_occurrence.find(Occurrence{r.raw_json, occurrence}); it != by_occurrence.end()) {
      e.first_seen = it->second->first_seen;
    }
    refused_now.emplace(Occurrence{r.raw_json, occurrence}, true);
  }

  // The fetched rows by their bytes, only when there is a stored entry to look up (most syncs have none: their rows
  // are not hashed).
  std::unordered_map<std::string_view, const Transaction*> fetched_by_raw;
  if (!stored.empty()) {
    for (const Transaction& t : fetched) {
      if (!t.raw_json.empty()) fetched_by_raw.emplace(t.raw_json, &t);
    }
  }
  int64_t kept_as_is = 0;
  for (const QuarantineEntry& e : stored) {
    if (refused_now.contains(Occurrence{e.raw_json, e.occurrence})) continue;  // in plan.put already
    if (refused_count.contains(e.raw_json)) {  // refused now, but fewer times: the bank shows fewer copies
      plan.drop.push_back(e.key);
      continue;
    }
    if (!renormalize && !fetched_by_raw.contains(e.raw_json)) {
      ++kept_as_is;
      continue;
    }
    // The row it normalizes to now: a fetched row with the same bytes, or the row normalized on its own.
    const auto same = fetched_by_raw.find(e.raw_json);
    auto row = same != fetched_by_raw.end() ? Result<Transaction>(*same->second) : renormalize(e);
    if (!row) {
      QuarantineEntry& kept = plan.put.emplace_back(e);
      kept.error = row.error().message;
      continue;
    }
    plan.drop.push_back(e.key);
    if (row->status == TransactionStatus::kBooked && row->booking_date && *row->booking_date < window_from) {
      plan.recovered.push_back(std::move(*row));
    }
  }
  plan.quarantined = static_cast<int64_t>(plan.put.size()) + kept_as_is;
  return plan;
}

}  // namespace bankfeed::sync
