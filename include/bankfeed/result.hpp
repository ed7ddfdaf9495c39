// bankfeed/result.hpp: errors as values.
//
// Every fallible bankfeed call returns Result<T>, a tl::expected<T, Error>. No exception crosses the public API.
// An Error carries a small code, a message that never holds personal data or secrets, and where known the bank id,
// the HTTP status, the bank's own error code and the request id.
//
//   bankfeed::Result<bankfeed::Decimal> d = bankfeed::Decimal::Parse("12.30");
//   if (!d) std::cerr << d.error().ToString() << "\n";
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

#include "bankfeed/export.hpp"

namespace bankfeed {

enum class ErrorCode {
  kInvalidInput,     // bad data from a bank or a caller (a field's value or shape)
  kInvalidArgument,  // a caller's argument is out of range (not bank data)
  kProtocol,         // the bank broke the protocol (status, headers, links)
  kUnauthenticated,
  kConsentExpired,
  kConsentInvalid,
  kAccessExceeded,   // the consent's daily quota is used up; do not retry today
  kRateLimited,      // retry later
  kUnavailable,      // the bank answered 5xx (after any retries); retryable later
  kNetwork,          // connection refused, reset or cut short; retryable for idempotent requests
  kTimeout,          // connect, total or low-speed timeout
  kHttp,             // an HTTP error status no more specific code covers
  kTls,              // handshake, peer or host verification, protocol version, or our certificate refused
  kConfig,           // our own set-up: certificates, keys, passwords, profiles
  kNotFound,
  kInternal,
};

BANKFEED_EXPORT std::string_view ErrorCodeName(ErrorCode code);

struct BANKFEED_EXPORT Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;      // no IBANs, names, tokens or keys: paths, field names and reasons only
  std::string bank_id;      // empty when no bank is involved
  int http_status = 0;      // 0 when no HTTP exchange happened
  std::string bank_code;    // the bank's own error code, e.g. CONSENT_EXPIRED
  std::string request_id;   // X-Request-ID of the failing request
  std::optional<std::chrono::seconds> retry_after;  // when the bank said to come back (Retry-After)

  Error() = default;
  Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}

  // "invalid_input: transactions.booked[3].transactionAmount.amount: not a decimal (bank=x, http=400, ...)"
  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Success, or an Error. A class rather than an alias of tl::expected<void, Error> only so that `return {};` stays
// cheap: that expected's default constructor is defaulted, so value-initialising it zero-fills all of Error's storage
// (160 bytes) before setting the success flag, and the mappings return a Status for every JSON field they read. This
// user-provided constructor sets only the flag. Everything else is tl::expected's.
class Status : public tl::expected<void, Error> {
 public:
  using Base = tl::expected<void, Error>;
  Status() noexcept {}  // NOLINT(modernize-use-equals-default): "= default" would bring the zero-fill back
  using Base::Base;
  Status(const Base& other) : Base(other) {}                  // NOLINT(google-explicit-constructor)
  Status(Base&& other) noexcept : Base(std::move(other)) {}  // NOLINT(google-explicit-constructor)
};
static_assert(sizeof(Status) == sizeof(tl::expected<void, Error>));

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}

}  // namespace bankfeed

#define BANKFEED_CONCAT_INNER_(a, b) a##b
#define BANKFEED_CONCAT_(a, b) BANKFEED_CONCAT_INNER_(a, b)

// Returns the error of a Result/Status expression from the enclosing function.
#define BANKFEED_RETURN_IF_ERROR(expr) BANKFEED_RETURN_IF_ERROR_IMPL_(BANKFEED_CONCAT_(bankfeed_status_, __COUNTER__), expr)
#define BANKFEED_RETURN_IF_ERROR_IMPL_(tmp, expr)      \
  do {                                                 \
    auto&& tmp = (expr);                               \
    if (!tmp) return tl::unexpected(std::move(tmp).error()); \
  } while (false)

// BANKFEED_ASSIGN_OR_RETURN(auto x, Foo()); declares x from the value or returns the error.
#define BANKFEED_ASSIGN_OR_RETURN(lhs, expr) \
  BANKFEED_ASSIGN_OR_RETURN_IMPL_(BANKFEED_CONCAT_(bankfeed_result_, __COUNTER__), lhs, expr)
#define BANKFEED_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)  \
  auto tmp = (expr);                                     \
  if (!tmp) return tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
