#include "adapters/berlin_group/errors.hpp"

#include <simdjson.h>

#include "adapters/common/error_answer.hpp"

namespace bankfeed::berlin_group {
namespace od = simdjson::ondemand;
namespace {

constexpr size_t kMaxErrorBody = 256u << 10;

bool IsCodeToken(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Reads one message object; returns its code when its category is ERROR (or absent).
std::string MessageCode(od::value message) {
  od::object obj;
  if (message.get_object().get(obj) != simdjson::SUCCESS) return {};
  std::string code;
  bool is_error = true;
  for (auto field : obj) {
    std::string_view key, text;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return {};
    od::value value;
    if (field.value().get(value) != simdjson::SUCCESS) return {};
    if (key == "code") {
      if (value.get_string().get(text) == simdjson::SUCCESS && IsCodeToken(text)) code.assign(text);
    } else if (key == "category") {
      if (value.get_string().get(text) == simdjson::SUCCESS) is_error = text == "ERROR";
    }
  }
  return is_error ? code : std::string();
}

std::string FirstErrorOfArray(od::value list) {
  od::array array;
  if (list.get_array().get(array) != simdjson::SUCCESS) return {};
  for (auto item : array) {
    od::value message;
    if (item.get(message) != simdjson::SUCCESS) return {};
    std::string code = MessageCode(message);
    if (!code.empty()) return code;
  }
  return {};
}

}  // namespace

std::string ErrorCodeOfBody(std::string_view body) {
  if (body.empty() || body.size() > kMaxErrorBody) return {};
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return {};
  od::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) return {};
  if (type == od::json_type::array) {
    od::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) return {};
    return FirstErrorOfArray(root);
  }
  od::object root;
  if (type != od::json_type::object || doc.get_object().get(root) != simdjson::SUCCESS) return {};
  std::string problem_code, additional_code;
  for (auto field : root) {
    std::string_view key, text;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return {};
    od::value value;
    if (field.value().get(value) != simdjson::SUCCESS) return {};
    if (key == "tppMessages") {
      std::string code = FirstErrorOfArray(value);
      if (!code.empty()) return code;
    } else if (key == "code") {  // problem+json (Berlin Group 1.3.x "additionalErrors" form)
      if (value.get_string().get(text) == simdjson::SUCCESS && IsCodeToken(text)) problem_code.assign(text);
    } else if (key == "additionalErrors") {
      additional_code = FirstErrorOfArray(value);
    }
  }
  return problem_code.empty() ? additional_code : problem_code;
}

ErrorCode ErrorCodeFor(std::string_view code, int http_status) {
  if (code == "CONSENT_EXPIRED") return ErrorCode::kConsentExpired;
  if (code == "CONSENT_INVALID" || code == "CONSENT_UNKNOWN" || code == "STATUS_INVALID") {
    return ErrorCode::kConsentInvalid;
  }
  if (code == "ACCESS_EXCEEDED") return ErrorCode::kAccessExceeded;
  if (code == "PERIOD_INVALID" || code == "FORMAT_ERROR" || code == "PARAMETER_NOT_SUPPORTED" ||
      code == "PARAMETER_NOT_CONSISTENT" || code == "SERVICE_INVALID" || code == "TIMESTAMP_INVALID") {
    return ErrorCode::kInvalidArgument;
  }
  if (code == "RESOURCE_UNKNOWN" || code == "RESOURCE_EXPIRED") return ErrorCode::kNotFound;
  if (code == "CERTIFICATE_INVALID" || code == "CERTIFICATE_MISSING" || code == "CERTIFICATE_EXPIRED" ||
      code == "CERTIFICATE_BLOCKED" || code == "CERTIFICATE_REVOKED" || code == "SIGNATURE_INVALID" ||
      code == "SIGNATURE_MISSING" || code == "TOKEN_INVALID" || code == "TOKEN_UNKNOWN" || code == "TOKEN_EXPIRED" ||
      code == "ROLE_INVALID" || code == "PSU_CREDENTIALS_INVALID" || code == "CORPORATE_ID_INVALID" ||
      code == "SERVICE_BLOCKED" || code == "PRODUCT_INVALID") {
    return ErrorCode::kUnauthenticated;
  }
  if (http_status == 429) return ErrorCode::kRateLimited;
  if (http_status >= 500) return ErrorCode::kUnavailable;
  if (http_status == 401 || http_status == 403) return ErrorCode::kUnauthenticated;
  if (http_status == 404) return ErrorCode::kNotFound;
  return ErrorCode::kHttp;
}

Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation) {
  std::string code = ErrorCodeOfBody(response.body);
  const ErrorCode typed = ErrorCodeFor(code, response.status);
  return adapters::ErrorAnswer(response, bank_id, operation, std::move(code), typed);
}

}  // namespace bankfeed::berlin_group
