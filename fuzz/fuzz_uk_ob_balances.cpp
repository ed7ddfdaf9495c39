// Fuzzes bankfeed::NormalizeBalances for uk_ob. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bankfeed::fuzz::CheckBalances(bankfeed::Standard::kUkOpenBanking, data, size);
  return 0;
}
