// Fuzzes bankfeed::NormalizeBalances for stet. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_stet_balances {

BANKFEED_FUZZ_TARGET(stet_balances) {
  bankfeed::fuzz::CheckBalances(bankfeed::Standard::kStet, data, size);
  return 0;
}

}  // namespace fuzz_stet_balances
