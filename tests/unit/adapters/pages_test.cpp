// adapters::JoinPages: a paginated query's rows in one vector, in page order, each moved once.
#include "adapters/common/pages.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace bankfeed::adapters {
namespace {

using Pages = std::vector<std::vector<std::string>>;

TEST(JoinPages, RowsInPageOrderAcrossEmptyPages) {
  Pages pages{{"a", "b"}, {}, {"c"}, {"d", "e", "f"}, {}};
  const std::vector<std::string> joined = JoinPages(pages);
  EXPECT_EQ(joined, (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(joined.capacity(), joined.size()) << "reserved once for every row";
  for (const auto& page : pages) EXPECT_TRUE(page.empty() && page.capacity() == 0) << "each page freed when joined";
}

TEST(JoinPages, NoPagesAndOnePage) {
  Pages none;
  EXPECT_TRUE(JoinPages(none).empty());
  Pages one{{"x", "y"}};
  const std::string* first = one.front().data();
  const std::vector<std::string> joined = JoinPages(one);
  EXPECT_EQ(joined, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(joined.data(), first) << "a single page is taken whole";
}

// Rows are moved, never copied: a move-only row type joins.
TEST(JoinPages, RowsAreMovedNotCopied) {
  std::vector<std::vector<std::unique_ptr<int>>> pages(2);
  pages[0].push_back(std::make_unique<int>(1));
  pages[1].push_back(std::make_unique<int>(2));
  pages[1].push_back(std::make_unique<int>(3));
  const auto joined = JoinPages(pages);
  ASSERT_EQ(joined.size(), 3u);
  EXPECT_EQ(*joined[0] + *joined[1] * 10 + *joined[2] * 100, 321);
}

}  // namespace
}  // namespace bankfeed::adapters
