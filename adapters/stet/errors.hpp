// STET error answers to typed errors. The standard's ErrorModel is
//   {"timestamp": "...", "status": 400, "error": "Bad Request", "message": "...", "path": "/v1/accounts"}
// (`error` the HTTP reason phrase). Banks also send OAuth2-style bodies {"error": "invalid_token",
// "error_description": "..."}, {"code": "...", "message": "..."}, Berlin Group tppMessages, empty bodies and HTML
// pages from their edge. The code found decides nothing alone: the HTTP status does, as the standard says. The free
// text (`message`, `error_description`, `text`) may quote the customer's data and is never copied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"
#include "http/message.hpp"

namespace bankfeed::stet {

// The bank's error code in a body of any of those shapes ("Bad Request", "invalid_token", "CONSENT_UNKNOWN"), ""
// when it has none. Only short codes of letters, digits, spaces, '.', '_' and '-' are accepted.
std::string ErrorCodeOfBody(std::string_view body);

// The ErrorCode for a STET answer's HTTP status (and, for 400, the code's OAuth2 meaning).
ErrorCode ErrorCodeFor(std::string_view bank_code, int http_status);

// The request headers a refusal's text names (a signature or header refusal: "Signature: psu-ip-address present but
// not signed"), lower-case, in the order of a fixed list: signature, digest, x-request-id, date, content-type,
// authorization, (request-target), tpp-signature-certificate and the PSU context headers. Only these words are ever
// taken from the bank's text, so the customer's data in it cannot leak.
std::vector<std::string> HeadersNamedIn(std::string_view text);

// The typed error for a non-2xx response; `operation` says what was attempted ("read transactions page 2"). For a 400
// or 401, the headers the bank's text names are added ("...; the answer names: signature, date").
Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation);

}  // namespace bankfeed::stet
