// Fuzzes bankfeed::NormalizeBalances for berlin_group. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_berlin_group_balances {

BANKFEED_FUZZ_TARGET(berlin_group_balances) {
  bankfeed::fuzz::CheckBalances(bankfeed::Standard::kBerlinGroup, data, size);
  return 0;
}

}  // namespace fuzz_berlin_group_balances
