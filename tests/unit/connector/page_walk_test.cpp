// The page walk every standard's connector uses (adapters/common/page_walk.hpp): links absolute and relative, the
// page cap, loops by `self` and by repeated URL, links to other hosts refused unless listed, a declared overlap.
// Each guard has a bank that gets exactly that wrong, and a walk that ends with an error keeps nothing.
#include <gtest/gtest.h>

#include <map>

#include "adapters/common/page_walk.hpp"

namespace bankfeed::adapters {
namespace {

Transaction Row(const std::string& remittance) {
  Transaction t;
  t.booking_date = t.value_date = Date::FromYmd(2025, 1, 2);
  t.amount = *Money::Parse("-1.00", "EUR");
  t.remittance = remittance;
  return t;
}

// A bank whose pages are scripted by URL: rows by their remittance, and the links as sent.
struct ScriptedBank {
  struct Script {
    std::vector<std::string> rows;
    std::optional<std::string> next, self;
  };
  std::map<std::string, Script> pages;
  std::vector<std::string> asked;

  PageReader Reader() {
    return [this](const std::string& url, int) -> Result<Page> {
      asked.push_back(url);
      auto it = pages.find(url);
      if (it == pages.end()) return MakeError(ErrorCode::kNotFound, "no such page");
      Page page;
      for (const std::string& r : it->second.rows) page.rows.rows.push_back(Row(r));
      page.next = it->second.next;
      page.self = it->second.self;
      page.request_id = "req-" + std::to_string(asked.size());
      return page;
    };
  }
};

PageWalkRules Rules() {
  PageWalkRules rules;
  rules.bank_id = "bank-x";
  rules.origin = *ParseUrl("https://api.bank-x.example", "origin");
  return rules;
}

std::vector<std::string> Remittances(const WalkedRows& rows) {
  std::vector<std::string> out;
  for (const Transaction& t : rows.transactions) out.push_back(*t.remittance);
  return out;
}

constexpr char kFirst[] = "https://api.bank-x.example/v1/tx?dateFrom=2025-01-01";

TEST(PageWalk, FollowsAbsoluteAndRelativeLinksInOrder) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a", "b"}, "/v1/tx?page=2", kFirst};
  bank.pages["https://api.bank-x.example/v1/tx?page=2"] = {{"c"}, "?page=3", std::nullopt};
  bank.pages["https://api.bank-x.example/v1/tx?page=3"] = {{"d"}, "https://api.bank-x.example/v1/tx?page=4", {}};
  bank.pages["https://api.bank-x.example/v1/tx?page=4"] = {{}, std::nullopt, std::nullopt};
  auto rows = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_TRUE(rows) << rows.error().ToString();
  EXPECT_EQ(Remittances(*rows), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(rows->pages, 4);
}

TEST(PageWalk, NextEqualToSelfIsALoopEvenWhenSelfIsNotTheUrlRead) {
  ScriptedBank bank;
  // The bank's self link names the page by another URL than the one read, and next repeats it.
  bank.pages[kFirst] = {{"a"}, "/v1/tx?page=1", "/v1/tx?page=1"};
  auto rows = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(rows.error().message,
            "transactions page 1: _links.next equals the page's own self link (pagination loop); nothing kept");
  EXPECT_EQ(rows.error().bank_id, "bank-x");
  EXPECT_EQ(rows.error().request_id, "req-1");
  EXPECT_EQ(bank.asked.size(), 1u) << "the loop is seen before the page is read again";
}

// quirks.last_page_next_self: a bank that marks its last page with next == self. Declared, that ends the walk with
// every row kept; the same page without the declaration is the loop above.
TEST(PageWalk, NextEqualToSelfEndsTheWalkWhereTheProfileSaysSo) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a", "b"}, "/v1/tx?page=2", kFirst};
  bank.pages["https://api.bank-x.example/v1/tx?page=2"] = {{"c"}, "/v1/tx?page=2", "/v1/tx?page=2"};
  PageWalkRules rules = Rules();
  rules.next_equal_self_ends = true;
  auto rows = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_TRUE(rows) << rows.error().ToString();
  EXPECT_EQ(Remittances(*rows), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows->pages, 2);
  EXPECT_EQ(bank.asked.size(), 2u);
  // Without the declaration the same bank is refused.
  ScriptedBank strict = bank;
  auto refused = WalkPages(kFirst, Rules(), strict.Reader());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kProtocol);
}

