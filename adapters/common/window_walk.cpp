// A long period in consecutive windows. See adapters/common/window_walk.hpp.
#include "adapters/common/window_walk.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "bankfeed/canonical_json.hpp"

namespace bankfeed::adapters {
namespace {

// Everything a row is: its canonical form (ids are not assigned yet) and the bank's own bytes.
std::string RowKey(const Transaction& t) {
  std::string key = ToCanonicalJson(t);
  key.push_back('\0');
  key += t.raw_json;
  return key;
}

std::string RowKey(const RefusedRow& r) {
  std::string key(TransactionStatusName(r.list_status));
  key.push_back('\0');
  key += r.raw_json;
  return key;
}

// Appends `rows` to `out`, keeping of each distinct row only the copies beyond those already kept.
template <class Row>
void KeepNew(std::vector<Row>& rows, std::map<std::string, int>& kept, std::vector<Row>& out) {
  std::map<std::string, int> seen;  // copies of each row in this window so far
  for (Row& row : rows) {
    std::string key = RowKey(row);
    const int copy = ++seen[key];
    int& total = kept[std::move(key)];
    if (copy <= total) continue;  // an earlier window returned this copy already
    total = copy;
    out.push_back(std::move(row));
  }
}

}  // namespace

std::vector<DateWindow> SplitPeriod(Date from, Date to, int max_days) {
  std::vector<DateWindow> out;
  if (from > to) return out;
  if (max_days <= 0) return {DateWindow{from, to}};
  for (int32_t start = from.days_since_epoch; start <= to.days_since_epoch;) {
    const int32_t end = static_cast<int32_t>(std::min<int64_t>(int64_t{start} + max_days - 1, to.days_since_epoch));
    out.push_back(DateWindow{Date{start}, Date{end}});
    if (end == to.days_since_epoch) break;
    start = end + 1;
  }
  return out;
}

Result<WalkedRows> WalkWindows(Date from, Date to, int max_days, const WindowReader& read) {
  const std::vector<DateWindow> windows = SplitPeriod(from, to, max_days);
  if (windows.empty()) return WalkedRows{};
  if (windows.size() == 1) return read(windows.front());
  WalkedRows out;
  std::map<std::string, int> kept_rows;
  std::map<std::string, int> kept_refused;
  for (const DateWindow& window : windows) {
    BANKFEED_ASSIGN_OR_RETURN(WalkedRows rows, read(window));
    out.pages += rows.pages;
    KeepNew(rows.transactions, kept_rows, out.transactions);
    KeepNew(rows.refused, kept_refused, out.refused);
  }
  return out;
}

}  // namespace bankfeed::adapters
