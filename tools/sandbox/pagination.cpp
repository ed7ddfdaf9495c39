#include "tools/sandbox/pagination.hpp"

#include <algorithm>

namespace bankfeed::sandbox {

int64_t PageCount(size_t total, int64_t page_size, int64_t overlap) {
  const auto n = static_cast<int64_t>(total);
  if (n <= page_size) return 1;
  const int64_t step = page_size - overlap;  // > 0: the scenario parser insists on overlap < page_size
  return 1 + (n - page_size + step - 1) / step;
}

std::optional<PageWindow> PageSlice(size_t total, int64_t page_size, int64_t overlap, int64_t page) {
  const int64_t count = PageCount(total, page_size, overlap);
  if (page < 1 || page > count) return std::nullopt;
  PageWindow w;
  w.page_count = count;
  w.begin = static_cast<size_t>((page - 1) * (page_size - overlap));
  w.end = std::min(total, w.begin + static_cast<size_t>(page_size));
  if (w.begin > total) w.begin = total;
  return w;
}

std::string QueryWithoutPage(std::string_view query) {
  std::string out;
  for (std::string_view rest = query; !rest.empty();) {
    const size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty() || item == "page" || item.starts_with("page=")) continue;
    if (!out.empty()) out += '&';
    out += item;
  }
  return out;
}

std::string PageHref(std::string_view path, std::string_view query_without_page, int64_t page) {
  std::string href(path);
  std::string query(query_without_page);
  if (page > 1) query += (query.empty() ? "page=" : "&page=") + std::to_string(page);
  if (!query.empty()) href += "?" + query;
  return href;
}

}  // namespace bankfeed::sandbox
