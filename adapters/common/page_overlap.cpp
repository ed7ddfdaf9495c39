// A declared page overlap over pages with refused rows. See adapters/common/page_overlap.hpp.
#include "adapters/common/page_overlap.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>
#include <utility>

#include "bankfeed/canonical_json.hpp"

namespace bankfeed::adapters {
namespace {

constexpr TransactionStatus kLists[] = {TransactionStatus::kBooked, TransactionStatus::kPending,
                                        TransactionStatus::kInfo, TransactionStatus::kRejected};

// Rows equal in everything the bank may change between fetches of the same row: not the ids.
bool SameContent(const Transaction& a, const Transaction& b) {
  auto strip = [](Transaction t) {
    t.id.clear();
    t.transaction_id.reset();
    t.entry_reference.reset();
    t.raw_json.clear();
    return ToCanonicalJson(t);
  };
  return strip(a) == strip(b);
}

// The index a refused row's path ends with ("transactions.booked[3]" → 3); the end of the list when it names none.
size_t PlaceOf(std::string_view path) {
  constexpr size_t kLast = std::numeric_limits<size_t>::max();
  if (!path.ends_with(']')) return kLast;
  const size_t open = path.rfind('[');
  if (open == std::string_view::npos) return kLast;
  size_t place = 0;
  const char* first = path.data() + open + 1;
  const char* last = path.data() + path.size() - 1;
  const auto [end, ec] = std::from_chars(first, last, place);
  return ec == std::errc() && end == last && first != last ? place : kLast;
}

bool Matches(const PageRows& a, const PageRows::Slot& sa, const PageRows& b, const PageRows::Slot& sb) {
  if (sa.refused != sb.refused) return false;
  if (sa.refused) return a.refused[sa.index].raw_json == b.refused[sb.index].raw_json;
  return SameContent(a.rows[sa.index], b.rows[sb.index]);
}

}  // namespace

void OrderPage(PageRows& page) {
  page.order.clear();
  page.order.reserve(page.rows.size() + page.refused.size());
  for (const TransactionStatus list : kLists) {
    std::vector<size_t> good;
    for (size_t i = 0; i < page.rows.size(); ++i) {
      if (page.rows[i].status == list) good.push_back(i);
    }
    std::vector<std::pair<size_t, size_t>> bad;  // (place, index)
    for (size_t i = 0; i < page.refused.size(); ++i) {
      if (page.refused[i].list_status == list) bad.emplace_back(PlaceOf(page.refused[i].path), i);
    }
    std::stable_sort(bad.begin(), bad.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    size_t g = 0, b = 0;
    for (size_t place = 0; g < good.size() || b < bad.size(); ++place) {
      if (b < bad.size() && (bad[b].first <= place || g == good.size())) {
        page.order.push_back({list, true, bad[b++].second});
      } else {
        page.order.push_back({list, false, good[g++]});
      }
    }
  }
}

bool DropOverlap(const PageRows& previous, PageRows& page, size_t overlap) {
  const size_t want = std::min({overlap, previous.order.size(), page.order.size()});
  std::vector<bool> drop(page.order.size(), false);
  size_t dropped = 0;
  for (const TransactionStatus list : kLists) {
    std::vector<const PageRows::Slot*> tail;
    for (size_t i = previous.order.size(); i-- > 0 && tail.size() < overlap;) {
      if (previous.order[i].list == list) tail.push_back(&previous.order[i]);
    }
    std::vector<bool> used(tail.size(), false);
    size_t seen = 0;
    for (size_t i = 0; i < page.order.size() && seen < overlap && dropped < want; ++i) {
      if (page.order[i].list != list) continue;
      ++seen;
      for (size_t j = 0; j < tail.size(); ++j) {
        if (!used[j] && Matches(previous, *tail[j], page, page.order[i])) {
          used[j] = drop[i] = true;
          ++dropped;
          break;
        }
      }
    }
  }
  if (dropped != want) return false;
  // The page without the dropped rows, its order kept.
  PageRows kept;
  kept.rows.reserve(page.rows.size());
  kept.refused.reserve(page.refused.size());
  for (size_t i = 0; i < page.order.size(); ++i) {
    if (drop[i]) continue;
    PageRows::Slot slot = page.order[i];
    if (slot.refused) {
      kept.refused.push_back(std::move(page.refused[slot.index]));
      slot.index = kept.refused.size() - 1;
    } else {
      kept.rows.push_back(std::move(page.rows[slot.index]));
      slot.index = kept.rows.size() - 1;
    }
    kept.order.push_back(slot);
  }
  page = std::move(kept);
  return true;
}

}  // namespace bankfeed::adapters
