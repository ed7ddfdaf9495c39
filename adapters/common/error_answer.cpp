// A bank's error answer as a typed error. See adapters/common/error_answer.hpp.
#include "adapters/common/error_answer.hpp"

#include "http/retry.hpp"

namespace bankfeed::adapters {

Error ErrorAnswer(const http::Response& response, std::string_view bank_id, std::string_view operation,
                  std::string bank_code, ErrorCode code) {
  Error e = http::StatusError(response, bank_id);
  e.code = code;
  e.message = std::string(operation) + ": the bank answered HTTP " + std::to_string(response.status);
  if (!bank_code.empty()) {
    e.message += " " + bank_code;
  } else if (response.body.empty()) {
    e.message += " with an empty body";
  } else {
    auto type = response.HeaderValue("Content-Type");
    e.message += type && type->find("html") != std::string_view::npos ? " with an HTML page" : " without an error code";
  }
  e.bank_code = std::move(bank_code);
  return e;
}

}  // namespace bankfeed::adapters
