// The STET sandbox bank's transactions: pages and next links, the broken-paging behaviours, row shapes, the date
// filters (dateTo exclusive, Paris wall clock), the enforced quirks, afterEntryReference and the history limit
// after a refresh. MiniScenario's acc-1 on 2025-01-06, newest first: p2 (pending), p1b, t3, t4, t2, t1.
#include <gtest/gtest.h>

#include "unit/sandbox/stet_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::JsonArraySize;
using test::JsonHas;
using test::JsonString;
using test::StetTpp;

constexpr char kTx[] = "/stet/v1/accounts/acc-1/transactions";

struct Session {
  std::unique_ptr<test::Bank> bank;
  std::unique_ptr<StetTpp> tpp;
  std::string token;
  http::Response Get(const std::string& query) { return tpp->Api("GET", kTx + query, token); }
};

Session Open(const std::string& behaviour, const std::string& stet = "") {
  Session s;
  s.bank = test::StartStet(test::StetMiniScenario(behaviour, stet));
  EXPECT_TRUE(s.bank);
  if (!s.bank) return s;
  s.tpp = std::make_unique<StetTpp>(*s.bank);
  s.token = s.tpp->Authorised().access_token;
  s.tpp->ConsentAll(s.token);
  return s;
}

std::vector<std::string> Ids(const std::string& body) {
  std::vector<std::string> out;
  for (size_t i = 0; i < JsonArraySize(body, "/transactions"); ++i) {
    out.push_back(JsonString(body, "/transactions/" + std::to_string(i) + "/entryReference"));
  }
  return out;
}

using Ids_ = std::vector<std::string>;

TEST(SandboxStetTransactions, PagesNewestFirstWithNextLinksWhileRowsRemain) {
  Session s = Open("  page_size: 2\n");
  ASSERT_TRUE(s.bank);
  http::Response first = s.Get("");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Ids(first.body), (Ids_{"p2", "p1b"}));
  EXPECT_EQ(JsonString(first.body, "/_links/self/href"), s.bank->Url(kTx));
  EXPECT_EQ(JsonString(first.body, "/_links/next/href"), s.bank->Url(std::string(kTx) + "?page=2"));
  EXPECT_EQ(test::JsonRaw(first.body, "/_links/next/templated"), "false");
  http::Response last = s.Get("?page=3");
  EXPECT_EQ(Ids(last.body), (Ids_{"t2", "t1"}));
  EXPECT_FALSE(JsonHas(last.body, "/_links/next"));
  EXPECT_EQ(s.Get("?page=4").status, 400);
}

TEST(SandboxStetTransactions, LastPageNextSelfAndSinglePage) {
  Session self = Open("  page_size: 2\n", "    last_page_next_self: true\n");
  ASSERT_TRUE(self.bank);
  http::Response last = self.Get("?page=3");
  EXPECT_EQ(JsonString(last.body, "/_links/next/href"), JsonString(last.body, "/_links/self/href"));

  Session single = Open("  page_size: 2\n", "    single_page: true\n");
  ASSERT_TRUE(single.bank);
  for (const int page : {1, 2}) {
    http::Response r = single.Get(page == 1 ? "" : "?page=2");
    EXPECT_EQ(JsonArraySize(r.body, "/transactions"), 6u);
    EXPECT_EQ(JsonString(r.body, "/_links/next/href"),
              single.bank->Url(std::string(kTx) + "?page=" + std::to_string(page + 1)));
  }
}

TEST(SandboxStetTransactions, RowShapes) {
  Session s = Open("  page_size: 50\n");
  ASSERT_TRUE(s.bank);
  http::Response r = s.Get("");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(JsonString(r.body, "/transactions/0/status"), "PDNG");
  EXPECT_FALSE(JsonHas(r.body, "/transactions/0/bookingDate"));
  EXPECT_EQ(JsonString(r.body, "/transactions/0/transactionAmount/amount"), "7.25");  // unsigned
  EXPECT_EQ(JsonString(r.body, "/transactions/0/creditDebitIndicator"), "DBIT");
  EXPECT_EQ(JsonString(r.body, "/transactions/4/resourceId"), "t2");
  EXPECT_EQ(JsonString(r.body, "/transactions/4/creditDebitIndicator"), "CRDT");
  EXPECT_EQ(JsonString(r.body, "/transactions/4/debtor/name"), "Employer AG");
  EXPECT_EQ(JsonString(r.body, "/transactions/5/status"), "BOOK");
  EXPECT_EQ(JsonString(r.body, "/transactions/5/bookingDate"), "2025-01-02");
  EXPECT_EQ(JsonString(r.body, "/transactions/5/creditor/name"), "Lidl");
  EXPECT_EQ(JsonString(r.body, "/transactions/5/creditorAccount/iban"), "DE02120300000000202051");
  EXPECT_EQ(JsonString(r.body, "/transactions/5/remittanceInformation/unstructured/0"), "card 1234");

  Session odd = Open("  page_size: 50\n", "    pending_status: OTHR\n    empty_dates: true\n    remittance_as_list: true\n");
  ASSERT_TRUE(odd.bank);
  http::Response o = odd.Get("");
  EXPECT_EQ(JsonString(o.body, "/transactions/0/status"), "OTHR");
  EXPECT_EQ(test::JsonRaw(o.body, "/transactions/0/bookingDate"), "\"\"");
  EXPECT_EQ(JsonString(o.body, "/transactions/5/remittanceInformation/0"), "card 1234");
}

