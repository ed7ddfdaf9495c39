// STET error answers. See adapters/stet/errors.hpp.
#include "adapters/stet/errors.hpp"

#include <simdjson.h>

#include "adapters/common/error_answer.hpp"

namespace bankfeed::stet {
namespace {

namespace dom = simdjson::dom;
constexpr size_t kMaxErrorBody = 256u << 10;

bool IsCodeText(std::string_view code) {
  if (code.empty() || code.size() > 64 || code.front() == ' ' || code.back() == ' ') return false;
  for (const char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-' || c == ' ')) {
      return false;
    }
  }
  return true;
}

std::string CodeOf(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS && IsCodeText(text)) return std::string(text);
  return {};
}

}  // namespace

std::string ErrorCodeOfBody(std::string_view body) {
  if (body.empty() || body.size() > kMaxErrorBody) return {};
  dom::parser parser;
  dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != simdjson::SUCCESS) return {};
  // The STET ErrorModel's and OAuth2's `error`, then a bank's own `code`, then Berlin Group's first tppMessage.
  for (const char* key : {"error", "code"}) {
    dom::element value;
    if (root[key].get(value) == simdjson::SUCCESS) {
      if (std::string code = CodeOf(value); !code.empty()) return code;
    }
  }
  dom::array messages;
  if (root["tppMessages"].get_array().get(messages) == simdjson::SUCCESS) {
    for (dom::element item : messages) {
      dom::element value;
      if (item["code"].get(value) == simdjson::SUCCESS) {
        if (std::string code = CodeOf(value); !code.empty()) return code;
      }
    }
  }
  return {};
}

ErrorCode ErrorCodeFor(std::string_view bank_code, int http_status) {
  if (http_status == 429) return ErrorCode::kRateLimited;
  if (http_status >= 500) return ErrorCode::kUnavailable;
  if (http_status == 401) return ErrorCode::kUnauthenticated;
  // STET: 403 is an access the customer's authorisation does not cover (an account not in PUT /consents).
  if (http_status == 403) return ErrorCode::kConsentInvalid;
  if (http_status == 404) return ErrorCode::kNotFound;
  if (http_status == 400) {
    if (bank_code == "invalid_grant") return ErrorCode::kConsentInvalid;
    return ErrorCode::kInvalidArgument;
  }
  if (http_status == 405 || http_status == 406 || http_status == 415) return ErrorCode::kInvalidArgument;
  return ErrorCode::kHttp;
}

Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation) {
  std::string code = ErrorCodeOfBody(response.body);
  const ErrorCode typed = ErrorCodeFor(code, response.status);
  return adapters::ErrorAnswer(response, bank_id, operation, std::move(code), typed);
}

}  // namespace bankfeed::stet
