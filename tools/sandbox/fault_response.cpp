#include "tools/sandbox/fault_response.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

namespace bankfeed::sandbox {
namespace {

void RetryAfter(const FaultSpec& fault, ApiError& error) {
  if (fault.retry_after_s) error.headers.emplace_back("Retry-After", std::to_string(*fault.retry_after_s));
}

// Replaces the body with a content provider; the Content-Type stays, set once.
void SetProvider(httplib::Response& res, size_t length, httplib::ContentProvider provider) {
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.body.clear();
  res.set_content_provider(length, type.empty() ? "application/json" : type, std::move(provider));
}

}  // namespace

void ResetConnection(const httplib::Request& req) {
  if (req.ssl == nullptr) return;
  const int fd = SSL_get_fd(req.ssl);
  if (fd < 0) return;
  // SO_LINGER {on, 0}: closing the socket aborts the connection with a RST instead of a FIN.
  const linger abort_on_close{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  // Closing `fd` directly would let httplib close the same number again later, possibly someone else's socket by
  // then. dup2 closes the socket (sending the RST) and leaves /dev/null under the number: httplib's response goes
  // nowhere, its next read sees end of file, and its own close is harmless.
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    ::shutdown(fd, SHUT_RDWR);
    return;
  }
  ::dup2(null_fd, fd);
  ::close(null_fd);
}

void InjectReplacingFault(const FaultSpec& fault, const httplib::Request& req, httplib::Response& res,
                          StandardModule& module) {
  switch (fault.kind) {
    case FaultKind::kHttp429: {
      ApiError e{429, "TOO_MANY_REQUESTS", "rate limit reached, retry later (injected fault)", {}};
      RetryAfter(fault, e);
      module.WriteRequestError(req, res, e);
      return;
    }
    case FaultKind::kHttp500:
      module.WriteRequestError(req, res, {500, "INTERNAL_SERVER_ERROR", "internal error (injected fault)", {}});
      return;
    case FaultKind::kHttp503: {
      ApiError e{503, "SERVICE_UNAVAILABLE", "service unavailable (injected fault)", {}};
      RetryAfter(fault, e);
      module.WriteRequestError(req, res, e);
      return;
    }
    case FaultKind::kConsentExpired:
      module.ExpireConsent(req);
      module.WriteRequestError(req, res, {401, "CONSENT_EXPIRED", "the consent has expired", {}});
      return;
    case FaultKind::kReset:
      ResetConnection(req);
      res.status = 500;
      return;
    case FaultKind::kGarbageBody:
      res.status = 200;
      res.set_content("{\"transactions\": {\"booked\": [{\"transactionId\": \x01 <<garbage", "application/json");
      return;
    case FaultKind::kHtmlError:
      res.status = 500;
      res.set_content("<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
                      "<body><h1>Internal Server Error</h1><p>Please try again later.</p></body></html>",
                      "text/html; charset=utf-8");
      return;
    case FaultKind::kProblemJson:
      res.status = 400;
      res.set_content(R"j({"type":"https://berlin-group.org/problems/FORMAT_ERROR","title":"Format error",)j"
                      R"j("status":400,"detail":"the request was not understood (injected fault)",)j"
                      R"j("code":"FORMAT_ERROR"})j",
                      "application/problem+json");
      return;
    case FaultKind::kEmptyError:
      res.status = 500;
      res.body.clear();
      return;
    case FaultKind::kTruncatedBody:
    case FaultKind::kSlowBody:
    case FaultKind::kNextLoop:
    case FaultKind::kForeignNext:
      return;  // not replacing faults: see IsBodyFault and IsLinkFault
  }
}

bool ApplyBodyFault(const FaultSpec& fault, httplib::Response& res) {
  if (fault.kind == FaultKind::kTruncatedBody) {
    if (res.body.empty()) return false;
    auto body = std::make_shared<std::string>(std::move(res.body));
    const size_t half = body->size() / 2;
    // Declares the full length, sends half, then gives up: httplib closes the connection mid-body.
    SetProvider(res, body->size(), [body, half](size_t offset, size_t, httplib::DataSink& sink) {
      if (offset >= half) return false;
      return sink.write(body->data() + offset, half - offset);
    });
    return true;
  }
  if (fault.kind != FaultKind::kSlowBody) return false;
  const auto delay = std::chrono::milliseconds(fault.value_ms);
  if (res.body.empty()) {
    std::this_thread::sleep_for(delay);
    return true;
  }
  auto body = std::make_shared<std::string>(std::move(res.body));
  const size_t pieces = std::min<size_t>(body->size(), 20);
  const size_t piece = (body->size() + pieces - 1) / pieces;
  const auto pause = delay / static_cast<int64_t>(pieces);
  // The headers go out at once; the body follows in `pieces` writes spread over the delay.
  SetProvider(res, body->size(), [body, piece, pause](size_t offset, size_t length, httplib::DataSink& sink) {
    std::this_thread::sleep_for(pause);
    return sink.write(body->data() + offset, std::min(piece, length));
  });
  return true;
}

}  // namespace bankfeed::sandbox
