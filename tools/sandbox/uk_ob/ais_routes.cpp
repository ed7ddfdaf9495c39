// UK Open Banking AIS reads: GET /open-banking/v3.1/aisp/accounts[/{AccountId}[/balances|/transactions]], behind a
// bearer token bound to an authorised consent (checked by Authenticate), the consent's permissions, enforced
// quirks and the quota. Transactions are paginated with page=N and take fromBookingDateTime/toBookingDateTime.
#include <algorithm>
#include <limits>

#include "tools/sandbox/pagination.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/uk_ob/module.hpp"
#include "tools/sandbox/uk_ob/query_time.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

ApiError FieldInvalid(std::string text) { return UkRefuse(400, "UK.OBIE.Field.Invalid", std::move(text)); }

// The permission an endpoint needs; for accounts and transactions either of two.
bool Grants(const AccessConsent& c, std::string_view endpoint) {
  if (endpoint == "accounts") return c.Has("ReadAccountsBasic") || c.Has("ReadAccountsDetail");
  if (endpoint == "balances") return c.Has("ReadBalances");
  return c.Has("ReadTransactionsBasic") || c.Has("ReadTransactionsDetail");
}

std::string_view PermissionNeeded(std::string_view endpoint) {
  if (endpoint == "accounts") return "ReadAccountsBasic or ReadAccountsDetail";
  if (endpoint == "balances") return "ReadBalances";
  return "ReadTransactionsBasic or ReadTransactionsDetail";
}

struct BookingWindow {
  std::optional<QueryInstant> from, to;
};

// The bank's rules for how a date-time filter is written: its ':' encoded or not, and what follows the time.
std::optional<ApiError> CheckDateTimeForm(std::string_view name, std::string_view raw, std::string_view text,
                                          const Requirements& require) {
  if (require.date_time_colons_encoded) {
    if (auto wrong = ColonFormError(raw, *require.date_time_colons_encoded)) {
      return FieldInvalid(std::string(name) + ": " + *wrong);
    }
  }
  if (require.date_time_suffix && !text.ends_with(*require.date_time_suffix)) {
    return FieldInvalid(std::string(name) + ": expected the time to be followed by " + *require.date_time_suffix);
  }
  return std::nullopt;
}

std::optional<ApiError> ReadWindow(const FormFields& q, std::string_view raw_query, const Requirements& require,
                                   Date today, BookingWindow& out) {
  const std::pair<std::string_view, std::optional<QueryInstant>*> params[] = {{"fromBookingDateTime", &out.from},
                                                                              {"toBookingDateTime", &out.to}};
  for (const auto& [name, slot] : params) {
    const std::string* text = FindField(q, name);
    if (text == nullptr) continue;
    if (auto refused = CheckDateTimeForm(name, RawQueryValue(raw_query, name), *text, require)) return refused;
    *slot = ParseBookingDateTime(*text, require.date_format);
    if (!*slot) {
      return FieldInvalid(std::string(name) + ": expected an ISO 8601 date-time (date as " + require.date_format + ")");
    }
  }
  if (out.to && require.date_to == DateToRule::kForbidden) return FieldInvalid("toBookingDateTime: not supported");
  if (!out.to && require.date_to == DateToRule::kRequired) {
    return UkRefuse(400, "UK.OBIE.Field.Missing", "toBookingDateTime: required by this bank");
  }
  const Date from = out.from ? out.from->date : Date{std::numeric_limits<int32_t>::min() / 2};
  const Date to = out.to ? out.to->date : today;
  if (require.max_history_days &&
      (!out.from || from.days_since_epoch < today.days_since_epoch - static_cast<int32_t>(*require.max_history_days))) {
    return FieldInvalid("fromBookingDateTime: more than " + std::to_string(*require.max_history_days) +
                        " days back (or missing)");
  }
  if (out.from && out.to && *out.from > *out.to) return FieldInvalid("fromBookingDateTime: after toBookingDateTime");
  if (require.max_window_days &&
      (!out.from || to.days_since_epoch - from.days_since_epoch + 1 > static_cast<int32_t>(*require.max_window_days))) {
    return FieldInvalid("fromBookingDateTime, toBookingDateTime: more than " +
                        std::to_string(*require.max_window_days) + " days in one query (or no fromBookingDateTime)");
  }
  return std::nullopt;
}

