// Berlin Group error answers to typed errors, in one place.
//
// A bank's error body comes as `{"tppMessages": [{"category": "ERROR", "code": "CONSENT_EXPIRED", ...}]}`, as a
// bare array of such messages, as RFC 7807 problem+json (`{"type", "title", "code", "additionalErrors": [...]}`),
// or as HTML or nothing at all. The bank's `code` decides the ErrorCode; its free `text` may quote customer data,
// so it is never copied into the message.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "http/message.hpp"

namespace bankfeed::berlin_group {

// The first ERROR code in an error body, or "" when the body has none (empty, HTML, garbage). Only codes of
// upper-case letters, digits and '_' are accepted.
std::string ErrorCodeOfBody(std::string_view body);

// The ErrorCode a Berlin Group message code stands for, given the HTTP status.
ErrorCode ErrorCodeFor(std::string_view bank_code, int http_status);

// The typed error for a non-2xx response: code from the body (else from the status), bank id, status, the bank's
// code and the request id. `operation` says what was attempted ("read transactions").
Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation);

}  // namespace bankfeed::berlin_group
