// The STET connector against the STET sandbox bank, for what the conformance suite does not cover: each STET quirk
// as profile data, with a bank that needs it (refused without the declaration, read completely with it); what STET
// banks really send; the authorization's own refusals; PUT /consents; revocation at the bank.
#include <gtest/gtest.h>

#include <functional>

#include "sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

TransactionQuery StetJanuary() { return {Date::FromYmd(2025, 1, 1), std::nullopt}; }

class Stet : public SandboxTest {
 protected:
  // A STET bank with 12 booked and 2 pending January rows, `stet` (lines under behaviour.stet, indented by four
  // spaces) and `behaviour` (lines under behaviour, by two).
  void StartStetBank(const std::string& stet, const std::string& behaviour = "") {
    scenario_ = ScenarioYaml(12, 2, "  page_size: 5\n" + behaviour + (stet.empty() ? "" : "  stet:\n" + stet), "stet");
    StartBank(scenario_);
  }
  // The same bank again, fresh (its counters at zero): after a refusal that the bank counted.
  void RestartBank() { StartBank(scenario_); }

  // The customer's authorisation with `profile` (the first error of the flow, or of the read), then January's
  // transactions.
  Result<TransactionBatch> ReadJanuary(const BankProfile& profile, TransactionQuery query = StetJanuary()) {
    auto c = Connect(profile);
    if (!c) return MakeError(ErrorCode::kInternal, "no connector");
    grant_ = ConsentGrant{};
    BANKFEED_RETURN_IF_ERROR(Authorise(*c, grant_));
    return c->GetTransactions(grant_, Acc1(), query, Present());
  }

  // The bank of `stet` and `behaviour` is read with `quirk` declared, and refused with `without` when it is not.
  void ExpectQuirkNeeded(const std::string& stet, const std::string& behaviour, ErrorCode without,
                         const std::function<void(BankProfile&)>& quirk, TransactionQuery query = StetJanuary()) {
    StartStetBank(stet, behaviour);
    auto refused = ReadJanuary(Profile(), query);
    ASSERT_FALSE(refused) << "read without the quirk";
    EXPECT_EQ(refused.error().code, without) << refused.error().ToString();
    EXPECT_EQ(refused.error().bank_id, "test-bank");
    RestartBank();
    BankProfile p = Profile();
    quirk(p);
    auto batch = ReadJanuary(p, query);
    ASSERT_TRUE(batch) << batch.error().ToString();
    EXPECT_EQ(batch->transactions.size(), 14u);
  }

  size_t CountStatus(const TransactionBatch& batch, TransactionStatus status) {
    size_t n = 0;
    for (const Transaction& t : batch.transactions) n += t.status == status;
    return n;
  }

  // The customer's authorisation of `request` with `c`, up to CompleteConsent's answer.
  Result<ConsentStatus> Authorise(Connector& c, ConsentGrant& grant, ConsentRequest request = RequestUntilApril()) {
    request.approach = ScaApproach::kOAuth2;
    auto step = c.StartConsent(request, Present(), grant);
    if (!step) return tl::unexpected(step.error());
    auto params = ParseCallbackUrl(FollowInBrowser(*step->redirect_url));
    if (!params) return tl::unexpected(params.error());
    return c.CompleteConsent(grant, *params, Present());
  }

  std::string scenario_;
  ConsentGrant grant_;
};

// --- quirks as profile data --------------------------------------------------------------------------------------

TEST_F(Stet, DateFilterAsPlainDates) {
  ExpectQuirkNeeded("    date_filter: date\n", "", ErrorCode::kInvalidArgument,
                    [](BankProfile& p) { p.quirks.date_filter = Quirks::DateFilter::kDate; });
}

TEST_F(Stet, NoDateTo) {
  ExpectQuirkNeeded("", "  require: {date_to: forbidden}\n", ErrorCode::kInvalidArgument,
                    [](BankProfile& p) { p.quirks.send_date_to = false; });
}

TEST_F(Stet, ColonsLeftLiteralInQueryValues) {
  ExpectQuirkNeeded("", "  require: {date_time_colons: literal}\n", ErrorCode::kInvalidArgument,
                    [](BankProfile& p) { p.quirks.date_time_colons_encoded = false; });
}

