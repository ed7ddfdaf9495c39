// GET {root}/accounts/{id}/transactions: rows newest first, filtered by dateFrom (inclusive) / dateTo (exclusive)
// and afterEntryReference, paginated with page=N and a next link while rows remain (README "STET").
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/pagination.hpp"
#include "tools/sandbox/stet/module.hpp"
#include "tools/sandbox/stet/query.hpp"
#include "tools/sandbox/stet/render.hpp"

namespace bankfeed::sandbox::stet {
namespace {

struct Window {
  std::optional<BankMoment> from, to;
};

std::optional<ApiError> ReadWindow(const FormFields& q, std::string_view raw_query, const Behaviour& b, Date today,
                                   bool from_refresh, Window& out) {
  const StetDateFilter filter = b.stet.date_filter;
  const std::pair<std::string_view, std::optional<BankMoment>*> params[] = {{"dateFrom", &out.from},
                                                                            {"dateTo", &out.to}};
  for (const auto& [name, slot] : params) {
    const std::string* text = FindField(q, name);
    if (text == nullptr) continue;
    if (filter == StetDateFilter::kDateTime && b.require.date_time_colons_encoded) {
      if (auto wrong = ColonFormError(RawQueryValue(raw_query, name), *b.require.date_time_colons_encoded)) {
        return StetFormatError(std::string(name) + ": " + *wrong);
      }
    }
    *slot = ParseStetFilter(*text, filter);
    if (!*slot) {
      return StetFormatError(std::string(name) + (filter == StetDateFilter::kDate
                                                  ? ": expected a date YYYY-MM-DD"
                                                  : ": expected a date-time YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)"));
    }
  }
  const Requirements& require = b.require;
  if (out.to && require.date_to == DateToRule::kForbidden) return StetFormatError("dateTo: not supported");
  if (!out.to && require.date_to == DateToRule::kRequired) return StetFormatError("dateTo: required by this bank");
  if (out.from && out.to && *out.from >= *out.to) return StetFormatError("dateFrom: not before dateTo");
  const auto days_back = [&](int64_t n) { return Date{today.days_since_epoch - static_cast<int32_t>(n)}; };
  if (require.max_history_days && (!out.from || out.from->date < days_back(*require.max_history_days))) {
    return StetFormatError("dateFrom: more than " + std::to_string(*require.max_history_days) + " days back (or missing)");
  }
  if (require.max_window_days) {
    const Date to = out.to ? out.to->date : Date{today.days_since_epoch + 1};  // dateTo is exclusive
    if (!out.from || to.days_since_epoch - out.from->date.days_since_epoch > *require.max_window_days) {
      return StetFormatError("dateFrom, dateTo: more than " + std::to_string(*require.max_window_days) +
                         " days in one query (or no dateFrom)");
    }
  }
  if (from_refresh && b.stet.history_after_refresh_days &&
      (!out.from || out.from->date < days_back(*b.stet.history_after_refresh_days))) {
    return StetRefuse(403, "FORBIDDEN",
                      "dateFrom: more than " + std::to_string(*b.stet.history_after_refresh_days) +
                          " days back needs the PSU (this token came from a refresh)");
  }
  return std::nullopt;
}

bool InWindow(const TransactionView& t, const Window& w) {
  const BankMoment at{t.booked ? *t.booking_date : t.value_date, 0};
  return (!w.from || at >= *w.from) && (!w.to || at < *w.to);
}

}  // namespace

void StetModule::Transactions(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, call.req.matches[1].str(), "transactions", read)) return Fail(call, *refused);
  const std::string_view raw_query = QueryOf(call.req.target);
  // The links repeat the query as sent: bytes that are not text would make the page invalid JSON.
  if (!IsCleanText(raw_query)) return Fail(call, StetFormatError("query: expected printable text"));
  auto fields = ParseForm(raw_query);
  if (!fields) return Fail(call, StetFormatError(fields.error().message));
  const Behaviour& b = s_.scenario.behaviour;
  const Date today = s_.clock.Today();
  Window window;
  if (auto refused = ReadWindow(*fields, raw_query, b, today, read.grant.from_refresh, window)) {
    return Fail(call, *refused);
  }
  if (call.page < 1) return Fail(call, StetFormatError("page: expected a positive integer"));

  std::vector<TransactionView> visible = VisibleTransactions(*read.account, today);
  OrderNewestFirst(visible);
  // afterEntryReference: the rows the bank booked after that one, i.e. those listed before it (newest first).
  size_t newer_than = visible.size();
  if (const std::string* after = FindField(*fields, "afterEntryReference")) {
    size_t at = 0;
    while (at < visible.size() && (b.ids != IdMode::kStable || visible[at].id != *after)) ++at;
    if (at == visible.size()) return Fail(call, StetFormatError("afterEntryReference: not an entry of this account"));
    newer_than = at;
  }
  std::vector<TransactionView> rows;
  for (size_t i = 0; i < newer_than; ++i) {
    if (InWindow(visible[i], window)) rows.push_back(visible[i]);
  }

  const std::string path(PathOf(call.req.target));
  const std::string base_query = QueryWithoutPage(raw_query);
  StetPageLinks links{PageHref(path, base_query, call.page), std::nullopt};
  std::vector<TransactionView> page;
  if (b.stet.single_page) {
    // A bank that ignores paging: every page is all of it, and it always offers another.
    page = rows;
    links.next = PageHref(path, base_query, call.page + 1);
  } else {
    const auto slice = PageSlice(rows.size(), b.page_size, b.page_overlap, call.page);
    if (!slice) return Fail(call, StetFormatError("page: beyond the last page"));
    page.assign(rows.begin() + static_cast<std::ptrdiff_t>(slice->begin),
                rows.begin() + static_cast<std::ptrdiff_t>(slice->end));
    if (call.page < slice->page_count) {
      links.next = PageHref(path, base_query, call.page + 1);
    } else if (b.stet.last_page_next_self) {
      links.next = links.self;
    }
  }
  if (auto refused = ConsumeQuota(call, read, "transactions")) return Fail(call, *refused);
  if (call.link_fault == FaultKind::kNextLoop) {
    links.next = links.self;
    call.link_fault_used = true;
  } else if (call.link_fault == FaultKind::kForeignNext) {
    links.next = "https://bank.invalid" + links.next.value_or(links.self);  // another origin, which never resolves
    call.link_fault_used = true;
  }
  Json(call.res, 200, RenderStetTransactions(*read.account, page, links, {b, s_.base_url, today}));
}

}  // namespace bankfeed::sandbox::stet
