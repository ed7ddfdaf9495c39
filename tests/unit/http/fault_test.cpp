// Misbehaving servers: each fault gets the right retry or the right typed error, within the timeout, with memory
// bounded. Sleeps go through an injected clock so the suite never waits for a Retry-After.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <date/date.h>

#include "http/retry.hpp"
#include "unit/http/http_test_util.hpp"

namespace bankfeed::http {
namespace {

using std::chrono::milliseconds;
using test::ClientOptions;
using test::MtlsServer;
using testing::Connection;
using testing::RawRequest;
using testing::TlsTestServer;

// Records the waits instead of sleeping.
struct FakeTime {
  std::vector<milliseconds> waits;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  RetryEnvironment Env() {
    RetryEnvironment e;
    e.now = [this] { return now; };
    e.sleep = [this](milliseconds d) { waits.push_back(d); };
    e.uniform01 = [] { return 0.5; };
    return e;
  }
};

// Answers the n-th request (1-based) with responses[n-1], the rest with the last one.
TlsTestServer::Handler Script(std::vector<std::function<void(Connection&)>> steps) {
  auto n = std::make_shared<std::atomic<size_t>>(0);
  return [steps, n](const RawRequest&, Connection& c) {
    const size_t i = std::min(n->fetch_add(1), steps.size() - 1);
    steps[i](c);
  };
}

std::function<void(Connection&)> Status(int status, std::string body = "{}",
                                        std::vector<std::pair<std::string, std::string>> headers = {}) {
  return [=](Connection& c) { c.Respond(status, body, headers); };
}

struct Fixture {
  std::unique_ptr<TlsTestServer> server;
  std::unique_ptr<Client> client;
  FakeTime time;

  Fixture(TlsTestServer::Handler handler, TransportOptions o = ClientOptions()) {
    server = TlsTestServer::Start(MtlsServer(), std::move(handler));
    auto c = Client::Make(o);
    EXPECT_TRUE(c) << c.error().ToString();
    if (c) client = std::move(*c);
  }
  Result<Response> Get(const RetryOptions& r = {}) {
    return SendWithRetry(*client, {"GET", server->Url("/v1/x"), {}, {}}, r, time.Env());
  }
  Result<Response> Post(const RetryOptions& r = {}) {
    return SendWithRetry(*client, {"POST", server->Url("/v1/consents"), {}, R"({"a":1})"}, r, time.Env());
  }
};

TEST(Faults, RateLimitedWithRetryAfterSecondsIsRetriedAfterThatWait) {
  Fixture f(Script({Status(429, "{}", {{"Retry-After", "3"}}), Status(200, "done")}));
  auto r = f.Get();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(f.server->requests(), 2);
  ASSERT_EQ(f.time.waits.size(), 1u);
  EXPECT_EQ(f.time.waits[0], milliseconds(3000));
}

TEST(Faults, RateLimitedWithRetryAfterHttpDateIsRetriedAfterThatWait) {
  const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";
  Fixture f(Script({Status(429, "{}", {{"Retry-After", date}}), Status(200, "done")}));
  f.time.now = date::sys_days(date::year(1994) / 11 / 6) + std::chrono::hours(8) + std::chrono::minutes(49) +
               std::chrono::seconds(30);
  auto r = f.Get();
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(f.time.waits.size(), 1u);
  EXPECT_EQ(f.time.waits[0], milliseconds(7000));
}

TEST(Faults, RetryAfterLongerThanWeWaitIsReturnedAsRateLimited) {
  Fixture f(Script({Status(429, "{}", {{"Retry-After", "3600"}})}));
  auto r = f.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(r.error().retry_after, std::chrono::seconds(3600));
  EXPECT_EQ(r.error().http_status, 429);
  EXPECT_EQ(f.server->requests(), 1);
}

TEST(Faults, AccessExceededIsNeverRetried) {
  const std::string body =
      R"({"tppMessages":[{"category":"ERROR","code":"ACCESS_EXCEEDED","text":"quota"}]})";
  Fixture f(Script({Status(429, body, {{"Retry-After", "1"}}), Status(200)}));
  auto r = f.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAccessExceeded);
  EXPECT_EQ(r.error().bank_code, "ACCESS_EXCEEDED");
  EXPECT_EQ(r.error().bank_id, "testbank");
  EXPECT_FALSE(r.error().request_id.empty());
  EXPECT_EQ(f.server->requests(), 1);
  EXPECT_TRUE(f.time.waits.empty());
}

TEST(Faults, ServiceUnavailableThenSuccess) {
  Fixture f(Script({Status(503), Status(502), Status(200, "ok")}));
  auto r = f.Get();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(f.server->requests(), 3);
  ASSERT_EQ(f.time.waits.size(), 2u);
  EXPECT_EQ(f.time.waits[0], milliseconds(250));  // full jitter at u = 0.5: half of 500 ms, then half of 1 s
  EXPECT_EQ(f.time.waits[1], milliseconds(500));
}

TEST(Faults, PersistentServerErrorsEndAsUnavailable) {
  Fixture f(Script({Status(500)}));
  RetryOptions r;
  r.max_attempts = 3;
  auto res = f.Get(r);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().http_status, 500);
  EXPECT_EQ(f.server->requests(), 3);
}

TEST(Faults, PostIsNotRetriedBlindlyAfterA5xx) {
  Fixture f(Script({Status(503), Status(201)}));
  auto r = f.Post();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(f.server->requests(), 1);
}

