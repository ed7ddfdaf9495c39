// Each quirk option, both ways: the sandbox bank enforces or renders it, the profile declares it, and the connector
// copes. Where the profile disagrees with the bank, the bank's refusal comes back as a typed error.
#include <algorithm>
#include <set>

#include "bankfeed/canonical_json.hpp"
#include "sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

class Quirks : public SandboxTest {
 protected:
  // Consent, then one read of every kind; returns the transactions.
  Result<TransactionBatch> ReadAll(const BankProfile& profile, const PsuContext& psu) {
    auto c = Connect(profile);
    ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
    BANKFEED_ASSIGN_OR_RETURN(auto accounts, c->ListAccounts(grant, psu));
    if (accounts.size() != 1) return MakeError(ErrorCode::kInternal, "expected one account");
    BANKFEED_RETURN_IF_ERROR(c->GetBalances(grant, accounts[0], psu));
    return c->GetTransactions(grant, accounts[0], {*Date::Parse("2024-12-01"), std::nullopt}, psu);
  }
};

TEST_F(Quirks, AmountsAsNumbersRelativeLinksAsAnArray) {
  StartBank(ScenarioYaml(23, 1, "  page_size: 5\n  wire: {amounts_as_numbers: true, links: relative, "
                                "links_as_array: true}\n"));
  auto batch = ReadAll(Profile(), Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 24u);
  EXPECT_EQ(batch->pages, 5);
  // Exact, never through double: "-1.25" came as the JSON number -1.25.
  EXPECT_TRUE(std::any_of(batch->transactions.begin(), batch->transactions.end(),
                          [](const Transaction& t) { return t.amount.amount.ToString() == "-1.25"; }));
}

// "1,234.56": refused without the quirk (the balance read fails, naming the field), read exactly with it.
TEST_F(Quirks, ThousandsSeparator) {
  StartBank(ScenarioYaml(3, 0, "  page_size: 5\n  wire: {thousands_separator: true}\n"));
  auto refused = ReadAll(Profile(), Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput) << refused.error().ToString();
  EXPECT_NE(refused.error().message.find("amount"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().bank_id, "test-bank");

  BankProfile p = Profile();
  p.quirks.values.thousands_separator = true;
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  auto balances = c->GetBalances(grant, Acc1(), Present());
  ASSERT_TRUE(balances) << balances.error().ToString();
  ASSERT_EQ(balances->size(), 1u);
  EXPECT_EQ((*balances)[0].amount.ToString(), "1234.56");
}

TEST_F(Quirks, IdsStableUnstableAndNone) {
  for (const char* mode : {"stable", "unstable", "none"}) {
    SCOPED_TRACE(mode);
    StartBank(ScenarioYaml(8, 0, std::string("  page_size: 3\n  ids: ") + mode + "\n"));
    auto batch = ReadAll(Profile(), Present());
    ASSERT_TRUE(batch) << batch.error().ToString();
    ASSERT_EQ(batch->transactions.size(), 8u);
    std::set<std::string> ids;
    for (const auto& t : batch->transactions) {
      ids.insert(t.id);
      EXPECT_EQ(t.transaction_id.has_value(), std::string(mode) != "none");
    }
    EXPECT_EQ(ids.size(), 8u);
    TearDown();
  }
}

TEST_F(Quirks, DeclaredPageOverlapIsCheckedAndDropped) {
  StartBank(ScenarioYaml(20, 3, "  page_size: 6\n  page_overlap: 2\n  ids: unstable\n"));
  BankProfile p = Profile();
  p.quirks.page_overlap = 2;
  auto batch = ReadAll(p, Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 23u);  // pending rows too
  // Undeclared, the repeats would be kept as rows: the quirk must be declared.
  BankProfile undeclared = Profile();
  auto raw = ReadAll(undeclared, Present());
  ASSERT_TRUE(raw);
  EXPECT_GT(raw->transactions.size(), 23u);
}

// With the overlap dropped, the rows are exactly those of the same bank without the quirk: in order, none lost.
TEST_F(Quirks, ADroppedOverlapLeavesTheRowsOfABankWithoutIt) {
  StartBank(ScenarioYaml(20, 3, "  page_size: 6\n  ids: stable\n"));
  auto plain = ReadAll(Profile(), Present());
  ASSERT_TRUE(plain) << plain.error().ToString();
  TearDown();
  StartBank(ScenarioYaml(20, 3, "  page_size: 6\n  page_overlap: 2\n  ids: stable\n"));
  BankProfile p = Profile();
  p.quirks.page_overlap = 2;
  auto dropped = ReadAll(p, Present());
  ASSERT_TRUE(dropped) << dropped.error().ToString();
  EXPECT_GT(dropped->pages, plain->pages) << "the overlap makes more pages";
  ASSERT_EQ(dropped->transactions.size(), plain->transactions.size());
  for (size_t i = 0; i < plain->transactions.size(); ++i) {
    EXPECT_EQ(ToCanonicalJson(dropped->transactions[i]), ToCanonicalJson(plain->transactions[i])) << "row " << i;
  }
}

TEST_F(Quirks, PsuIdRequiredWithItsTypeAndExtraHeaders) {
  StartBank(ScenarioYaml(4, 0, "  page_size: 5\n  require: {psu_id: required, psu_id_type: retail, "
                               "headers: {X-Bank-Channel: API}}\n"));
  BankProfile p = Profile();
  p.quirks.psu_id = PsuIdPolicy::kRequired;
  p.quirks.psu_id_type = "retail";
  p.quirks.extra_headers = {{"X-Bank-Channel", "API"}};
  auto ok = ReadAll(p, Present());
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->transactions.size(), 4u);

  BankProfile no_header = p;
  no_header.quirks.extra_headers.clear();
  auto c = Connect(no_header);
  ConsentRequest request = RequestUntilApril();
  ConsentGrant grant;
  auto refused = c->StartConsent(request, Present(), grant);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().bank_code, "FORMAT_ERROR");

  PsuContext anonymous = Present();
  anonymous.psu_id.clear();
  auto missing = c->StartConsent(request, anonymous, grant);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "psu.psu_id: required by bank test-bank");  // refused before sending
}