// A bank that takes 30 days per call and 90 days of history: the walker reads four windows and never sends a longer
// one (the bank would refuse it: the read would fail).
TEST_F(Stet, ShortWindowsAndALimitedHistory) {
  ExpectQuirkNeeded(
      "", "  require: {max_window_days: 30, max_history_days: 90}\n", ErrorCode::kInvalidArgument,
      [](BankProfile& p) {
        p.quirks.max_window_days = 30;
        p.quirks.max_history_days = 90;
      },
      {Date::FromYmd(2024, 9, 1), std::nullopt});
  auto batch = ReadJanuary([&] {
    BankProfile p = Profile();
    p.quirks.max_window_days = 30;
    p.quirks.max_history_days = 90;
    return p;
  }(), {Date::FromYmd(2024, 9, 1), std::nullopt});
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->date_from, Date::FromYmd(2024, 11, 2));  // today − 90
  EXPECT_GE(batch->pages, 6);  // four windows; January's rows on three pages of five
}

// PSD2's rule at some banks: a token from a refresh reads 30 days at most. Declared, the read asks no more.
TEST_F(Stet, LessHistoryAfterARefresh) {
  StartStetBank("    history_after_refresh_days: 30\n");
  const TransactionQuery december{Date::FromYmd(2024, 12, 1), std::nullopt};
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  auto fresh = c->GetTransactions(grant, Acc1(), december, Present());
  ASSERT_TRUE(fresh) << "right after the authorisation the whole history: " << fresh.error().ToString();
  grant.access_token_expires = DateTime{0, 0, 0};  // the next read refreshes the token first
  auto refused = c->GetTransactions(grant, Acc1(), december, Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConsentInvalid) << refused.error().ToString();
  EXPECT_TRUE(grant.access_token_refreshed);

  RestartBank();
  BankProfile p = Profile();
  p.quirks.history_after_refresh_days = 30;
  auto declared = Connect(p);
  ConsentGrant g = Consent(*declared, ScaApproach::kOAuth2);
  g.access_token_expires = DateTime{0, 0, 0};
  auto batch = declared->GetTransactions(g, Acc1(), december, Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->date_from, Date::FromYmd(2025, 1, 1));  // today − 30
  EXPECT_EQ(batch->transactions.size(), 14u);
}

TEST_F(Stet, ABankThatIgnoresPaging) {
  ExpectQuirkNeeded("    single_page: true\n", "", ErrorCode::kProtocol, [](BankProfile& p) {
    p.quirks.single_page = true;
  });
}

TEST_F(Stet, TheLastPageLinksToItself) {
  ExpectQuirkNeeded("    last_page_next_self: true\n", "", ErrorCode::kProtocol, [](BankProfile& p) {
    p.quirks.last_page_next_self = true;
  });
}

TEST_F(Stet, KeyIdInTheBerlinGroupForm) {
  ExpectQuirkNeeded("    key_id: serial-issuer\n", "", ErrorCode::kUnauthenticated, [](BankProfile& p) {
    p.cavage.key_id_format = CavageOptions::KeyIdFormat::kSerialIssuer;
  });
}

// The signed header set: a bank that wants Date signed on every request. Refused, the error says which header.
TEST_F(Stet, TheBanksSignedHeaderSet) {
  StartStetBank("    signed_headers: [\"(request-target)\", digest, x-request-id, date]\n");
  auto refused = ReadJanuary(Profile());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("; the answer names: signature, date"), std::string::npos)
      << refused.error().message;
  ExpectQuirkNeeded("    signed_headers: [\"(request-target)\", digest, x-request-id, date]\n", "",
                    ErrorCode::kUnauthenticated, [](BankProfile& p) {
                      p.cavage.headers = {"(request-target)", "digest", "x-request-id", "date", "psu-ip-address"};
                      p.cavage.headers_if_present = {"psu-ip-address"};
                    });
}

TEST_F(Stet, OtherStatusMeaningPending) {
  StartStetBank("    pending_status: OTHR\n");
  auto read = ReadJanuary(Profile());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(CountStatus(*read, TransactionStatus::kInfo), 2u) << "OTHR is information in the standard's reading";
  EXPECT_EQ(CountStatus(*read, TransactionStatus::kPending), 0u);
  RestartBank();
  BankProfile p = Profile();
  p.quirks.values.other_status = TransactionStatus::kPending;
  auto pending = ReadJanuary(p);
  ASSERT_TRUE(pending) << pending.error().ToString();
  EXPECT_EQ(CountStatus(*pending, TransactionStatus::kPending), 2u);
}

