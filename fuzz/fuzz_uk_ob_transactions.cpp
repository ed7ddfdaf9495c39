// Fuzzes bankfeed::NormalizeTransactions for uk_ob. On success it checks the invariants in fuzz_common.hpp.
#include "fuzz_common.hpp"

namespace fuzz_uk_ob_transactions {

BANKFEED_FUZZ_TARGET(uk_ob_transactions) {
  bankfeed::fuzz::CheckTransactions(bankfeed::Standard::kUkOpenBanking, data, size);
  return 0;
}

}  // namespace fuzz_uk_ob_transactions
