#include "adapters/uk_ob/mapping.hpp"
namespace bankfeed::uk_ob {
Result<std::vector<Transaction>> MapTransactions(simdjson::padded_string_view, const NormalizeOptions&) { return MakeError(ErrorCode::kInternal, "not implemented"); }
Result<std::vector<Account>> MapAccounts(simdjson::padded_string_view, const NormalizeOptions&) { return MakeError(ErrorCode::kInternal, "not implemented"); }
Result<std::vector<Balance>> MapBalances(simdjson::padded_string_view, const NormalizeOptions&) { return MakeError(ErrorCode::kInternal, "not implemented"); }
Result<Consent> MapConsent(simdjson::padded_string_view, const NormalizeOptions&) { return MakeError(ErrorCode::kInternal, "not implemented"); }
}
