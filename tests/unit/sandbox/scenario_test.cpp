// Scenario files: the bundled banks parse, every validation names file:line:col and the key path.
#include <gtest/gtest.h>

#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/scenario.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::MiniScenario;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// "test.yaml:LINE:COL" of the first occurrence of `needle` (1-based, as the reader reports).
std::string PositionOf(const std::string& text, const std::string& needle, size_t from = 0) {
  const size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << needle;
  const size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  const size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const size_t col = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return "test.yaml:" + std::to_string(line) + ":" + std::to_string(col);
}

std::string ErrorOf(const std::string& yaml) {
  auto s = ParseScenario(yaml, "test.yaml");
  EXPECT_FALSE(s.has_value());
  if (s) return {};
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  return s.error().message;
}

// Replaces `from` by `to` and expects exactly "<position of to>: <path_and_reason>".
void ExpectError(const std::string& from, const std::string& to, const std::string& path_and_reason,
                 const std::string& anchor = "") {
  const std::string yaml = Replace(MiniScenario(), from, to);
  EXPECT_EQ(ErrorOf(yaml), PositionOf(yaml, anchor.empty() ? to : anchor) + ": " + path_and_reason);
}

TEST(Scenario, BundledBanksParseWithTheirBehaviour) {
  const std::string dir = std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/";
  auto alpha = LoadScenarioFile(dir + "alpha.yaml", "berlin-group");
  ASSERT_TRUE(alpha) << alpha.error().message;
  EXPECT_EQ(alpha->behaviour.page_size, 50);
  EXPECT_EQ(alpha->behaviour.frequency_per_day, 4);
  EXPECT_EQ(alpha->behaviour.ids, IdMode::kStable);
  EXPECT_TRUE(alpha->behaviour.Offers(ScaApproachKind::kRedirect));
  EXPECT_TRUE(alpha->behaviour.Offers(ScaApproachKind::kDecoupled));
  EXPECT_EQ(alpha->latest_date, Date::FromYmd(2025, 1, 31));
  EXPECT_GE(alpha->psus.size(), 2u);

  auto beta = LoadScenarioFile(dir + "beta.yaml", "berlin-group");
  ASSERT_TRUE(beta) << beta.error().message;
  EXPECT_TRUE(beta->behaviour.wire.amounts_as_numbers);
  EXPECT_FALSE(beta->behaviour.wire.links_absolute);
  EXPECT_TRUE(beta->behaviour.wire.links_as_array);
  EXPECT_EQ(beta->behaviour.ids, IdMode::kNone);
  EXPECT_EQ(beta->behaviour.page_overlap, 2);
  EXPECT_EQ(beta->behaviour.require.psu_id, PsuIdRule::kRequired);
  EXPECT_EQ(beta->behaviour.require.psu_id_type, "retail");
  EXPECT_EQ(beta->behaviour.require.date_to, DateToRule::kForbidden);
  EXPECT_EQ(beta->behaviour.require.max_history_days, 90);
  EXPECT_EQ(beta->behaviour.require.headers.at("X-Bank-Channel"), "API");
  EXPECT_EQ(beta->behaviour.sca_approaches, std::vector<ScaApproachKind>{ScaApproachKind::kOAuth2});

  auto gamma = LoadScenarioFile(dir + "gamma.yaml", "berlin-group");
  ASSERT_TRUE(gamma) << gamma.error().message;
  EXPECT_EQ(gamma->behaviour.sca_approaches, std::vector<ScaApproachKind>{ScaApproachKind::kDecoupled});
  EXPECT_TRUE(gamma->behaviour.explicit_authorisation);
  EXPECT_EQ(gamma->behaviour.ids, IdMode::kUnstable);
  EXPECT_EQ(gamma->behaviour.page_size, 25);

  for (const Scenario* s : {&*alpha, &*beta, &*gamma}) {
    EXPECT_GE(s->psus.size(), 2u);
    EXPECT_LE(s->psus.size(), 3u);
    int pending_that_book = 0, twins = 0;
    for (const Psu& p : s->psus) {
      EXPECT_GE(p.accounts.size(), 1u);
      EXPECT_LE(p.accounts.size(), 3u);
      for (const ScenarioAccount& a : p.accounts) {
        EXPECT_GE(a.transactions.size(), 40u) << a.resource_id;
        EXPECT_LE(a.transactions.size(), 150u) << a.resource_id;
        for (size_t i = 0; i < a.transactions.size(); ++i) {
          const ScenarioTransaction& t = a.transactions[i];
          if (t.booked && t.booked->id != t.id && !(t.booked->amount == t.amount)) ++pending_that_book;
          if (i > 0) {
            const ScenarioTransaction& u = a.transactions[i - 1];
            if (u.booking_date == t.booking_date && u.amount == t.amount && u.remittance == t.remittance) ++twins;
          }
        }
      }
    }
    EXPECT_GT(pending_that_book, 0) << s->source;
    EXPECT_GT(twins, 0) << s->source;
  }
}

