// Pagination moved to the core (tools/sandbox/pagination.hpp) when STET needed it too; these names stay for the
// code that still spells them berlin_group:: (the fuzz target).
#pragma once

#include "tools/sandbox/pagination.hpp"

namespace bankfeed::sandbox::berlin_group {

using sandbox::PageCount;
using sandbox::PageHref;
using sandbox::PageSlice;
using sandbox::PageWindow;
using sandbox::QueryWithoutPage;

}  // namespace bankfeed::sandbox::berlin_group
