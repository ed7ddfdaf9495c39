// UK Open Banking error answers to typed errors (Read/Write API v3.1 "OBErrorResponse1"):
//   {"Code": "400 BadRequest", "Id": "...", "Message": "...",
//    "Errors": [{"ErrorCode": "UK.OBIE.Field.Invalid", "Message": "...", "Path": "..."}]}
// Banks also answer 401 with no body, 403 with UK.OBIE.Reauthenticate when the customer must authorise again, and
// HTML pages from their edge. The first ErrorCode decides the ErrorCode; Message and Path may quote the customer's
// data, so they are never copied.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "http/message.hpp"

namespace bankfeed::uk_ob {

// The first Errors[].ErrorCode of a body ("UK.OBIE.Field.Invalid", or a bank's own "UK.<bank>.*"), "" when the body
// has none. Only codes of letters, digits, '.', '_' and '-' are accepted.
std::string ErrorCodeOfBody(std::string_view body);

// The ErrorCode a UK error code stands for, given the HTTP status.
ErrorCode ErrorCodeFor(std::string_view uk_code, int http_status);

// The typed error for a non-2xx response; `operation` says what was attempted ("read transactions").
Error ErrorFromResponse(const http::Response& response, std::string_view bank_id, std::string_view operation);

}  // namespace bankfeed::uk_ob