// Whether a row shows for the query and the consent: its booking date-time (a pending row's is its value date) in
// the query's window and the consent's TransactionFrom/ToDateTime, and its direction granted.
bool Shows(const TransactionView& t, const BookingWindow& w, const AccessConsent& c) {
  const Date day = t.booked ? *t.booking_date : t.value_date;
  const QueryInstant at{day, 0};
  if ((w.from && at < *w.from) || (w.to && at > *w.to)) return false;
  const int64_t seconds = static_cast<int64_t>(day.days_since_epoch) * 86'400;
  const AccessConsentRequest& r = c.request;
  if ((r.transactions_from && seconds < r.transactions_from->at.unix_seconds) ||
      (r.transactions_to && seconds > r.transactions_to->at.unix_seconds)) {
    return false;
  }
  return c.Has(t.amount.IsNegative() ? "ReadTransactionsDebits" : "ReadTransactionsCredits");
}

}  // namespace

std::optional<ApiError> UkObModule::BeginUkRead(ApiCall& call, std::string_view account_id, std::string_view endpoint,
                                                UkRead& out) {
  if (auto refused = RequiredHeaders(call.req, true)) return refused;
  const auto grant = BearerGrant(call.req);
  if (!grant) return UkRefuse(401, "UK.OBIE.Unauthorized", "Authorization: expired");
  auto consent = consents_.Get(grant->consent_id);
  if (!consent || consent->status == AccessConsentStatus::kRevoked || consent->ExpiredOn(s_.clock.Today())) {
    return UkRefuse(403, "UK.OBIE.Reauthenticate", "the consent was revoked or has expired: authorise a new one");
  }
  if (consent->status != AccessConsentStatus::kAuthorised) {
    return UkRefuse(403, "UK.OBIE.Resource.InvalidConsentStatus", "the consent is not authorised");
  }
  if (!Grants(*consent, endpoint)) {
    return UkRefuse(403, "UK.OBIE.Resource.ConsentMismatch",
                    "Permissions: the consent does not grant " + std::string(PermissionNeeded(endpoint)));
  }
  out.psu = s_.scenario.FindPsu(consent->psu_id);
  if (out.psu == nullptr) return UkRefuse(403, "UK.OBIE.Resource.InvalidConsentStatus", "the consent has no PSU");
  if (!account_id.empty()) {
    const UkRenderOptions render = RenderOptions();  // the ids the bank gives out today; older ones are unknown
    for (const ScenarioAccount& a : out.psu->accounts) {
      if (UkAccountId(a, render) == account_id) out.account = &a;
    }
    if (out.account == nullptr)
      return UkRefuse(404, "UK.OBIE.Resource.NotFound", "AccountId: not an account of the consent");
  }
  out.consent = std::move(*consent);
  return std::nullopt;
}

std::optional<ApiError> UkObModule::ConsumeUkQuota(ApiCall& call, const UkRead& read, std::string_view endpoint) {
  // Reads with x-fapi-customer-ip-address are the PSU's own (attended); a page after the first follows a link.
  if (call.req.has_header("x-fapi-customer-ip-address") || call.page > 1) return std::nullopt;
  const std::string account = read.account != nullptr ? read.account->resource_id : std::string();
  const Behaviour& b = s_.scenario.behaviour;
  if (s_.quota.TryConsume(read.consent.id, account, endpoint, s_.clock.Today(), b.frequency_per_day)) {
    return std::nullopt;
  }
  ++s_.stats.quota_refusals;
  return UkRefuse(429, "UK.OBIE.UnexpectedError",
                  "the consent's unattended reads for today are used up (no x-fapi-customer-ip-address)");
}

void UkObModule::Accounts(ApiCall& call) {
  UkRead read;
  if (auto refused = BeginUkRead(call, {}, "accounts", read)) return WriteError(call.res, *refused);
  if (auto refused = ConsumeUkQuota(call, read, "accounts")) return WriteError(call.res, *refused);
  std::vector<const ScenarioAccount*> accounts;
  for (const ScenarioAccount& a : read.psu->accounts) accounts.push_back(&a);
  const std::string self = std::string(kAispBase) + "/accounts";
  JsonAnswer(
      call.res, 200,
      RenderUkAccounts(accounts, read.consent.Has("ReadAccountsDetail"), {self, {}, {}, {}, {}}, RenderOptions()));
}

