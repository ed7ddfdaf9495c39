// Fuzzes the STET error mapping: stet::ErrorCodeOfBody (the ErrorModel's `error`, OAuth2's `error`, a bank's own
// `code`, Berlin Group tppMessages), stet::ErrorFromResponse and HeadersNamedIn. The first byte picks the HTTP status
// and whether the answer says it is HTML; the rest is the body. Invariants: a code read from a body is 1 to 64
// letters, digits, spaces, '.', '_' or '-', neither starting nor ending with a space; the typed error follows the
// status alone (and invalid_grant for 400); the message names the operation and the status and holds nothing of the
// body but that code and, for a 400 or 401, header names of errors.cpp's fixed list.
#include <string>
#include <vector>

#include "fuzz_common.hpp"

#include "adapters/stet/errors.hpp"

namespace fuzz_stet_error {

using bankfeed::ErrorCode;
using bankfeed::fuzz::Check;

constexpr int kStatuses[] = {400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 502, 503, 504, 302, 418};

bool IsCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == ' ';
}

// adapters/stet/errors.cpp's vocabulary, in its order.
constexpr std::string_view kHeaderWords[] = {
    "signature",      "digest",          "x-request-id",        "date",
    "content-type",   "authorization",   "(request-target)",    "tpp-signature-certificate",
    "psu-ip-address", "psu-ip-port",     "psu-http-method",     "psu-date",
    "psu-user-agent", "psu-referer",     "psu-accept",          "psu-accept-charset",
    "psu-accept-encoding", "psu-accept-language", "psu-geo-location", "psu-device-id"};

bool IsHeaderWord(std::string_view word) {
  for (const std::string_view w : kHeaderWords) {
    if (w == word) return true;
  }
  return false;
}

ErrorCode Expected(std::string_view code, int status) {
  if (status == 429) return ErrorCode::kRateLimited;
  if (status >= 500) return ErrorCode::kUnavailable;
  if (status == 401) return ErrorCode::kUnauthenticated;
  if (status == 403) return ErrorCode::kConsentInvalid;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 400) return code == "invalid_grant" ? ErrorCode::kConsentInvalid : ErrorCode::kInvalidArgument;
  if (status == 405 || status == 406 || status == 415) return ErrorCode::kInvalidArgument;
  return ErrorCode::kHttp;
}

BANKFEED_FUZZ_TARGET(stet_error) {
  if (size == 0) return 0;
  const std::string_view body = bankfeed::fuzz::AsText(data + 1, size - 1);
  const std::string code = bankfeed::stet::ErrorCodeOfBody(body);
  Check(code.size() <= 64);
  if (!code.empty()) Check(code.front() != ' ' && code.back() != ' ');
  for (const char c : code) Check(IsCodeChar(c));
  Check(bankfeed::stet::ErrorCodeOfBody(body) == code);  // no state between calls

  bankfeed::http::Response response;
  response.status = kStatuses[data[0] % std::size(kStatuses)];
  const bool html = (data[0] & 0x80) != 0;
  response.headers.push_back({"Content-Type", html ? "text/html; charset=utf-8" : "application/json"});
  response.body = std::string(body);
  response.request_id = "req-1";
  const bankfeed::Error e = bankfeed::stet::ErrorFromResponse(response, "fuzz-bank", "read transactions");
  Check(e.bank_id == "fuzz-bank" && e.bank_code == code && e.http_status == response.status);
  Check(e.code == Expected(code, response.status));
  const std::string head = "read transactions: the bank answered HTTP " + std::to_string(response.status);
  Check(e.message.starts_with(head));
  std::string tail = e.message.substr(head.size());
  // For a 400 or 401, the header names of a fixed list that the bank's text names follow: never other text.
  const std::string_view names = "; the answer names: ";
  if (const size_t at = tail.find(names); at != std::string::npos) {
    Check(response.status == 400 || response.status == 401);
    std::string_view list = std::string_view(tail).substr(at + names.size());
    std::vector<std::string> listed;
    while (true) {
      const size_t comma = list.find(", ");
      listed.emplace_back(list.substr(0, comma));
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 2);
    }
    Check(!listed.empty() && listed.size() <= std::size(kHeaderWords));
    for (const std::string& word : listed) Check(IsHeaderWord(word));
    tail.resize(at);
  }
  if (!code.empty()) {
    Check(tail == " " + code);
  } else if (body.empty()) {
    Check(tail == " with an empty body");
  } else {
    Check(tail == (html ? " with an HTML page" : " without an error code"));
  }

  // HeadersNamedIn on any text: words of the fixed list only, each once, in the list's order.
  const std::vector<std::string> named = bankfeed::stet::HeadersNamedIn(body);
  size_t next = 0;
  for (const std::string& word : named) {
    while (next < std::size(kHeaderWords) && kHeaderWords[next] != word) ++next;
    Check(next < std::size(kHeaderWords));
    ++next;
  }
  return 0;
}

}  // namespace fuzz_stet_error
