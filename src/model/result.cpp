#include "bankfeed/result.hpp"

namespace bankfeed {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kProtocol: return "protocol";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kConsentExpired: return "consent_expired";
    case ErrorCode::kConsentInvalid: return "consent_invalid";
    case ErrorCode::kAccessExceeded: return "access_exceeded";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kNetwork: return "network";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kHttp: return "http";
    case ErrorCode::kTls: return "tls";
    case ErrorCode::kConfig: return "config";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Error::ToString() const {
  std::string s(ErrorCodeName(code));
  s += ": ";
  s += message;
  std::string ctx;
  auto add = [&ctx](std::string_view k, const std::string& v) {
    if (v.empty()) return;
    ctx += ctx.empty() ? " (" : ", ";
    ctx += k;
    ctx += '=';
    ctx += v;
  };
  add("bank", bank_id);
  add("http", http_status != 0 ? std::to_string(http_status) : std::string());
  add("code", bank_code);
  add("request_id", request_id);
  if (!ctx.empty()) ctx += ')';
  return s + ctx;
}

}  // namespace bankfeed