TEST(Scenario, MiniScenarioReadsEveryField) {
  const Scenario s = test::ParseOrDie(MiniScenario());
  EXPECT_EQ(s.standard, "berlin-group");
  ASSERT_EQ(s.psus.size(), 2u);
  const ScenarioAccount* a = s.FindAccount("acc-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(s.OwnerOf("acc-1")->id, "psu-1");
  EXPECT_EQ(s.OwnerOf("acc-3")->id, "psu-2");
  EXPECT_EQ(s.FindAccount("nope"), nullptr);
  EXPECT_EQ(a->iban, "DE89370400440532013000");
  EXPECT_EQ(a->currency.code(), "EUR");
  ASSERT_EQ(a->transactions.size(), 6u);
  const ScenarioTransaction& t1 = a->transactions[0];
  EXPECT_EQ(t1.amount.ToString(2), "-12.30");
  EXPECT_EQ(t1.counterparty->name, "Lidl");
  EXPECT_EQ(t1.counterparty->iban, "DE02120300000000202051");
  EXPECT_EQ(a->transactions[1].value_date, Date::FromYmd(2025, 1, 3));  // defaults to the booking date
  const ScenarioTransaction& p1 = a->transactions[4];
  EXPECT_EQ(p1.status, TxStatus::kPending);
  ASSERT_TRUE(p1.booked);
  EXPECT_EQ(p1.booked->id, "p1b");
  EXPECT_EQ(p1.booked->amount.ToString(2), "-5.50");
  EXPECT_EQ(p1.booked->value_date, Date::FromYmd(2025, 1, 3));
  EXPECT_EQ(s.behaviour.page_size, 50);
  EXPECT_EQ(s.behaviour.decoupled_polls, 2);
  EXPECT_EQ(s.behaviour.token_ttl_s, 3600);
  EXPECT_TRUE(s.behaviour.wire.links_absolute);
  // The latest booking, value or balance date; p1's books_on (2025-01-05) is a future booking and does not count.
  EXPECT_EQ(s.latest_date, Date::FromYmd(2025, 1, 6));
}

TEST(Scenario, BooksOnWithoutBookedKeepsIdAndAmount) {
  const Scenario s = test::ParseOrDie(Replace(MiniScenario(), "amount: \"-7.25\"}",
                                              "amount: \"-7.25\", books_on: 2025-01-09}"));
  const ScenarioTransaction& p2 = s.FindAccount("acc-1")->transactions[5];
  ASSERT_TRUE(p2.booked);
  EXPECT_EQ(p2.booked->id, "p2");
  EXPECT_EQ(p2.booked->amount.ToString(2), "-7.25");
  EXPECT_EQ(p2.booked->booking_date, Date::FromYmd(2025, 1, 9));
}

TEST(Scenario, InvalidDateNamesFileLineColumnAndKey) {
  const std::string yaml = Replace(MiniScenario(), "booking_date: 2025-01-03", "booking_date: 2025-02-30");
  const std::string message = ErrorOf(yaml);
  EXPECT_EQ(message, PositionOf(yaml, "2025-02-30") +
                         ": psus[0].accounts[0].transactions[1].booking_date: expected a date YYYY-MM-DD");
  // The position is the real one: line 16, column 52 of the mini scenario.
  EXPECT_TRUE(message.starts_with("test.yaml:16:52: ")) << message;
  ExpectError("value_date: 2025-01-04, amount: \"-7.25\"", "value_date: 04.01.2025, amount: \"-7.25\"",
              "psus[0].accounts[0].transactions[5].value_date: expected a date YYYY-MM-DD", "04.01.2025");
  ExpectError("date: 2025-01-02}", "date: yesterday}", "psus[0].accounts[0].balances[0].date: expected a date YYYY-MM-DD",
              "yesterday");
}

TEST(Scenario, UnknownKeysAreReported) {
  ExpectError("remittance: \"card 1234\"", "remittance: \"card 1234\", remitance: x",
              "psus[0].accounts[0].transactions[0].remitance: unknown key", "remitance: x");
  ExpectError("behaviour:\n", "behaviour:\n  pagesize: 10\n", "behaviour.pagesize: unknown key", "pagesize");
  ExpectError("standard: berlin-group\n", "standard: berlin-group\nbank: alpha\n", "bank: unknown key", "bank:");
  ExpectError("name: Yen", "name: Yen\n        nickname: y", "psus[1].accounts[0].nickname: unknown key", "nickname");
}

TEST(Scenario, OptionsThatCannotApplyAreRefused) {
  ExpectError("page_size: 50", "page_size: 50\n  wire: {amounts_as_numbers: true, thousands_separator: true}",
              "behaviour.wire.thousands_separator: a JSON number has no thousands separator; not with "
              "amounts_as_numbers",
              "true}");
  ExpectError("page_size: 50", "page_size: 50\n  account_ids_change_every_days: 977",
              "behaviour.account_ids_change_every_days: only the uk-ob module changes account ids", "977");
}

TEST(Scenario, WrongTypesAreReported) {
  ExpectError("page_size: 50", "page_size: fifty", "behaviour.page_size: expected an integer from 1 to 10000", "fifty");
  ExpectError("amount: \"2500\"", "amount: [2500]",
              "psus[0].accounts[0].transactions[1].amount: expected a decimal amount such as \"-12.30\"", "[2500]");
  ExpectError("amount: \"-12.30\"", "amount: \"-12,30\"",
              "psus[0].accounts[0].transactions[0].amount: expected a decimal amount such as \"-12.30\"", "\"-12,30\"");
  ExpectError("counterparty: {name: Lidl, iban: DE02120300000000202051}", "counterparty: Lidl",
              "psus[0].accounts[0].transactions[0].counterparty: expected a mapping", "Lidl,");
  ExpectError("  - id: psu-2\n", "  - id: [psu-2]\n", "psus[1].id: expected a string", "[psu-2]");
  const std::string not_a_list = Replace(MiniScenario(), "psus:\n", "psus: {a: 1}\nx:\n");
  EXPECT_NE(ErrorOf(not_a_list).find(": psus: expected a list"), std::string::npos) << ErrorOf(not_a_list);
}

TEST(Scenario, DataValidation) {
  ExpectError("currency: EUR\n        name: Girokonto", "currency: eur\n        name: Girokonto",
              "psus[0].accounts[0].currency: expected an ISO 4217 currency code (three letters A-Z)", "eur");
  ExpectError("iban: DE89370400440532013000", "iban: DE89370400440532013001",
              "psus[0].accounts[0].iban: expected an IBAN (ISO 13616: upper-case, no spaces, valid check digits)",
              "DE89370400440532013001");
  ExpectError("iban: DE02120300000000202051", "iban: DE0212030000000020205",
              "psus[0].accounts[0].transactions[0].counterparty.iban: expected an IBAN (ISO 13616: upper-case, no "
              "spaces, valid check digits)",
              "DE0212030000000020205");
  ExpectError("amount: \"-1200\"", "amount: \"-1200.5\"",
              "psus[1].accounts[0].transactions[0].amount: more fraction digits than JPY has (0)", "\"-1200.5\"");
  ExpectError("{id: t2,", "{id: t1,", "psus[0].accounts[0].transactions[1].id: duplicate id in this account",
              "t1, status: booked, booking_date: 2025-01-03");
  ExpectError("booked: {id: p1b", "booked: {id: t2", "psus[0].accounts[0].transactions[4].booked.id: duplicate id in "
              "this account", "t2, amount: \"-5.50\"");
  ExpectError("resource_id: acc-2", "resource_id: acc-1",
              "psus[0].accounts[1].resource_id: duplicate resource_id", "acc-1\n        iban: DE75");
  ExpectError("resource_id: acc-2", "resource_id: acc/2",
              "psus[0].accounts[1].resource_id: expected up to 100 characters A-Z a-z 0-9 - . _ ~", "acc/2");
  ExpectError("  - id: psu-2\n", "  - id: psu-1\n", "psus[1].id: duplicate id", "psu-1\n    accounts:\n      - resource_id: acc-3");
  ExpectError("type: XPCD", "type: BOOK", "psus[1].accounts[0].balances[0].type: expected one of CLBD, XPCD, OPBD, "
              "ITAV, ITBD, FWAV", "BOOK");
  ExpectError("remittance: parking}\n          - {id: t4", "remittance: \"park\\u0007ing\"}\n          - {id: t4",
              "psus[0].accounts[0].transactions[2].remittance: expected UTF-8 text without control characters",
              "\"park");
}

TEST(Scenario, PendingAndBookedRules) {
  ExpectError("value_date: 2025-01-03, amount: \"-5.00\"", "value_date: 2025-01-05, amount: \"-5.00\"",
              "psus[0].accounts[0].transactions[4].books_on: must be after value_date", "2025-01-05, booked");
  ExpectError("amount: \"-7.25\"}", "amount: \"-7.25\", booked: {id: p2b}}",
              "psus[0].accounts[0].transactions[5].booked: needs books_on", "{id: p2b}");
  ExpectError("remittance: \"card 1234\"}", "remittance: \"card 1234\", books_on: 2025-01-09}",
              "psus[0].accounts[0].transactions[0].books_on: only a pending row books later", "2025-01-09}");
  ExpectError("{id: p2, status: pending,", "{id: p2, status: pending, booking_date: 2025-01-04,",
              "psus[0].accounts[0].transactions[5].booking_date: a pending row has no booking date (use books_on and "
              "booked)",
              "2025-01-04, value_date: 2025-01-04");
  ExpectError("{id: t2, status: booked, booking_date: 2025-01-03,", "{id: t2, status: booked,",
              "psus[0].accounts[0].transactions[1].booking_date: missing (a booked row needs a booking date)",
              "{id: t2,");
  ExpectError("{id: t3, status: booked,", "{id: t3, status: cleared,",
              "psus[0].accounts[0].transactions[2].status: expected one of booked, pending", "cleared");
  ExpectError("{id: t3, status: booked,", "{id: t3,", "psus[0].accounts[0].transactions[2].status: missing", "{id: t3,");
  ExpectError("booking_date: 2025-01-05}}", "booking_date: 2025-01-06}}",
              "psus[0].accounts[0].transactions[4].booked.booking_date: must not be after books_on", "2025-01-06}}");
}

TEST(Scenario, BehaviourValidation) {
  const auto behaviour_error = [](const std::string& behaviour, const std::string& anchor, const std::string& what) {
    const std::string yaml = MiniScenario(behaviour);
    EXPECT_EQ(ErrorOf(yaml), PositionOf(yaml, anchor, yaml.find("behaviour:")) + ": " + what);
  };
  behaviour_error("  page_size: 10\n  page_overlap: 12\n", "12",
                  "behaviour.page_overlap: must be smaller than page_size");
  behaviour_error("  ids: sometimes\n", "sometimes", "behaviour.ids: expected one of stable, unstable, none");
  behaviour_error("  faults:\n    - {kind: http_500, request: 3, every: 2}\n", "2}",
                  "behaviour.faults[0].every: a fault takes one selector; request is given already");
  behaviour_error("  faults:\n    - {kind: http_418}\n", "http_418",
                  "behaviour.faults[0].kind: expected one of http_429, http_500, http_503, truncated_body, reset, "
                  "slow_body_ms, garbage_body, html_error, problem_json, empty_error, consent_expired, next_loop, "
                  "foreign_next");
  behaviour_error("  faults:\n    - {kind: slow_body_ms, request: 2}\n", "slow_body_ms",
                  "behaviour.faults[0].kind: slow_body_ms needs value: the delay in milliseconds");
  behaviour_error("  faults:\n    - {kind: http_500, retry_after_s: 3}\n", "3}",
                  "behaviour.faults[0].retry_after_s: only http_429 and http_503 take retry_after_s");
  behaviour_error("  faults:\n    - {kind: reset, probability: 1.5}\n", "1.5",
                  "behaviour.faults[0].probability: expected a number from 0 to 1");
  behaviour_error("  faults:\n    - {request: 2}\n", "{request", "behaviour.faults[0].kind: missing");
  behaviour_error("  faults:\n    - {kind: reset, method: delete}\n", "delete",
                  "behaviour.faults[0].method: expected GET, POST, PUT or DELETE");
  behaviour_error("  sca_approaches: [redirect, embedded]\n", "[redirect",
                  "behaviour.sca_approaches: expected a list of redirect, decoupled, oauth2");
  behaviour_error("  sca_approaches: [redirect, redirect]\n", "[redirect",
                  "behaviour.sca_approaches: lists redirect twice");
  behaviour_error("  require: {date_format: \"%d.%m.%y\"}\n", "\"%d", 
                  "behaviour.require.date_format: expected %Y, %m and %d once each and literal characters");
  behaviour_error("  require: {psu_id: sometimes}\n", "sometimes",
                  "behaviour.require.psu_id: expected one of optional, required, forbidden");
  behaviour_error("  wire: {links: sideways}\n", "sideways", "behaviour.wire.links: expected one of absolute, relative");
  behaviour_error("  frequency_per_day: -3\n", "-3", "behaviour.frequency_per_day: expected an integer from 1 to 1000000");
  behaviour_error("  wire: {day_first_rows: [t1, nope]}\n", "[t1",
                  "behaviour.wire.day_first_rows: no transaction (or booked version) has the id nope");
  auto day_first = ParseScenario(MiniScenario("  wire: {day_first_rows: [t1], day_first_from: 2025-01-03}\n"),
                                 "test.yaml");
  ASSERT_TRUE(day_first) << day_first.error().message;
  EXPECT_FALSE(day_first->behaviour.wire.DayFirst("t1", Date::FromYmd(2025, 1, 2)));
  EXPECT_TRUE(day_first->behaviour.wire.DayFirst("t1", Date::FromYmd(2025, 1, 3)));
  EXPECT_FALSE(day_first->behaviour.wire.DayFirst("t2", Date::FromYmd(2025, 1, 3)));
}

TEST(Scenario, FaultsParse) {
  const Scenario s = test::ParseOrDie(MiniScenario(
      "  faults:\n"
      "    - {kind: http_429, every: 7, retry_after_s: 1}\n"
      "    - {kind: http_500, probability: 0.05}\n"
      "    - {kind: truncated_body, request: 3, path: /transactions}\n"
      "    - {kind: slow_body_ms, value: 2000, times: 1}\n"
      "    - {kind: next_loop, page: 2}\n"));
  const auto& f = s.behaviour.faults;
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].kind, FaultKind::kHttp429);
  EXPECT_EQ(f[0].selector, FaultSpec::Selector::kEvery);
  EXPECT_EQ(f[0].n, 7);
  EXPECT_EQ(f[0].retry_after_s, 1);
  EXPECT_EQ(f[1].selector, FaultSpec::Selector::kProbability);
  EXPECT_DOUBLE_EQ(f[1].probability, 0.05);
  EXPECT_EQ(f[2].path, "/transactions");
  EXPECT_EQ(f[3].selector, FaultSpec::Selector::kAlways);
  EXPECT_EQ(f[3].value_ms, 2000);
  EXPECT_EQ(f[3].times, 1);
  EXPECT_EQ(f[4].selector, FaultSpec::Selector::kPage);
  EXPECT_EQ(FaultKindName(FaultKind::kSlowBody), "slow_body_ms");
  EXPECT_EQ(ParseFaultKind("foreign_next"), FaultKind::kForeignNext);
  EXPECT_EQ(ParseFaultKind("nope"), std::nullopt);
}

