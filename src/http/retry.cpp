#include "http/retry.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <thread>

#include "http/retry_after.hpp"
#include "log/log.hpp"

namespace bankfeed::http {
namespace {

using std::chrono::milliseconds;

double DefaultUniform01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^n)].
milliseconds Backoff(const RetryOptions& r, int attempt, double u) {
  const double ceiling = std::min<double>(static_cast<double>(r.max_delay.count()),
                                          static_cast<double>(r.base_delay.count()) * std::pow(2.0, attempt));
  return milliseconds(static_cast<long long>(u * ceiling));
}

struct Origin {
  std::string scheme, host_port;
};

// scheme://authority of an absolute URL, lower-cased; empty scheme when the URL is relative.
Origin OriginOf(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  Origin o{std::string(url.substr(0, scheme_end)), std::string(rest)};
  for (char& c : o.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : o.host_port) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (o.scheme == "https" && o.host_port.ends_with(":443")) o.host_port.resize(o.host_port.size() - 4);
  return o;
}

// The absolute target of a Location header, or an empty string when it cannot be resolved safely.
std::string ResolveLocation(std::string_view base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return std::string(location);
  if (location.starts_with("//")) return "https:" + std::string(location);
  if (!location.starts_with("/")) return {};  // relative paths: not worth the ambiguity for an API redirect
  const size_t scheme_end = base.find("://");
  const size_t path_start = base.find('/', scheme_end + 3);
  return std::string(base.substr(0, path_start)) + std::string(location);
}

Error WithContext(Error e, const Response& r, std::string_view bank_id) {
  e.http_status = r.status;
  e.request_id = r.request_id;
  e.bank_id = std::string(bank_id);
  return e;
}

tl::unexpected<Error> Fail(Error e, const Response& r, std::string_view bank_id) {
  return tl::unexpected(WithContext(std::move(e), r, bank_id));
}

}  // namespace

Error StatusError(const Response& r, std::string_view bank_id) {
  ErrorCode code = ErrorCode::kHttp;
  if (r.status == 401 || r.status == 403) code = ErrorCode::kUnauthenticated;
  if (r.status == 404) code = ErrorCode::kNotFound;
  if (r.status == 429) code = ErrorCode::kRateLimited;
  if (r.status >= 500) code = ErrorCode::kUnavailable;
  return WithContext(Error(code, "the bank answered HTTP " + std::to_string(r.status)), r, bank_id);
}

Result<Response> SendWithRetry(Client& client, Request request, const RetryOptions& retry,
                               const RetryEnvironment& env) {
  const std::string& bank = client.options().bank_id;
  auto sleep = env.sleep ? env.sleep : [](milliseconds d) { std::this_thread::sleep_for(d); };
  auto uniform = env.uniform01 ? env.uniform01 : DefaultUniform01;
  if (!request.RequestId()) request.headers.push_back({"X-Request-ID", NewRequestId()});
  const bool idempotent = request.Idempotent();
  int redirects = 0;
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt >= std::max(1, retry.max_attempts);
    Attempt a = client.Send(request);
    if (!a.response) {
      const ErrorCode code = a.response.error().code;
      const bool transient = code == ErrorCode::kNetwork || code == ErrorCode::kTimeout;
      // A request that never reached the server is safe to send again whatever its method.
      if (!transient || last || (!idempotent && a.reached_server)) return tl::unexpected(a.response.error());
      const milliseconds wait = Backoff(retry, attempt - 1, uniform());
      log::Info("http.retry", {{"bank", bank}, {"reason", std::string(ErrorCodeName(code))},
                               {"attempt", attempt}, {"wait_ms", static_cast<int64_t>(wait.count())},
                               {"request_id", a.response.error().request_id}});
      sleep(wait);
      continue;
    }
    Response& r = *a.response;
    if (r.status >= 300 && r.status < 400 && r.status != 304) {
      const auto location = r.HeaderValue("Location");
      if (!location) return Fail(Error(ErrorCode::kProtocol, "redirect without a Location"), r, bank);
      const std::string target = ResolveLocation(request.url, *location);
      const Origin from = OriginOf(request.url), to = OriginOf(target);
      if (to.scheme != "https") {
        return Fail(Error(ErrorCode::kProtocol, "redirect refused: not to an https URL"), r, bank);
      }
      if (to.host_port != from.host_port) {
        return Fail(Error(ErrorCode::kProtocol, "redirect to another host refused"), r, bank);
      }
      if (redirects >= client.options().max_redirects) {
        return Fail(Error(ErrorCode::kProtocol, "redirect refused: this bank's profile allows " +
                                                           std::to_string(client.options().max_redirects)),
                           r, bank);
      }
      ++redirects;
      --attempt;  // following a redirect is not a retry
      request.url = target;
      if (r.status == 303 || ((r.status == 301 || r.status == 302) && request.method == "POST")) {
        request.method = "GET";
        request.body.clear();
      }
      continue;
    }
    const bool rate_limited = r.status == 429;
    const bool unavailable = r.status >= 500;
    if (!rate_limited && !unavailable) return std::move(r);
    if (rate_limited && r.body.find("ACCESS_EXCEEDED") != std::string::npos) {
      Error e(ErrorCode::kAccessExceeded, "the consent's access quota for today is used up (ACCESS_EXCEEDED)");
      e.bank_code = "ACCESS_EXCEEDED";
      return Fail(std::move(e), r, bank);
    }
    std::optional<std::chrono::seconds> retry_after;
    if (const auto h = r.HeaderValue("Retry-After")) retry_after = ParseRetryAfter(*h, env.now());
    // A 429, or a 5xx with Retry-After, says the request was not processed: safe to repeat even for a POST.
    const bool not_processed = rate_limited || retry_after.has_value();
    if (last || (!idempotent && !not_processed) || (retry_after && *retry_after > retry.max_retry_after)) {
      Error e = StatusError(r, bank);
      if (rate_limited) e.message = "rate limited by the bank (HTTP 429)";
      e.retry_after = retry_after;
      return tl::unexpected(std::move(e));
    }
    const milliseconds wait =
        retry_after ? std::chrono::duration_cast<milliseconds>(*retry_after) : Backoff(retry, attempt - 1, uniform());
    log::Info("http.retry", {{"bank", bank}, {"status", r.status}, {"attempt", attempt},
                             {"wait_ms", static_cast<int64_t>(wait.count())}, {"request_id", r.request_id}});
    sleep(wait);
  }
}

}  // namespace bankfeed::http