TEST_F(Stet, ARegionalPathSegmentInTheBaseUrl) {
  StartStetBank("    path_segment: caisse-idf\n");
  auto refused = ReadJanuary(Profile());  // /stet/v1: not where this bank is
  ASSERT_FALSE(refused);
  RestartBank();
  BankProfile p = Profile();
  p.base_url = bank().BaseUrl() + "/stet/{segment}/v1";
  p.quirks.path_segment = "caisse-idf";
  auto batch = ReadJanuary(p);
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 14u);
  // The placeholder without its value is refused before anything is sent.
  p.quirks.path_segment.clear();
  ConnectionOptions options;
  options.profile = p;
  options.qwac = {pki_ + "/qwac.pem", pki_ + "/qwac.key", "", ""};
  options.qseal = {pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""};
  options.qseal_url = kQsealUrl;
  auto none = MakeConnector(options);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kConfig);
  EXPECT_EQ(none.error().message, "quirks.path_segment: not set, and base_url has {segment}");
}

// --- the authorization --------------------------------------------------------------------------------------------

class StetAuthorization : public Stet {
 protected:
  // The authorization at the bank of `stet` with `profile` fails with `code` (nothing valid kept).
  void ExpectRefused(const BankProfile& profile, ErrorCode code, const std::string& message_part) {
    auto c = Connect(profile);
    ConsentGrant grant;
    auto status = Authorise(*c, grant);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, code) << status.error().ToString();
    EXPECT_NE(status.error().message.find(message_part), std::string::npos) << status.error().message;
    EXPECT_NE(grant.status, ConsentStatus::kValid);
  }
};

TEST_F(StetAuthorization, NoScopeInTheTokenRequest) {
  StartStetBank("    token_scope: forbidden\n");
  ExpectRefused(Profile(), ErrorCode::kProtocol, "token endpoint: invalid_request");
  BankProfile p = Profile();
  p.oauth2->scope_in_grants = false;
  auto batch = ReadJanuary(p);
  ASSERT_TRUE(batch) << batch.error().ToString();
}

TEST_F(StetAuthorization, PkceWhereTheBankRequiresIt) {
  StartStetBank("    pkce: true\n");
  BankProfile p = Profile();
  p.oauth2->pkce = false;
  ExpectRefused(p, ErrorCode::kConsentInvalid, "authorization refused: invalid_request");
  EXPECT_TRUE(ReadJanuary(Profile())) << "PKCE is the default";
}

TEST_F(StetAuthorization, ExtendedHistoryOnlyWhereTheBankOffersIt) {
  StartStetBank("");
  BankProfile p = Profile();
  p.oauth2->scope = "aisp extended_transaction_history";
  ExpectRefused(p, ErrorCode::kConsentInvalid, "authorization refused: invalid_scope");
  StartStetBank("    extended_history: true\n");
  p = Profile();
  p.oauth2->scope = "aisp extended_transaction_history";
  EXPECT_TRUE(ReadJanuary(p));
}

TEST_F(StetAuthorization, ATokenAnswerWithoutAccessTokenIsRefused) {
  StartStetBank("    token_without_access_token: true\n");
  auto c = Connect(Profile());
  ConsentGrant grant;
  auto status = Authorise(*c, grant);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kProtocol);
  EXPECT_NE(status.error().message.find("access_token: missing"), std::string::npos) << status.error().message;
  EXPECT_TRUE(grant.access_token.empty());
  EXPECT_TRUE(grant.refresh_token.empty());
  EXPECT_NE(grant.status, ConsentStatus::kValid);
}

TEST_F(StetAuthorization, ABankWithoutPutConsents) {
  StartStetBank("    consents_endpoint: false\n");
  ExpectRefused(Profile(), ErrorCode::kInvalidArgument, "PUT /consents");
  BankProfile p = Profile();
  p.quirks.consents_endpoint = false;
  auto batch = ReadJanuary(p);
  ASSERT_TRUE(batch) << batch.error().ToString();
}