void UkObModule::Account(ApiCall& call) {
  UkRead read;
  if (auto refused = BeginUkRead(call, call.req.matches[1].str(), "accounts", read)) {
    return WriteError(call.res, *refused);
  }
  if (auto refused = ConsumeUkQuota(call, read, "accounts")) return WriteError(call.res, *refused);
  const std::string self = std::string(kAispBase) + "/accounts/" + UkAccountId(*read.account, RenderOptions());
  JsonAnswer(call.res, 200,
             RenderUkAccounts({read.account}, read.consent.Has("ReadAccountsDetail"), {self, {}, {}, {}, {}},
                              RenderOptions()));
}

void UkObModule::Balances(ApiCall& call) {
  UkRead read;
  if (auto refused = BeginUkRead(call, call.req.matches[1].str(), "balances", read)) {
    return WriteError(call.res, *refused);
  }
  if (auto refused = ConsumeUkQuota(call, read, "balances")) return WriteError(call.res, *refused);
  const Date today = s_.clock.Today();
  const std::string self =
      std::string(kAispBase) + "/accounts/" + UkAccountId(*read.account, RenderOptions()) + "/balances";
  JsonAnswer(call.res, 200,
             RenderUkBalances(*read.account, VisibleBalances(*read.account, today), today, {self, {}, {}, {}, {}},
                              RenderOptions()));
}

void UkObModule::Transactions(ApiCall& call) {
  UkRead read;
  if (auto refused = BeginUkRead(call, call.req.matches[1].str(), "transactions", read)) {
    return WriteError(call.res, *refused);
  }
  const std::string_view raw_query = QueryOf(call.req.target);
  auto fields = ParseForm(raw_query);
  if (!fields) return WriteError(call.res, FieldInvalid(fields.error().message));
  const Behaviour& b = s_.scenario.behaviour;
  const Date today = s_.clock.Today();
  BookingWindow window;
  if (auto refused = ReadWindow(*fields, raw_query, b.require, today, window)) {
    return WriteError(call.res, *refused);
  }
  if (call.page < 1) return WriteError(call.res, FieldInvalid("page: expected a positive integer"));

  std::vector<TransactionView> rows;
  for (const TransactionView& t : VisibleTransactions(*read.account, today)) {
    if (Shows(t, window, read.consent)) rows.push_back(t);
  }
  OrderNewestFirst(rows);
  const auto slice = PageSlice(rows.size(), b.page_size, b.page_overlap, call.page);
  if (!slice) return WriteError(call.res, FieldInvalid("page: beyond the last page"));
  if (auto refused = ConsumeUkQuota(call, read, "transactions")) return WriteError(call.res, *refused);

  const std::string path(PathOf(call.req.target));
  const std::string base_query = QueryWithoutPage(raw_query);
  UkLinks links;
  links.self = PageHref(path, base_query, call.page);
  links.first = PageHref(path, base_query, 1);
  links.last = PageHref(path, base_query, slice->page_count);
  if (call.page > 1) links.prev = PageHref(path, base_query, call.page - 1);
  if (call.page < slice->page_count) links.next = PageHref(path, base_query, call.page + 1);
  if (call.link_fault == FaultKind::kNextLoop) {
    links.next = links.self;
    call.link_fault_used = true;
  } else if (call.link_fault == FaultKind::kForeignNext) {
    links.next = "https://bank.invalid" + (links.next.empty() ? links.self : links.next);  // never resolves
    call.link_fault_used = true;
  }
  const std::vector<TransactionView> page(rows.begin() + static_cast<std::ptrdiff_t>(slice->begin),
                                          rows.begin() + static_cast<std::ptrdiff_t>(slice->end));
  JsonAnswer(call.res, 200,
             RenderUkTransactions(*read.account, page, read.consent.Has("ReadTransactionsDetail"), links,
                                  slice->page_count, RenderOptions()));
}

}  // namespace bankfeed::sandbox::uk_ob
