// adapters/common/window_walk.hpp: a long period read in consecutive windows, for banks that cap the period one
// query may ask for (profile quirks.max_window_days), for every standard.
//
// Each window is walked on its own (its pages, by adapters/common/page_walk.hpp); their rows are joined oldest
// window first. A row that comes back in more than one window (a bank that ignores or widens the date filter, or
// filters on another date than the one asked for) is kept once: rows equal in everything carry the same dates and
// belong to one window under any filter, so of each distinct row the walk keeps as many copies as the one window
// that returned it most often held. Genuine twins, which always come back together, both survive; no row is
// dropped for the date it carries.
#pragma once

#include <functional>
#include <vector>

#include "adapters/common/page_walk.hpp"
#include "bankfeed/datetime.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

struct DateWindow {
  Date from;  // inclusive
  Date to;    // inclusive
};

// [from, to] as consecutive windows of at most `max_days` days each, oldest first; one window when `max_days` is 0
// or the period fits. Empty when from > to.
std::vector<DateWindow> SplitPeriod(Date from, Date to, int max_days);

// Reads one window's rows; an error ends the walk and keeps nothing.
using WindowReader = std::function<Result<WalkedRows>(const DateWindow& window)>;

Result<WalkedRows> WalkWindows(Date from, Date to, int max_days, const WindowReader& read);

}  // namespace bankfeed::adapters
