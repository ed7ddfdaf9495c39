// adapters/common/error_answer.hpp: the typed error for a bank's non-2xx answer, worded the same for every
// standard: what was attempted, the HTTP status, and the bank's error code, or what the body was instead (empty, an
// HTML page from the bank's edge, no code). The bank's free text is never copied: it may quote customer data.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "http/message.hpp"

namespace bankfeed::adapters {

// `bank_code` as the standard's parser found it in the body ("" when none); `code` what it stands for.
Error ErrorAnswer(const http::Response& response, std::string_view bank_id, std::string_view operation,
                  std::string bank_code, ErrorCode code);

}  // namespace bankfeed::adapters
