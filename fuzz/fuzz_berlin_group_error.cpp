// Fuzzes the Berlin Group error mapping: ErrorCodeOfBody (tppMessages objects, bare arrays, problem+json) and
// ErrorFromResponse. Invariants: a code read from a body is an upper-case token of at most 64 characters; the
// message names the operation and the status and never contains anything of the body but that token.
#include "fuzz_common.hpp"

#include "adapters/berlin_group/errors.hpp"

namespace fuzz_berlin_group_error {

BANKFEED_FUZZ_TARGET(berlin_group_error) {
  using bankfeed::fuzz::Check;
  const std::string_view body = bankfeed::fuzz::AsText(data, size);
  const std::string code = bankfeed::berlin_group::ErrorCodeOfBody(body);
  Check(code.size() <= 64);
  for (char c : code) Check((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');

  bankfeed::http::Response response;
  response.status = size > 0 ? 400 + data[0] % 200 : 500;
  response.body = std::string(body);
  response.request_id = "req-1";
  const bankfeed::Error e = bankfeed::berlin_group::ErrorFromResponse(response, "fuzz-bank", "read transactions");
  Check(e.bank_id == "fuzz-bank" && e.bank_code == code && e.http_status == response.status);
  Check(e.message.starts_with("read transactions: the bank answered HTTP " + std::to_string(response.status)));
  const std::string tail = e.message.substr(std::string("read transactions: the bank answered HTTP 400").size());
  Check(tail == " " + code || tail == " with an empty body" || tail == " without an error code" ||
        tail == " with an HTML page");
  return 0;
}

}  // namespace fuzz_berlin_group_error
