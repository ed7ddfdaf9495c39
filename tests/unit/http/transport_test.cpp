// mTLS against a local TLS server: the right QWAC succeeds; every wrong set-up is a typed failure.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "http/client.hpp"
#include "unit/http/http_test_util.hpp"

namespace bankfeed::http {
namespace {

using test::ClientOptions;
using test::MtlsServer;
using test::Pki;
using testing::Connection;
using testing::RawRequest;
using testing::TlsTestServer;

void Ok(const RawRequest&, Connection& c) { c.Respond(200, R"({"ok":true})", {{"Content-Type", "application/json"}}); }

std::unique_ptr<Client> MakeClient(const TransportOptions& o) {
  auto c = Client::Make(o);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().ToString());
  return c ? std::move(*c) : nullptr;
}

TEST(Transport, MutualTlsWithTheRightQwacSucceeds) {
  auto server = TlsTestServer::Start(MtlsServer(), Ok);
  ASSERT_TRUE(server);
  auto client = MakeClient(ClientOptions());
  ASSERT_TRUE(client);
  Attempt a = client->Send({"GET", server->Url("/v1/accounts"), {}, {}});
  ASSERT_TRUE(a.response) << a.response.error().ToString();
  EXPECT_EQ(a.response->status, 200);
  EXPECT_EQ(a.response->body, R"({"ok":true})");
  EXPECT_EQ(a.response->HeaderValue("content-type"), "application/json");
  EXPECT_EQ(a.response->request_id.size(), 36u);
}

TEST(Transport, Pkcs12IdentityWithPasswordFileWorks) {
  auto server = TlsTestServer::Start(MtlsServer(), Ok);
  ASSERT_TRUE(server);
  TransportOptions o = ClientOptions();
  o.client_identity = CredentialSource{Pki("qwac.p12"), "", Pki("qwac.p12.pass"), ""};
  auto client = MakeClient(o);
  ASSERT_TRUE(client);
  Attempt a = client->Send({"GET", server->Url(), {}, {}});
  ASSERT_TRUE(a.response) << a.response.error().ToString();
  EXPECT_EQ(a.response->status, 200);
}

TEST(Transport, EveryRequestGetsAFreshUuidV4RequestId) {
  std::mutex mu;
  std::set<std::string> seen;
  auto server = TlsTestServer::Start(MtlsServer(), [&](const RawRequest& r, Connection& c) {
    std::lock_guard lock(mu);
    seen.insert(r.Header("X-Request-ID"));
    c.Respond(200, "{}");
  });
  ASSERT_TRUE(server);
  auto client = MakeClient(ClientOptions());
  ASSERT_TRUE(client);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Send({"GET", server->Url(), {}, {}}).response);
  ASSERT_EQ(seen.size(), 5u);
  for (const std::string& id : seen) {
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4') << id;                                 // version 4
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC 4122 variant
  }
}

// Sends one GET from a client with `client` options to a server with `server` options and expects a kTls error
// whose message contains `reason`, with no request reaching the server's handler.
void ExpectTlsFailure(const testing::TlsServerOptions& server_options, const TransportOptions& client_options,
                      std::string_view reason) {
  auto server = TlsTestServer::Start(server_options, Ok);
  ASSERT_TRUE(server);
  auto client = MakeClient(client_options);
  ASSERT_TRUE(client);
  Attempt a = client->Send({"GET", server->Url(), {}, {}});
  ASSERT_FALSE(a.response);
  EXPECT_EQ(a.response.error().code, ErrorCode::kTls) << a.response.error().ToString();
  EXPECT_NE(a.response.error().message.find(reason), std::string::npos) << a.response.error().message;
  EXPECT_EQ(server->requests(), 0);
}

TEST(Transport, NoClientCertificateIsATlsError) {
  TransportOptions o = ClientOptions();
  o.client_identity.reset();
  ExpectTlsFailure(MtlsServer(), o, "certificate");
}

TEST(Transport, ClientCertificateFromAnotherCaIsATlsError) {
  TransportOptions o = ClientOptions();
  o.client_identity = CredentialSource{Pki("client-other-ca.pem"), Pki("client-other-ca.key"), "", ""};
  ExpectTlsFailure(MtlsServer(), o, "certificate");
}

TEST(Transport, ServerCertificateFromAnUntrustedCaIsATlsError) {
  ExpectTlsFailure(MtlsServer("server-other-ca"), ClientOptions(), "did not verify");
}

TEST(Transport, ExpiredServerCertificateIsATlsError) {
  ExpectTlsFailure(MtlsServer("server-expired"), ClientOptions(), "expired");
}

TEST(Transport, HostnameMismatchIsATlsError) {
  ExpectTlsFailure(MtlsServer("server-wronghost"), ClientOptions(), "host name");
}

TEST(Transport, ServerThatOnlySpeaksTls11IsRefused) {
  testing::TlsServerOptions so = MtlsServer();
  so.min_version = TLS1_1_VERSION;
  so.max_version = TLS1_1_VERSION;
  so.security_level = 0;
  ExpectTlsFailure(so, ClientOptions(), "TLS 1.2 or later");
}

TEST(Transport, PlainHttpUrlsAreRefused) {
  auto client = MakeClient(ClientOptions());
  ASSERT_TRUE(client);
  Attempt a = client->Send({"GET", "http://127.0.0.1:1/", {}, {}});
  ASSERT_FALSE(a.response);
  EXPECT_EQ(a.response.error().code, ErrorCode::kConfig) << a.response.error().ToString();
}

TEST(Transport, BadClientIdentityFailsAtStartUpBeforeAnyRequest) {
  TransportOptions o = ClientOptions();
  o.client_identity = CredentialSource{Pki("qwac.pem"), Pki("qwac-mismatch.key"), "", ""};
  auto c = Client::Make(o);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kConfig) << c.error().ToString();
  o.client_identity = CredentialSource{Pki("qwac.pem"), Pki("does-not-exist.key"), "", ""};
  c = Client::Make(o);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kConfig) << c.error().ToString();
}

TEST(Transport, ManyRequestsInFlightRespectThePerHostLimit) {
  auto server = TlsTestServer::Start(MtlsServer(), [](const RawRequest&, Connection& c) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    c.Respond(200, "{}");
  });
  ASSERT_TRUE(server);
  TransportOptions o = ClientOptions();
  o.max_connections_per_host = 3;
  auto client = MakeClient(o);
  ASSERT_TRUE(client);
  std::vector<std::future<Attempt>> futures;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 12; ++i) futures.push_back(client->Start({"GET", server->Url(), {}, {}}));
  for (auto& f : futures) {
    Attempt a = f.get();
    ASSERT_TRUE(a.response) << a.response.error().ToString();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(server->requests(), 12);
  EXPECT_LE(server->max_open_connections(), 3);
  EXPECT_GE(server->max_open_connections(), 2);  // really concurrent, not one after another
  EXPECT_LT(elapsed, std::chrono::milliseconds(12 * 100));
}

}  // namespace
}  // namespace bankfeed::http