TEST(PageWalk, ALinkBackToAnEarlierPageIsALoop) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a"}, "/v1/tx?page=2", std::nullopt};
  bank.pages["https://api.bank-x.example/v1/tx?page=2"] = {{"b"}, kFirst, std::nullopt};
  auto rows = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().message,
            "transactions page 2: _links.next repeats an earlier page (pagination loop); nothing kept");
  EXPECT_EQ(bank.asked.size(), 2u);
}

TEST(PageWalk, MorePagesThanTheCapIsAnError) {
  ScriptedBank bank;
  for (int i = 1; i <= 5; ++i) {
    const std::string url = i == 1 ? kFirst : "https://api.bank-x.example/v1/tx?page=" + std::to_string(i);
    bank.pages[url] = {{"r" + std::to_string(i)}, "/v1/tx?page=" + std::to_string(i + 1), std::nullopt};
  }
  PageWalkRules rules = Rules();
  rules.page_cap = 3;
  auto rows = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().message, "transactions: more than 3 pages (profile page_cap); nothing kept");
  EXPECT_EQ(bank.asked.size(), 3u);
}

TEST(PageWalk, LinksToAnotherHostAreRefusedUnlessListed) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a"}, "https://pages.bank-x.example/v1/tx?page=2", std::nullopt};
  bank.pages["https://pages.bank-x.example/v1/tx?page=2"] = {{"b"}, std::nullopt, std::nullopt};
  auto refused = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(refused.error().message,
            "transactions page 1: _links.next: points outside the bank's API origin; not followed");
  EXPECT_EQ(bank.asked.size(), 1u);

  PageWalkRules rules = Rules();
  rules.link_hosts = {"pages.bank-x.example"};
  auto listed = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_TRUE(listed) << listed.error().ToString();
  EXPECT_EQ(Remittances(*listed), (std::vector<std::string>{"a", "b"}));

  // Listed means that host over https on the listed port, nothing looser.
  for (const char* next : {"http://pages.bank-x.example/v1/tx?page=2", "http://pages.bank-x.example:443/p",
                           "https://pages.bank-x.example:8443/p",
                           "https://evil.pages.bank-x.example/p", "https://api.bank-x.example:444/p",
                           "http://api.bank-x.example/p"}) {
    SCOPED_TRACE(next);
    bank.pages[kFirst].next = next;
    auto rows = WalkPages(kFirst, rules, bank.Reader());
    ASSERT_FALSE(rows);
    EXPECT_EQ(rows.error().code, ErrorCode::kProtocol);
  }
  rules.link_hosts = {"pages.bank-x.example:8443"};
  bank.pages[kFirst].next = "https://pages.bank-x.example:8443/p";
  bank.pages["https://pages.bank-x.example:8443/p"] = {{"c"}, std::nullopt, std::nullopt};
  auto with_port = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_TRUE(with_port) << with_port.error().ToString();
  EXPECT_EQ(Remittances(*with_port), (std::vector<std::string>{"a", "c"}));
}

TEST(PageWalk, AnErrorInTheMiddleKeepsNothing) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a"}, "/v1/tx?page=2", std::nullopt};  // page 2 is not there: kNotFound
  auto rows = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, ErrorCode::kNotFound);
}

TEST(PageWalk, ADeclaredOverlapIsCheckedAndDropped) {
  ScriptedBank bank;
  bank.pages[kFirst] = {{"a", "b", "c"}, "/v1/tx?page=2", std::nullopt};
  bank.pages["https://api.bank-x.example/v1/tx?page=2"] = {{"b", "c", "d"}, std::nullopt, std::nullopt};
  PageWalkRules rules = Rules();
  rules.overlap = 2;
  auto rows = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_TRUE(rows) << rows.error().ToString();
  EXPECT_EQ(Remittances(*rows), (std::vector<std::string>{"a", "b", "c", "d"}));

  bank.pages["https://api.bank-x.example/v1/tx?page=2"].rows = {"x", "c", "d"};
  auto wrong = WalkPages(kFirst, rules, bank.Reader());
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "transactions page 2: the first rows do not repeat the previous page's last rows "
                                   "(profile page_overlap); nothing kept");
  EXPECT_EQ(wrong.error().request_id, "req-" + std::to_string(bank.asked.size()));

  // Without the quirk, equal rows on two pages are twins: all kept.
  auto twins = WalkPages(kFirst, Rules(), bank.Reader());
  ASSERT_TRUE(twins);
  EXPECT_EQ(twins->transactions.size(), 6u);
}

}  // namespace
}  // namespace bankfeed::adapters
