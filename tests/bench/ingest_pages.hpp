// Berlin Group transaction pages as a bank sends them, one account's query at a time, for the ingest benchmark.
//
// Like report_generator.hpp, a fixed seed gives the same bytes on every run and machine (own PRNG, no std::
// distributions). Each account's history covers the 366 days of 2024, oldest first, a few rows a day; the rows vary
// the way report_generator's do (amounts with one or two decimals or as JSON numbers, UTF-8 names, remittance as a
// string or an array, structured references, exchange rates, per-row links, direct debits with mandates), and
//   - about 95% carry a transactionId unique within the account, ~40% an entryReference;
//   - ~1% are twins: a row without bank ids sent twice, identical in every byte (two equal coffees on one day);
//     a pair can straddle a page boundary;
//   - ~2% are pending (no bookingDate, value date in the last days of the year), sent after all booked rows in the
//     "pending" arrays of the last page or two.
// The account's rows are cut into pages of `page_size` rows (the last one shorter), each a full account report:
//   {"account":{"iban":..},"transactions":{"booked":[..],"pending":[..],"_links":{"account":..,"next":..}}}
//
//   bankfeed::bench::AccountPages a = bankfeed::bench::GenerateAccountPages(7, 1000, 250, 42);
//   // a.pages.size() == 4; a.rows == 1000; a.balances is the account's /balances body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bankfeed::bench {

struct AccountPages {
  std::string iban;                // the account's own IBAN
  std::string resource_id;         // the bank's id of the account
  std::vector<std::string> pages;  // wire JSON, in the order the bank sends them
  std::string balances;            // the account's GET /balances body (two balances)
  size_t rows = 0;                 // transactions over all pages (each twin counts)
  size_t pending = 0;              // of which pending
  size_t twins = 0;                // rows that repeat the row before them exactly
  size_t bytes = 0;                // total size of `pages`
};

// `rows` transactions of account number `account` (which seeds its ids and IBAN), `page_size` rows a page.
AccountPages GenerateAccountPages(size_t account, size_t rows, size_t page_size, uint64_t seed);

}  // namespace bankfeed::bench