// A bank that refuses every request without PSU-IP-Address, even unattended (and checks it is the customer's own):
// without the quirk an unattended read is refused by the bank; with it, the address the customer used when they
// consented is sent.
TEST_F(Quirks, CustomerIpRequiredWhenUnattended) {
  StartBank(ScenarioYaml(2, 0, "  require: {headers: {PSU-IP-Address: 192.0.2.10}}\n"));
  auto refused = ReadAll(Profile(), Unattended());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().bank_id, "test-bank");
  EXPECT_EQ(refused.error().http_status, 400) << refused.error().ToString();

  BankProfile p = Profile();
  p.quirks.customer_ip_unattended = true;
  auto ok = ReadAll(p, Unattended());
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->transactions.size(), 2u);
}

TEST_F(Quirks, PsuIdForbidden) {
  StartBank(ScenarioYaml(2, 0, "  require: {psu_id: forbidden}\n"));
  BankProfile p = Profile();
  p.quirks.psu_id = PsuIdPolicy::kForbidden;
  auto ok = ReadAll(p, Present());
  ASSERT_TRUE(ok) << ok.error().ToString();
}

TEST_F(Quirks, DateFormatAndDateToRules) {
  StartBank(ScenarioYaml(5, 0, "  require: {date_format: \"%d.%m.%Y\", date_to: forbidden}\n"));
  BankProfile p = Profile();
  p.quirks.date_query_format = "%d.%m.%Y";
  p.quirks.send_date_to = false;
  auto ok = ReadAll(p, Present());
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->transactions.size(), 5u);
  auto wrong = ReadAll(Profile(), Present());  // ISO dates and a dateTo
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(wrong.error().bank_code, "FORMAT_ERROR");
}

TEST_F(Quirks, DateToRequired) {
  StartBank(ScenarioYaml(3, 0, "  require: {date_to: required}\n"));
  BankProfile p = Profile();
  p.quirks.send_date_to = false;
  auto refused = ReadAll(p, Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().bank_code, "FORMAT_ERROR");
  EXPECT_TRUE(ReadAll(Profile(), Present()));
}

TEST_F(Quirks, MaxHistoryDaysClampsDateFrom) {
  StartBank(ScenarioYaml(3, 0, "  require: {max_history_days: 20}\n"));
  auto refused = ReadAll(Profile(), Present());  // asks from 2024-12-01
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().bank_code, "PERIOD_INVALID");
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  BankProfile p = Profile();
  p.quirks.max_history_days = 20;
  auto ok = ReadAll(p, Present());
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->date_from.ToString(), "2025-01-11");
}

// A bank that caps the period of one query: read in windows, the rows are those of a bank without the cap, each
// once, although every window brings the pending rows again.
TEST_F(Quirks, MaxWindowDaysReadsThePeriodInWindows) {
  StartBank(ScenarioYaml(23, 3, "  page_size: 4\n"));
  auto plain = ReadAll(Profile(), Present());
  ASSERT_TRUE(plain) << plain.error().ToString();
  TearDown();
  StartBank(ScenarioYaml(23, 3, "  page_size: 4\n  require: {max_window_days: 10}\n"));
  auto refused = ReadAll(Profile(), Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().bank_code, "PERIOD_INVALID");
  BankProfile p = Profile();
  p.quirks.max_window_days = 10;
  auto windowed = ReadAll(p, Present());
  ASSERT_TRUE(windowed) << windowed.error().ToString();
  EXPECT_GT(windowed->pages, plain->pages);
  auto lines = [](const TransactionBatch& b) {
    std::multiset<std::string> out;
    for (const Transaction& t : b.transactions) out.insert(ToCanonicalJson(t));
    return out;
  };
  EXPECT_EQ(lines(*windowed), lines(*plain));
  EXPECT_EQ(windowed->date_from, plain->date_from);
  EXPECT_EQ(windowed->date_to, plain->date_to);
}

}  // namespace
}  // namespace bankfeed::testing