TEST(Faults, PostIsRetriedAfterA429ThatSaysWhenToComeBack) {
  Fixture f(Script({Status(429, "{}", {{"Retry-After", "1"}}), Status(201, "created")}));
  auto r = f.Post();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(f.server->requests(), 2);
}

TEST(Faults, ResetIsANetworkErrorRetriedOnlyForIdempotentRequests) {
  Fixture f(Script({[](Connection& c) { c.ResetOnReturn(); }, Status(200, "after reset")}));
  auto r = f.Get();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, "after reset");
  EXPECT_EQ(f.server->requests(), 2);

  Fixture p(Script({[](Connection& c) { c.ResetOnReturn(); }, Status(201)}));
  auto post = p.Post();
  ASSERT_FALSE(post);
  EXPECT_EQ(post.error().code, ErrorCode::kNetwork) << post.error().ToString();
  EXPECT_EQ(p.server->requests(), 1);
}

TEST(Faults, ServerThatNeverAnswersTimesOutWithinTheTotalTimeout) {
  TransportOptions o = ClientOptions();
  o.total_timeout = milliseconds(700);
  Fixture f([](const RawRequest&, Connection& c) { c.WaitForPeerClose(std::chrono::seconds(10)); }, o);
  RetryOptions once;
  once.max_attempts = 1;
  const auto start = std::chrono::steady_clock::now();
  auto r = f.Get(once);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().ToString();
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST(Faults, TricklingBodyHitsTheTimeout) {
  TransportOptions o = ClientOptions();
  o.total_timeout = milliseconds(800);
  Fixture f(
      [](const RawRequest&, Connection& c) {
        if (!c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")) return;
        for (int i = 0; i < 200 && c.Write("x"); ++i) std::this_thread::sleep_for(milliseconds(50));
      },
      o);
  RetryOptions once;
  once.max_attempts = 1;
  const auto start = std::chrono::steady_clock::now();
  auto r = f.Get(once);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000));
}

TEST(Faults, EndlessBodyHitsTheSizeCapWithMemoryBounded) {
  TransportOptions o = ClientOptions();
  o.max_response_bytes = 1 << 20;
  std::atomic<size_t> sent{0};
  Fixture f(
      [&sent](const RawRequest&, Connection& c) {
        // No Content-Length: a body that would go on for 10 GB.
        if (!c.Write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")) return;
        sent = c.Flood(64 << 10, size_t{10} << 30);
      },
      o);
  RetryOptions once;
  once.max_attempts = 1;
  auto r = f.Get(once);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol) << r.error().ToString();
  EXPECT_NE(r.error().message.find("larger than the cap"), std::string::npos);
  f.server.reset();                      // wait for the server thread to notice the client has gone
  EXPECT_LT(sent.load(), size_t{64} << 20);  // the client stopped reading long before 10 GB
}

TEST(Faults, DeclaredOversizedBodyIsRefusedAndNotRetried) {
  TransportOptions o = ClientOptions();
  o.max_response_bytes = 1 << 20;
  Fixture f([](const RawRequest&, Connection& c) { c.Respond(200, std::string(2 << 20, 'x')); }, o);
  auto r = f.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol) << r.error().ToString();
  EXPECT_EQ(f.server->requests(), 1);  // not retried
}

TEST(Faults, RedirectToAnotherHostIsRefused) {
  TransportOptions o = ClientOptions();
  o.max_redirects = 3;  // even where redirects are allowed
  Fixture f(Script({Status(302, "", {{"Location", "https://evil.example/steal"}})}), o);
  auto r = f.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(r.error().message, "redirect to another host refused");
  EXPECT_EQ(f.server->requests(), 1);
}

TEST(Faults, RedirectToPlainHttpIsRefused) {
  TransportOptions o = ClientOptions();
  o.max_redirects = 3;
  Fixture f(Script({Status(301, "", {{"Location", "http://localhost/v1/x"}})}), o);
  auto r = f.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
}

TEST(Faults, RedirectsAreOffByDefaultAndSameOriginOnesFollowedWhenAllowed) {
  Fixture off(Script({Status(307, "", {{"Location", "/v1/y"}}), Status(200, "moved")}));
  auto r = off.Get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);

  TransportOptions o = ClientOptions();
  o.max_redirects = 1;
  Fixture on(Script({Status(307, "", {{"Location", "/v1/y"}}), Status(200, "moved")}), o);
  auto followed = on.Get();
  ASSERT_TRUE(followed) << followed.error().ToString();
  EXPECT_EQ(followed->body, "moved");
}

TEST(Faults, ConnectionsAreReused) {
  Fixture f(Script({Status(200)}));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(f.Get());
  EXPECT_EQ(f.server->requests(), 5);
  EXPECT_EQ(f.server->connections(), 1);
}

TEST(Faults, ConnectionRefusedIsANetworkErrorAndSafeToRetryEvenForPost) {
  TransportOptions o = ClientOptions();
  auto c = Client::Make(o);
  ASSERT_TRUE(c);
  // A port nothing listens on: bind one, note it, close it.
  auto s = TlsTestServer::Start(MtlsServer(), [](const RawRequest&, Connection&) {});
  const std::string url = s->Url("/v1/consents");
  s.reset();
  FakeTime t;
  RetryOptions r;
  r.max_attempts = 2;
  auto res = SendWithRetry(**c, {"POST", url, {}, "{}"}, r, t.Env());
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kNetwork) << res.error().ToString();
  EXPECT_EQ(t.waits.size(), 1u);  // retried once: the request never left
}

}  // namespace
}  // namespace bankfeed::http
