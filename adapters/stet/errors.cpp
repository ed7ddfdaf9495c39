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

constexpr std::string_view kHeaderWords[] = {
    "signature",      "digest",          "x-request-id",        "date",
    "content-type",   "authorization",   "(request-target)",    "tpp-signature-certificate",
    "psu-ip-address", "psu-ip-port",     "psu-http-method",     "psu-date",
    "psu-user-agent", "psu-referer",     "psu-accept",          "psu-accept-charset",
    "psu-accept-encoding", "psu-accept-language", "psu-geo-location", "psu-device-id"};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `word` occurs in `text` (any case) as a whole token: not inside a longer header name.
bool NamesWord(std::string_view text, std::string_view word) {
  const auto part_of_name = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  };
  for (size_t at = 0; at + word.size() <= text.size(); ++at) {
    bool match = true;
    for (size_t i = 0; i < word.size() && match; ++i) match = Lower(text[at + i]) == word[i];
    if (!match) continue;
    const bool starts = at == 0 || !part_of_name(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !part_of_name(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// The bank's free text of a body of any shape, "" when there is none.
std::string_view TextOf(const dom::object& root) {
  for (const char* key : {"message", "error_description", "text"}) {
    std::string_view text;
    if (root[key].get_string().get(text) == simdjson::SUCCESS) return text;
  }
  dom::array messages;
  if (root["tppMessages"].get_array().get(messages) == simdjson::SUCCESS) {
    for (dom::element item : messages) {
      std::string_view text;
      if (item["text"].get_string().get(text) == simdjson::SUCCESS) return text;
    }
  }
  return {};
}

std::string CodeOf(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS && IsCodeText(text)) return std::string(text);
  return {};
}

// The body as a JSON object, or false when it is empty, too large or not one.
bool ParseObject(std::string_view body, dom::parser& parser, dom::object& root) {
  if (body.empty() || body.size() > kMaxErrorBody) return false;
  return parser.parse(body.data(), body.size()).get_object().get(root) == simdjson::SUCCESS;
}

// The STET ErrorModel's and OAuth2's `error`, then a bank's own `code`, then Berlin Group's first tppMessage.
std::string CodeOfRoot(const dom::object& root) {
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

}  // namespace

std::string ErrorCodeOfBody(std::string_view body) {
  dom::parser parser;
  dom::object root;
  return ParseObject(body, parser, root) ? CodeOfRoot(root) : std::string();
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

std::vector<std::string> HeadersNamedIn(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string_view word : kHeaderWords) {
    if (NamesWord(text, word)) out.emplace_back(word);
  }
  return out;
}

Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation) {
  dom::parser parser;
  dom::object root;
  const bool parsed = ParseObject(response.body, parser, root);
  std::string code = parsed ? CodeOfRoot(root) : std::string();
  const ErrorCode typed = ErrorCodeFor(code, response.status);
  Error e = adapters::ErrorAnswer(response, bank_id, operation, std::move(code), typed);
  if (parsed && (response.status == 400 || response.status == 401)) {
    const std::vector<std::string> named = HeadersNamedIn(TextOf(root));
    for (size_t i = 0; i < named.size(); ++i) e.message += (i == 0 ? "; the answer names: " : ", ") + named[i];
  }
  return e;
}

}  // namespace bankfeed::stet
