// Fuzzes bankfeed::NormalizeTransactions for berlin_group. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bankfeed::fuzz::CheckTransactions(bankfeed::Standard::kBerlinGroup, data, size);
  return 0;
}
