// Pages of a transactions query, for every standard's module. Every page holds at most page_size rows; with
// page_overlap O each page after the first starts with the last O rows of the one before (scenario
// behaviour.page_overlap). A query without rows is one empty page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bankfeed::sandbox {

struct PageWindow {
  size_t begin = 0, end = 0;  // rows [begin, end)
  int64_t page_count = 1;
};

int64_t PageCount(size_t total, int64_t page_size, int64_t overlap);
// Page `page` (1-based); std::nullopt past the last page.
std::optional<PageWindow> PageSlice(size_t total, int64_t page_size, int64_t overlap, int64_t page);

// The query string as sent, without its page parameter(s): "bookingStatus=both&dateFrom=2025-01-01".
std::string QueryWithoutPage(std::string_view query);
// path?query with page=N appended (N == 1 gives the query without page, the form of the first request).
std::string PageHref(std::string_view path, std::string_view query_without_page, int64_t page);

}  // namespace bankfeed::sandbox
