// adapters/common/pages.hpp: a paginated query's rows, kept page by page and joined once at the end.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace bankfeed::adapters {

// Every page's rows in order, in one vector. Each row is moved once, into a vector reserved for all of them (a
// vector grown page by page would move its rows again at each reallocation); a single page is taken whole. The
// pages are left empty, each freed as soon as it is joined.
template <class T>
std::vector<T> JoinPages(std::vector<std::vector<T>>& pages) {
  if (pages.size() == 1) return std::move(pages.front());
  std::size_t total = 0;
  for (const std::vector<T>& page : pages) total += page.size();
  std::vector<T> out;
  out.reserve(total);
  for (std::vector<T>& page : pages) {
    for (T& row : page) out.push_back(std::move(row));
    std::vector<T>().swap(page);
  }
  return out;
}

}  // namespace bankfeed::adapters
