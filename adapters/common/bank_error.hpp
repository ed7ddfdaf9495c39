// adapters/common/bank_error.hpp: an error about one bank's answer, stamped with the bank (and the request) it
// concerns, for the connector parts every standard shares.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

inline Error BankError(ErrorCode code, std::string message, std::string_view bank_id,
                       std::string_view request_id = {}) {
  Error e(code, std::move(message));
  e.bank_id = std::string(bank_id);
  e.request_id = std::string(request_id);
  return e;
}

}  // namespace bankfeed::adapters
