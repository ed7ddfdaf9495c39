// Fuzzes bankfeed::NormalizeTransactions for stet. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_stet_transactions {

BANKFEED_FUZZ_TARGET(stet_transactions) {
  bankfeed::fuzz::CheckTransactions(bankfeed::Standard::kStet, data, size);
  return 0;
}

}  // namespace fuzz_stet_transactions
