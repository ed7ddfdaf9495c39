// Fuzzes bankfeed::NormalizeAccounts for stet. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_stet_accounts {

BANKFEED_FUZZ_TARGET(stet_accounts) {
  bankfeed::fuzz::CheckAccounts(bankfeed::Standard::kStet, data, size);
  return 0;
}

}  // namespace fuzz_stet_accounts
