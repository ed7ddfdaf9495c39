// UK Open Banking error answers. See adapters/uk_ob/errors.hpp.
#include "adapters/uk_ob/errors.hpp"

#include <simdjson.h>

#include "adapters/common/error_answer.hpp"

namespace bankfeed::uk_ob {
namespace {

namespace dom = simdjson::dom;
constexpr size_t kMaxErrorBody = 256u << 10;

bool IsCodeToken(std::string_view code) {
  if (code.empty() || code.size() > 96) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string ErrorCodeOfBody(std::string_view body) {
  if (body.empty() || body.size() > kMaxErrorBody) return {};
  dom::parser parser;
  dom::array errors;
  if (parser.parse(body.data(), body.size())["Errors"].get_array().get(errors) != simdjson::SUCCESS) return {};
  for (dom::element item : errors) {
    std::string_view code;
    if (item["ErrorCode"].get_string().get(code) == simdjson::SUCCESS && IsCodeToken(code)) return std::string(code);
  }
  return {};
}

ErrorCode ErrorCodeFor(std::string_view code, int http_status) {
  if (code == "UK.OBIE.Reauthenticate") return ErrorCode::kConsentExpired;
  if (code == "UK.OBIE.Resource.ConsentMismatch" || code == "UK.OBIE.Resource.InvalidConsentStatus") {
    return ErrorCode::kConsentInvalid;
  }
  if (code == "UK.OBIE.Resource.NotFound") return ErrorCode::kNotFound;
  if (code.starts_with("UK.OBIE.Field.") || code.starts_with("UK.OBIE.Header.") ||
      code.starts_with("UK.OBIE.Parameter.") || code.starts_with("UK.OBIE.Unsupported.") ||
      code == "UK.OBIE.Resource.InvalidFormat") {
    return ErrorCode::kInvalidArgument;
  }
  if (code.starts_with("UK.OBIE.Signature.")) return ErrorCode::kUnauthenticated;
  if (http_status == 429) return ErrorCode::kRateLimited;
  if (http_status >= 500) return ErrorCode::kUnavailable;
  if (http_status == 401 || http_status == 403) return ErrorCode::kUnauthenticated;
  if (http_status == 404) return ErrorCode::kNotFound;
  if (http_status == 400 && !code.empty()) return ErrorCode::kInvalidArgument;
  return ErrorCode::kHttp;
}

Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation) {
  std::string code = ErrorCodeOfBody(response.body);
  const ErrorCode typed = ErrorCodeFor(code, response.status);
  return adapters::ErrorAnswer(response, bank_id, operation, std::move(code), typed);
}

}  // namespace bankfeed::uk_ob
