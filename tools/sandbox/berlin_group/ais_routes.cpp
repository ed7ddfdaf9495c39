// Berlin Group AIS reads: the account list, balances and paginated transactions, behind consent, token, quirk and
// quota checks.
#include <algorithm>

#include "tools/sandbox/berlin_group/module.hpp"
#include "tools/sandbox/pagination.hpp"
#include "tools/sandbox/berlin_group/requirements.hpp"
#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/form.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

ApiError FormatError(std::string text) { return Refuse(400, "FORMAT_ERROR", std::move(text)); }

struct TransactionQuery {
  BookingStatus status = BookingStatus::kBoth;
  Date from, to;
};

std::optional<ApiError> ReadQuery(const FormFields& q, const Requirements& require, Date today,
                                  TransactionQuery& out) {
  const std::string* status = FindField(q, "bookingStatus");
  if (status == nullptr) return FormatError("bookingStatus: missing");
  if (*status == "booked") {
    out.status = BookingStatus::kBooked;
  } else if (*status == "pending") {
    out.status = BookingStatus::kPending;
  } else if (*status == "both") {
    out.status = BookingStatus::kBoth;
  } else if (*status == "information") {
    return Refuse(400, "PARAMETER_NOT_SUPPORTED", "bookingStatus: information is not supported");
  } else {
    return FormatError("bookingStatus: expected booked, pending or both");
  }
  const std::string* from = FindField(q, "dateFrom");
  if (from == nullptr) return FormatError("dateFrom: missing");
  auto parsed_from = ParseQueryDate(*from, require.date_format);
  if (!parsed_from) return FormatError("dateFrom: not a date in the format " + require.date_format);
  out.from = *parsed_from;
  const std::string* to = FindField(q, "dateTo");
  if (to != nullptr && require.date_to == DateToRule::kForbidden) return FormatError("dateTo: not supported");
  if (to == nullptr && require.date_to == DateToRule::kRequired) return FormatError("dateTo: missing");
  out.to = today;
  if (to != nullptr) {
    auto parsed_to = ParseQueryDate(*to, require.date_format);
    if (!parsed_to) return FormatError("dateTo: not a date in the format " + require.date_format);
    out.to = *parsed_to;
  }
  if (require.max_history_days &&
      out.from.days_since_epoch < today.days_since_epoch - static_cast<int32_t>(*require.max_history_days)) {
    return Refuse(400, "PERIOD_INVALID",
                  "dateFrom: more than " + std::to_string(*require.max_history_days) + " days back");
  }
  if (out.from > out.to) return Refuse(400, "PERIOD_INVALID", "dateFrom: after dateTo");
  if (require.max_window_days &&
      out.to.days_since_epoch - out.from.days_since_epoch + 1 > static_cast<int32_t>(*require.max_window_days)) {
    return Refuse(400, "PERIOD_INVALID",
                  "dateFrom, dateTo: more than " + std::to_string(*require.max_window_days) + " days in one query");
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> BerlinGroupModule::BeginRead(ApiCall& call, std::string_view resource_id,
                                                     std::string_view endpoint, Read& out) {
  const httplib::Request& req = call.req;
  if (auto refused = CheckRequirements(s_.scenario.behaviour.require, req, true)) return refused;
  if (!req.has_header("Consent-ID")) return FormatError("header Consent-ID is missing");
  auto consent = consents_.Get(req.get_header_value("Consent-ID"));
  if (!consent) return Refuse(403, "CONSENT_UNKNOWN", "no such consent");
  if (consent->via_token && !s_.oauth.IsValidAccessToken(BearerToken(req))) {
    return Refuse(401, "TOKEN_INVALID", "Authorization: no valid bearer access token");
  }
  const ConsentStatus status = consent->StatusOn(s_.clock.Today());
  if (status == ConsentStatus::kExpired) return Refuse(401, "CONSENT_EXPIRED", "the consent has expired");
  if (status != ConsentStatus::kValid) {
    return Refuse(401, "CONSENT_INVALID", "the consent is " + std::string(ConsentStatusName(status)));
  }
  if (req.has_header("PSU-ID") && req.get_header_value("PSU-ID") != consent->psu_id) {
    return Refuse(401, "PSU_CREDENTIALS_INVALID", "PSU-ID: not the consent's PSU");
  }
  if (!resource_id.empty()) {
    out.account = s_.scenario.FindAccount(resource_id);
    if (out.account == nullptr) return Refuse(404, "RESOURCE_UNKNOWN", "no such account");
    const AccountAccess* access = consent->AccessTo(resource_id);
    const bool granted = access != nullptr && (endpoint == "balances"       ? access->balances
                                               : endpoint == "transactions" ? access->transactions
                                                                            : true);
    if (!granted) return Refuse(401, "CONSENT_INVALID", "the consent does not cover this account's " + std::string(endpoint));
  }
  out.consent = std::move(*consent);
  return std::nullopt;
}

std::optional<ApiError> BerlinGroupModule::ConsumeQuota(ApiCall& call, const Read& read, std::string_view endpoint) {
  // Reads with PSU-IP-Address are the PSU's own (attended); a page after the first follows a next link.
  if (call.req.has_header("PSU-IP-Address") || call.page > 1) return std::nullopt;
  const std::string account = read.account != nullptr ? read.account->resource_id : std::string();
  if (s_.quota.TryConsume(read.consent.id, account, endpoint, s_.clock.Today(), read.consent.frequency_per_day)) {
    consents_.Touch(read.consent.id, s_.clock.Today());
    return std::nullopt;
  }
  ++s_.stats.quota_refusals;
  return Refuse(429, "ACCESS_EXCEEDED", "the consent's unattended reads for today are used up");
}

void BerlinGroupModule::Accounts(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, {}, "accounts", read)) return WriteError(call.res, *refused);
  auto query = ParseForm(QueryOf(call.req.target));
  if (!query) return WriteError(call.res, FormatError(query.error().message));
  const std::string* with_balance = FindField(*query, "withBalance");
  if (with_balance != nullptr && *with_balance != "true" && *with_balance != "false") {
    return WriteError(call.res, FormatError("withBalance: expected true or false"));
  }
  if (auto refused = ConsumeQuota(call, read, "accounts")) return WriteError(call.res, *refused);
  const Date today = s_.clock.Today();
  std::vector<AccountEntry> entries;
  for (const AccountAccess& a : read.consent.access) {
    const ScenarioAccount* account = s_.scenario.FindAccount(a.resource_id);
    if (account == nullptr) continue;
    AccountEntry e{account, a.balances, a.transactions, {}};
    if (with_balance != nullptr && *with_balance == "true" && a.balances) e.with_balances = VisibleBalances(*account, today);
    entries.push_back(std::move(e));
  }
  Json(call.res, 200, RenderAccounts(entries, today, Options()));
}