// PUT /consents declares only what the customer's request covers.
TEST_F(StetAuthorization, TheConsentedAccountsAreWhatTheRequestCovers) {
  StartStetBank("");
  auto c = Connect(Profile());
  ConsentRequest only_accounts = RequestUntilApril();
  only_accounts.scope = ConsentRequest::Scope::kAccountsOnly;
  ConsentGrant grant;
  ASSERT_TRUE(Authorise(*c, grant, only_accounts));
  auto accounts = c->ListAccounts(grant, Present());
  ASSERT_TRUE(accounts) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 1u);
  auto balances = c->GetBalances(grant, (*accounts)[0], Present());
  ASSERT_FALSE(balances) << "the balances were not consented";
  EXPECT_EQ(balances.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(balances.error().http_status, 403);

  ConsentRequest listed = RequestUntilApril();
  listed.scope = ConsentRequest::Scope::kListedAccounts;
  listed.ibans = {"FR7630006000011234567890189"};
  ConsentGrant other;
  auto status = Authorise(*c, other, listed);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "consent.ibans[0]: not among the accounts the customer gave access to at the bank");
}

// Revocation reaches the bank: a copy of the revoked grant's refresh token no longer works there.
TEST_F(StetAuthorization, RevocationEndsTheAuthorizationAtTheBank) {
  StartStetBank("");
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  ConsentGrant copy = grant;
  ASSERT_TRUE(c->RevokeConsent(grant));
  EXPECT_EQ(grant.status, ConsentStatus::kTerminated);
  EXPECT_TRUE(grant.refresh_token.empty());
  auto after = c->ListAccounts(copy, Present());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kConsentExpired) << after.error().ToString();
}

// afterEntryReference: only what the bank lists after a known entry (here: booked after it). Other standards refuse
// the filter rather than ignore it.
TEST_F(Stet, AfterEntryReferenceReadsWhatCameSince) {
  StartStetBank("");
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  auto all = c->GetTransactions(grant, Acc1(), StetJanuary(), Present());
  ASSERT_TRUE(all) << all.error().ToString();
  TransactionQuery since = StetJanuary();
  since.after_entry_reference = "b9";  // booked 2025-01-10; b10 and b11 after it, and the two pending rows
  auto batch = c->GetTransactions(grant, Acc1(), since, Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 4u);
  for (const Transaction& t : batch->transactions) {
    if (t.booking_date) {
      EXPECT_GT(*t.booking_date, Date::FromYmd(2025, 1, 10));
    }
  }
  since.after_entry_reference = "no-such-entry";
  auto unknown = c->GetTransactions(grant, Acc1(), since, Present());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

// --- what STET banks really send -----------------------------------------------------------------------------------

TEST_F(Stet, AccountsWithoutIbanEmbeddedBalancesPlainRemittanceEmptyDates) {
  StartStetBank(
      "    account_id: other\n    balances_in_accounts: true\n    remittance_as_list: true\n    empty_dates: true\n");
  BankProfile p = Profile();
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  auto accounts = c->ListAccounts(grant, Present());
  ASSERT_TRUE(accounts) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_FALSE((*accounts)[0].iban);
  EXPECT_EQ((*accounts)[0].bban, "370400440532013000");
  auto batch = c->GetTransactions(grant, (*accounts)[0], StetJanuary(), Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  ASSERT_EQ(batch->transactions.size(), 14u);
  EXPECT_EQ(CountStatus(*batch, TransactionStatus::kPending), 2u);
  for (const Transaction& t : batch->transactions) {
    if (t.status == TransactionStatus::kPending) {
      EXPECT_FALSE(t.booking_date) << "\"\" is no date";
    } else {
      EXPECT_TRUE(t.remittance) << "a plain list of strings";
    }
  }
}

TEST_F(Stet, EachErrorShapeIsTyped) {
  for (const std::string shape : {"stet", "oauth", "plain"}) {
    SCOPED_TRACE(shape);
    StartStetBank("    error_shape: " + shape + "\n");
    auto c = Connect(Profile());
    ConsentRequest only_accounts = RequestUntilApril();
    only_accounts.scope = ConsentRequest::Scope::kAccountsOnly;
    ConsentGrant grant;
    ASSERT_TRUE(Authorise(*c, grant, only_accounts));
    auto balances = c->GetBalances(grant, Acc1(), Present());
    ASSERT_FALSE(balances);
    EXPECT_EQ(balances.error().code, ErrorCode::kConsentInvalid) << balances.error().ToString();
    EXPECT_FALSE(balances.error().bank_code.empty()) << balances.error().ToString();
  }
}

}  // namespace
}  // namespace bankfeed::testing