TEST(Scenario, DocumentLevelErrors) {
  EXPECT_EQ(ErrorOf("standard: [berlin-group\n"), "test.yaml:2:1: not valid YAML: end of sequence flow not found");
  EXPECT_EQ(ErrorOf("- a\n- b\n"), "test.yaml:1:1: expected a mapping with standard, psus and behaviour");
  EXPECT_EQ(ErrorOf("standard: berlin-group\n"), "test.yaml:1:1: psus: missing");
  EXPECT_EQ(ErrorOf("standard: berlin-group\npsus: []\n"), "test.yaml:2:7: psus: expected at least one PSU");
  EXPECT_EQ(ErrorOf("psus: [{id: a}]\n"), "test.yaml:1:1: standard: missing");
  EXPECT_EQ(ErrorOf("standard: fints\npsus: [{id: a}]\n"), "test.yaml:1:11: standard: expected one of berlin-group, uk-ob, stet");
  auto mismatch = ParseScenario(MiniScenario(), "test.yaml", "stet");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message, "test.yaml:1:11: standard: is berlin-group but the sandbox serves stet");
  auto missing = LoadScenarioFile("/nonexistent/scenario.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(Scenario, IbanAndTextChecks) {
  for (const char* good : {"DE89370400440532013000", "DE02120300000000202051", "NL91ABNA0417164300",
                           "DE75512108001245126199", "GB29NWBK60161331926819", "FR1420041010050500013M02606"}) {
    EXPECT_TRUE(IsValidIban(good)) << good;
  }
  for (const char* bad : {"DE89370400440532013001", "de89370400440532013000", "DE89 3704 0044 0532 0130 00", "DE8",
                          "1289370400440532013000", "DEAA370400440532013000"}) {
    EXPECT_FALSE(IsValidIban(bad)) << bad;
  }
  EXPECT_TRUE(IsCleanText("Müller & Söhne – Café"));
  EXPECT_FALSE(IsCleanText("tab\there"));
  EXPECT_FALSE(IsCleanText("\xc3"));          // truncated sequence
  EXPECT_FALSE(IsCleanText("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsCleanText("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(IsCleanText("\xc2\x85"));      // C1 control NEL
}

TEST(Clock, PendingRowsBookOnTheirDate) {
  const Scenario s = test::ParseOrDie(MiniScenario());
  const ScenarioAccount& a = *s.FindAccount("acc-1");
  const auto ids = [&](Date today) {
    std::string out;
    for (const TransactionView& v : VisibleTransactions(a, today)) out += std::string(v.id) + (v.booked ? "B " : "P ");
    return out;
  };
  EXPECT_EQ(ids(Date::FromYmd(2025, 1, 1)), "");
  EXPECT_EQ(ids(Date::FromYmd(2025, 1, 3)), "t1B t2B p1P ");
  EXPECT_EQ(ids(Date::FromYmd(2025, 1, 4)), "t1B t2B t3B t4B p1P p2P ");
  EXPECT_EQ(ids(Date::FromYmd(2025, 1, 5)), "t1B t2B t3B t4B p1bB p2P ");
  const auto rows = VisibleTransactions(a, Date::FromYmd(2025, 1, 5));
  EXPECT_EQ(rows[4].amount.ToString(2), "-5.50");
  EXPECT_EQ(rows[4].booking_date, Date::FromYmd(2025, 1, 5));
  EXPECT_EQ(rows[4].value_date, Date::FromYmd(2025, 1, 3));

  SimClock clock(Date::FromYmd(2025, 1, 31));
  clock.Set(Date::FromYmd(2025, 2, 1));
  EXPECT_EQ(clock.Today(), Date::FromYmd(2025, 2, 1));
}

TEST(Clock, BalancesShowTheLatestOfEachTypeUpToToday) {
  const Scenario s = test::ParseOrDie(MiniScenario());
  const ScenarioAccount& a = *s.FindAccount("acc-1");
  auto at = VisibleBalances(a, Date::FromYmd(2025, 1, 3));
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(at[0]->amount.ToString(2), "1234.56");
  EXPECT_EQ(at[1]->type, "ITAV");
  at = VisibleBalances(a, Date::FromYmd(2025, 1, 6));
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(at[0]->amount.ToString(2), "1000.00");
  EXPECT_EQ(VisibleBalances(a, Date::FromYmd(2025, 1, 1)).size(), 1u);  // only the undated ITAV
}

}  // namespace
}  // namespace bankfeed::sandbox
