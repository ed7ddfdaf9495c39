// Synthetic but realistic transaction reports for the benchmarks, one per standard, built in memory.
//
// A fixed seed gives the same bytes on every run and every machine, because the generator uses its own PRNG and no
// std:: distributions (their output is implementation-defined). The rows vary the way real bank data does: amounts as
// strings with one or two decimals and sometimes as JSON numbers, names with UTF-8, remittance as a string or an
// array, occasional structured references, exchange rates and per-row links.
//
//   bankfeed::bench::GeneratedReport r = bankfeed::bench::GenerateBerlinGroup(100 << 20, 42);
//   // r.json is at least 100 MiB; r.rows is the number of transactions it holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace bankfeed::bench {

struct GeneratedReport {
  std::string json;
  size_t rows = 0;  // transactions in the report; normalization must return exactly this many
};

// {"account":{...},"transactions":{"booked":[...],"pending":[...],"_links":{...}}}
GeneratedReport GenerateBerlinGroup(size_t min_bytes, uint64_t seed);
// {"Data":{"Transaction":[...]},"Links":{...},"Meta":{...}}
GeneratedReport GenerateUkOpenBanking(size_t min_bytes, uint64_t seed);
// {"transactions":[...],"_links":{...}}
GeneratedReport GenerateStet(size_t min_bytes, uint64_t seed);

}  // namespace bankfeed::bench