TEST(SandboxStetTransactions, DateFilterDateTimeReadInParisWithDateToExclusive) {
  Session s = Open("  page_size: 50\n");
  ASSERT_TRUE(s.bank);
  // 23:00Z on the 2nd is midnight of the 3rd in Paris (t2 inside); 23:30Z on the 4th is 00:30 on the 5th (p1b,
  // booked on the 5th, inside).
  http::Response r = s.Get("?dateFrom=2025-01-02T23:00:00Z&dateTo=2025-01-04T23:30:00.000Z");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Ids(r.body), (Ids_{"p2", "p1b", "t3", "t4", "t2"}));
  // Midnight of the 5th in Paris excludes p1b (dateTo exclusive); 00:00Z on the 3rd is 01:00 in Paris, after t2.
  EXPECT_EQ(Ids(s.Get("?dateFrom=2025-01-03T00:00:00Z&dateTo=2025-01-04T23:00:00Z").body),
            (Ids_{"p2", "t3", "t4"}));
  http::Response date_only = s.Get("?dateFrom=2025-01-03");
  EXPECT_EQ(date_only.status, 400);
  EXPECT_EQ(JsonString(date_only.body, "/message").rfind("dateFrom:", 0), 0u);
}

TEST(SandboxStetTransactions, DateFilterDate) {
  Session s = Open("  page_size: 50\n", "    date_filter: date\n");
  ASSERT_TRUE(s.bank);
  EXPECT_EQ(Ids(s.Get("?dateFrom=2025-01-03&dateTo=2025-01-05").body), (Ids_{"p2", "t3", "t4", "t2"}));
  http::Response r = s.Get("?dateTo=2025-01-05T00:00:00Z");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "/message").rfind("dateTo:", 0), 0u);
}

TEST(SandboxStetTransactions, EnforcedQuirks) {
  Session window = Open("  page_size: 50\n  require:\n    max_window_days: 2\n    date_to: forbidden\n",
                        "    date_filter: date\n");
  ASSERT_TRUE(window.bank);
  EXPECT_EQ(window.Get("?dateFrom=2025-01-05").status, 200);  // to today, exclusive of tomorrow: 2 days
  http::Response wide = window.Get("?dateFrom=2025-01-04");
  EXPECT_EQ(wide.status, 400);
  EXPECT_EQ(JsonString(wide.body, "/message").rfind("dateFrom, dateTo: more than 2 days", 0), 0u);
  http::Response to = window.Get("?dateFrom=2025-01-05&dateTo=2025-01-06");
  EXPECT_EQ(JsonString(to.body, "/message"), "dateTo: not supported");

  Session encoded = Open("  page_size: 50\n  require:\n    date_time_colons: encoded\n");
  ASSERT_TRUE(encoded.bank);
  EXPECT_EQ(encoded.Get("?dateFrom=2025-01-03T00%3A00%3A00Z").status, 200);
  EXPECT_EQ(encoded.Get("?dateFrom=2025-01-03T00:00:00Z").status, 400);
  Session literal = Open("  page_size: 50\n  require:\n    date_time_colons: literal\n");
  ASSERT_TRUE(literal.bank);
  EXPECT_EQ(literal.Get("?dateFrom=2025-01-03T00:00:00Z").status, 200);
  http::Response r = literal.Get("?dateFrom=2025-01-03T00%3A00%3A00Z");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "/message"), "dateFrom: a percent-encoded ':' is not accepted");
}

TEST(SandboxStetTransactions, AfterEntryReference) {
  Session s = Open("  page_size: 50\n");
  ASSERT_TRUE(s.bank);
  EXPECT_EQ(Ids(s.Get("?afterEntryReference=t3").body), (Ids_{"p2", "p1b"}));
  http::Response unknown = s.Get("?afterEntryReference=nope");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(JsonString(unknown.body, "/message"), "afterEntryReference: not an entry of this account");
}

// Found by fuzz_stet_sandbox_request: the links repeat the query as sent, so a byte that is not UTF-8 text made the
// page invalid JSON. Such a query is refused.
TEST(SandboxStetTransactions, AQueryThatIsNotTextIsRefused) {
  Session s = Open("  page_size: 50\n");
  ASSERT_TRUE(s.bank);
  http::Response r = s.Get("?afterEntryReference=t3&\xc2=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "/message"), "query: expected printable text");
  EXPECT_EQ(s.Get("?afterEntryReference=t3&%C2%A0=1").status, 200);  // percent-encoded, it is text
}

TEST(SandboxStetTransactions, HistoryAfterRefreshIsLimited) {
  Session s = Open("  page_size: 50\n", "    history_after_refresh_days: 2\n    date_filter: date\n");
  ASSERT_TRUE(s.bank);
  EXPECT_EQ(s.Get("?dateFrom=2025-01-01").status, 200);  // the PSU's own token
  auto fresh = s.tpp->Authorised();
  s.tpp->ConsentAll(fresh.access_token);
  s.token = s.tpp->Refresh(fresh.refresh_token).access_token;
  http::Response old = s.Get("?dateFrom=2025-01-03");
  EXPECT_EQ(old.status, 403);
  EXPECT_EQ(JsonString(old.body, "/message").rfind("dateFrom:", 0), 0u);
  EXPECT_EQ(s.Get("?dateFrom=2025-01-04").status, 200);
}

}  // namespace
}  // namespace bankfeed::sandbox
