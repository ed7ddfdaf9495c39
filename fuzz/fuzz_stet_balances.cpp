// Fuzzes bankfeed::NormalizeBalances for stet. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bankfeed::fuzz::CheckBalances(bankfeed::Standard::kStet, data, size);
  return 0;
}
