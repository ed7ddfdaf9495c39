// Fuzzes bankfeed::NormalizeAccounts for berlin_group. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_berlin_group_accounts {

BANKFEED_FUZZ_TARGET(berlin_group_accounts) {
  bankfeed::fuzz::CheckAccounts(bankfeed::Standard::kBerlinGroup, data, size);
  return 0;
}

}  // namespace fuzz_berlin_group_accounts