void BerlinGroupModule::Balances(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, call.req.matches[1].str(), "balances", read)) return WriteError(call.res, *refused);
  if (auto refused = ConsumeQuota(call, read, "balances")) return WriteError(call.res, *refused);
  const Date today = s_.clock.Today();
  Json(call.res, 200, RenderBalances(*read.account, VisibleBalances(*read.account, today), today, Options()));
}

void BerlinGroupModule::Transactions(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, call.req.matches[1].str(), "transactions", read)) {
    return WriteError(call.res, *refused);
  }
  const std::string_view raw_query = QueryOf(call.req.target);
  auto fields = ParseForm(raw_query);
  if (!fields) return WriteError(call.res, FormatError(fields.error().message));
  const Behaviour& b = s_.scenario.behaviour;
  const Date today = s_.clock.Today();
  TransactionQuery q;
  if (auto refused = ReadQuery(*fields, b.require, today, q)) return WriteError(call.res, *refused);
  if (call.page < 1) return WriteError(call.res, FormatError("page: expected a positive integer"));

  std::vector<TransactionView> rows;
  for (const TransactionView& t : VisibleTransactions(*read.account, today)) {
    if (t.booked ? (q.status == BookingStatus::kPending || *t.booking_date < q.from || *t.booking_date > q.to)
                 : (q.status == BookingStatus::kBooked || t.value_date > q.to)) {
      continue;  // booked rows by booking date; pending rows whatever their age, as banks show them
    }
    rows.push_back(t);
  }
  OrderNewestFirst(rows);
  const auto window = PageSlice(rows.size(), b.page_size, b.page_overlap, call.page);
  if (!window) return WriteError(call.res, FormatError("page: beyond the last page"));
  if (auto refused = ConsumeQuota(call, read, "transactions")) return WriteError(call.res, *refused);

  const std::string path(PathOf(call.req.target));
  const std::string base_query = QueryWithoutPage(raw_query);
  const std::string self = PageHref(path, base_query, call.page);
  std::vector<Link> links{{"account", "/v1/accounts/" + read.account->resource_id},
                          {"self", self},
                          {"first", PageHref(path, base_query, 1)}};
  if (call.page > 1) links.push_back({"previous", PageHref(path, base_query, call.page - 1)});
  std::optional<std::string> next;
  if (call.page < window->page_count) next = PageHref(path, base_query, call.page + 1);
  if (call.link_fault == FaultKind::kNextLoop) {
    next = self;
    call.link_fault_used = true;
  } else if (call.link_fault == FaultKind::kForeignNext) {
    next = "https://bank.invalid" + next.value_or(self);  // another origin, which never resolves
    call.link_fault_used = true;
  }
  if (next) links.push_back({"next", *next});
  links.push_back({"last", PageHref(path, base_query, window->page_count)});

  const std::vector<TransactionView> page(rows.begin() + static_cast<std::ptrdiff_t>(window->begin),
                                          rows.begin() + static_cast<std::ptrdiff_t>(window->end));
  Json(call.res, 200, RenderTransactions(*read.account, page, q.status, links, Options()));
}

}  // namespace bankfeed::sandbox::berlin_group
