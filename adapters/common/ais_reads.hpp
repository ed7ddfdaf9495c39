// adapters/common/ais_reads.hpp: what every standard's account-information reads share once the bank has answered:
// the mapping options of a profile, a mapped answer stamped with the bank and the request when it does not map, a
// transactions page read and mapped (rows the mapping refuses set aside), and the whole transactions query (the
// period by the profile's history limit, windows, every page, ids over the whole batch).
//
// A standard supplies only what is its own: how one request is sent (its headers, signing, errors), its mappings,
// where its page links are, and the URL of a window's first page.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "adapters/common/page_walk.hpp"
#include "adapters/common/window_walk.hpp"
#include "bankfeed/connector.hpp"
#include "http/message.hpp"

namespace bankfeed::adapters {

// The profile's mapping options (time zone, value quirks), for `account_id` when reading an account's data.
NormalizeOptions MappingOptions(const BankProfile& profile, const std::string& account_id = {});

// An error about a bank's answer: "<what>: <message>", with the bank, the request id and the HTTP status.
Error AnswerError(Error e, std::string_view what, const http::Response& response, std::string_view bank_id);

// The answer mapped by `map`, or its error as AnswerError says.
template <typename T>
Result<T> MapAnswer(Result<T> (*map)(simdjson::padded_string_view, const NormalizeOptions&),
                    const http::Response& response, const NormalizeOptions& options, std::string_view what,
                    std::string_view bank_id) {
  simdjson::padded_string body(response.body);
  auto mapped = map(body, options);
  if (!mapped) return tl::unexpected(AnswerError(std::move(mapped).error(), what, response, bank_id));
  return mapped;
}

// The links a standard's page carries.
struct PageLinks {
  std::optional<std::string> next, self;
};

struct TransactionReads {
  const BankProfile* profile = nullptr;
  UrlParts origin;                  // the API's origin, which page links stay on
  std::string next_name;            // the standard's name of the next-page link, for messages ("Links.Next")
  std::string log_event;            // logged once per query with pages, rows and refused rows ("uk.transactions")
  // One GET of a page; `operation` says which ("read transactions page 3").
  std::function<Result<http::Response>(const std::string& url, const std::string& operation)> fetch;
  Result<std::vector<Transaction>> (*map)(simdjson::padded_string_view, const NormalizeOptions&) = nullptr;
  std::function<Result<PageLinks>(std::string_view body)> links;
  // The URL of the first page of one window of the period (with the query's after_entry_reference, where the
  // standard has that filter).
  std::function<std::string(const DateWindow& window)> first_page_url;
  bool after_entry_reference = false;  // the standard filters by entry reference (STET afterEntryReference)
  // A shorter history than the profile's quirks.max_history_days for this read (STET: a token from a refresh at a
  // bank with quirks.history_after_refresh_days); 0: the profile's.
  int max_history_days = 0;
};

// Every page of `query` for `account`, mapped, the profile's page overlap dropped, the period read in windows
// where the profile caps it, ids assigned over the whole batch (twins on different pages stay twins). A bank that
// ignores paging (quirks.single_page) is read one page per window. Amounts without a currency take the account's.
// Any failure on any page fails the whole query. kInvalidArgument for a period that ends before it starts, and for an
// after_entry_reference where the standard has no such filter.
Result<TransactionBatch> ReadTransactionBatch(const TransactionReads& reads, const Account& account,
                                              const TransactionQuery& query, Date today);

}  // namespace bankfeed::adapters
