// The account-information reads every standard shares. See adapters/common/ais_reads.hpp.
#include "adapters/common/ais_reads.hpp"

#include <algorithm>

#include "adapters/common/bank_error.hpp"
#include "bankfeed/ids.hpp"
#include "log/log.hpp"

namespace bankfeed::adapters {

NormalizeOptions MappingOptions(const BankProfile& profile, const std::string& account_id) {
  NormalizeOptions options;
  options.standard = profile.standard;
  options.timezone = profile.timezone;
  options.quirks = profile.quirks.values;
  options.account_id = account_id;
  return options;
}

Error AnswerError(Error e, std::string_view what, const http::Response& response, std::string_view bank_id) {
  e.message = std::string(what) + ": " + e.message;
  e.bank_id = std::string(bank_id);
  e.request_id = response.request_id;
  e.http_status = response.status;
  return e;
}

Result<TransactionBatch> ReadTransactionBatch(const TransactionReads& reads, const Account& account,
                                              const TransactionQuery& query, Date today) {
  const BankProfile& profile = *reads.profile;
  TransactionBatch batch;
  const int profile_days = profile.quirks.max_history_days;
  const int history_days = reads.max_history_days > 0 ? std::min(reads.max_history_days, profile_days) : profile_days;
  const Date earliest{today.days_since_epoch - history_days};
  batch.date_from = std::max(query.date_from, earliest);
  batch.date_to = query.date_to.value_or(today);
  if (query.after_entry_reference && !reads.after_entry_reference) {
    return tl::unexpected(BankError(ErrorCode::kInvalidArgument,
                                    "query.after_entry_reference: this standard has no such filter", profile.id));
  }
  if (batch.date_from > batch.date_to) {
    return tl::unexpected(BankError(ErrorCode::kInvalidArgument, "query.date_from: after date_to", profile.id));
  }
  NormalizeOptions options = MappingOptions(profile, account.id);
  options.assign_ids = false;  // assigned once, over the whole batch, below
  options.account_currency = account.currency;

  PageWalkRules rules;
  rules.bank_id = profile.id;
  rules.next_name = reads.next_name;
  rules.origin = reads.origin;
  rules.link_hosts = profile.quirks.link_hosts;
  rules.page_cap = profile.quirks.page_cap;
  rules.overlap = static_cast<size_t>(std::max(0, profile.quirks.page_overlap));
  rules.next_equal_self_ends = profile.quirks.last_page_next_self;
  // One page: its rows (a row the mapping refuses is set aside with its error, and the sync keeps it in quarantine)
  // and its links.
  const PageReader read_page = [&](const std::string& url, int page) -> Result<Page> {
    const std::string what = "transactions page " + std::to_string(page);
    BANKFEED_ASSIGN_OR_RETURN(http::Response response, reads.fetch(url, "read " + what));
    Page out;
    options.refused = &out.rows.refused;
    auto rows = MapAnswer(reads.map, response, options, what, profile.id);
    options.refused = nullptr;
    if (!rows) return tl::unexpected(std::move(rows).error());
    out.rows.rows = std::move(*rows);
    auto links = reads.links(response.body);
    if (!links) return tl::unexpected(AnswerError(std::move(links).error(), what, response, profile.id));
    // A bank that ignores paging repeats every row behind its `next`: the first page is the whole answer.
    if (!profile.quirks.single_page) out.next = std::move(links->next);
    out.self = std::move(links->self);
    out.request_id = response.request_id;
    return out;
  };
  // A bank that caps the period of one query is read in consecutive windows (profile quirks.max_window_days).
  const WindowReader read_window = [&](const DateWindow& window) {
    return WalkPages(reads.first_page_url(window), rules, read_page);
  };
  BANKFEED_ASSIGN_OR_RETURN(WalkedRows rows, WalkWindows(batch.date_from, batch.date_to,
                                                         profile.quirks.max_window_days, read_window));
  batch.transactions = std::move(rows.transactions);
  batch.refused = std::move(rows.refused);
  batch.pages = rows.pages;
  TransactionIdAssigner ids;
  for (auto& t : batch.transactions) ids.Assign(t);
  log::Info(reads.log_event, {{"bank", profile.id},
                              {"pages", batch.pages},
                              {"rows", static_cast<int64_t>(batch.transactions.size())},
                              {"refused", static_cast<int64_t>(batch.refused.size())}});
  return batch;
}

}  // namespace bankfeed::adapters
