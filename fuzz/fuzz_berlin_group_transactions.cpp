// Fuzzes bankfeed::NormalizeTransactions for berlin_group. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_berlin_group_transactions {

BANKFEED_FUZZ_TARGET(berlin_group_transactions) {
  bankfeed::fuzz::CheckTransactions(bankfeed::Standard::kBerlinGroup, data, size);
  return 0;
}

}  // namespace fuzz_berlin_group_transactions
