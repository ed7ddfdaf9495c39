// Shared set-up for the sandbox tests: scenario text, the test PKI, an in-process sandbox on 127.0.0.1 port 0, and
// bankfeed's own HTTPS client signing its requests the Berlin Group way (QWAC for mTLS, QSealC for Cavage).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/transport.hpp"
#include "http/client.hpp"
#include "pki/credentials.hpp"
#include "tools/sandbox/server.hpp"
#include "tools/sandbox/stats.hpp"

namespace bankfeed::sandbox::test {

std::string Pki(const std::string& file);

// A small valid scenario: psu-1 owns acc-1 (EUR, booked rows t1..t4 incl. real twins t3/t4, pending p1 that books
// on 2025-01-05 as p1b with another amount, pending p2 that stays pending) and acc-2 (EUR, no rows); psu-2 owns
// acc-3 (JPY, one row). `behaviour` is YAML for the behaviour mapping's body, indented by two spaces.
std::string MiniScenario(const std::string& behaviour = "");
// One PSU (psu-1) with one account acc-1 holding `rows` booked rows, one per day back from 2025-01-31.
std::string ManyRowsScenario(int rows, const std::string& behaviour);

Scenario ParseOrDie(const std::string& yaml);

// The client certificate of a request: the QWAC, none, one from an unrelated CA, or the QSealC (valid at the
// sandbox, but another certificate than the QWAC: for certificate-bound tokens and tls_client_auth).
enum class Identity { kQwac, kNone, kOtherCa, kQseal };
enum class Signing { kSigned, kUnsigned };

// An in-process sandbox with a client.
class Bank {
 public:
  // Fails the test (returns nullptr) if the scenario or the server does not start.
  // `published` are the certificates the TPP publishes (SandboxOptions.published_certificates; STET keyIds).
  static std::unique_ptr<Bank> Start(const std::string& scenario_yaml, std::optional<Date> today = std::nullopt,
                                     uint64_t seed = 0, std::vector<std::string> published = {});

  http::Response Send(const std::string& method, const std::string& target, std::vector<http::Header> headers = {},
                      const std::string& body = "", Signing signing = Signing::kSigned,
                      Identity identity = Identity::kQwac);
  // The raw attempt, for transport failures (reset, truncation).
  http::Attempt Try(const std::string& method, const std::string& target, std::vector<http::Header> headers = {},
                    const std::string& body = "", Signing signing = Signing::kSigned,
                    Identity identity = Identity::kQwac);
  // Adds Digest, Signature and TPP-Signature-Certificate for the QSealC (X-Request-ID is added first if missing).
  void Sign(http::Request& request) const;

  // A consent over all of psu's accounts, approved through the redirect page (or decoupled polling when the bank
  // offers only that). Returns the consent id; fails the test on any unexpected answer.
  std::string ValidConsent(const std::string& psu = "psu-1");

  SandboxServer& server() { return *server_; }
  const Stats& stats() const { return server_->stats(); }
  std::string Url(const std::string& target) const { return server_->BaseUrl() + target; }

 private:
  http::Client& ClientFor(Identity identity);

  std::unique_ptr<SandboxServer> server_;
  std::unique_ptr<http::Client> qwac_, anonymous_, other_ca_, qseal_client_;
  std::optional<pki::Credential> qseal_;
};

// JSON helpers over simdjson's DOM: the value at an RFC 6901 pointer, "" / -1 when absent or of another type.
std::string JsonString(const std::string& json, const std::string& pointer);
int64_t JsonInt(const std::string& json, const std::string& pointer);
size_t JsonArraySize(const std::string& json, const std::string& pointer);  // 0 when absent
bool JsonHas(const std::string& json, const std::string& pointer);
std::string JsonRaw(const std::string& json, const std::string& pointer);  // minified value, "" when absent
// A response header's value, "" when absent.
std::string Header(const http::Response& response, std::string_view name);
// The tppMessages[0].code of a Berlin Group error body.
std::string ErrorCode(const http::Response& response);

std::string ConsentBody(const std::string& access_json = R"({"allPsd2":"allAccounts"})", int frequency = 4,
                        const std::string& valid_until = "2025-12-31");

// ---- UK Open Banking (tools/sandbox/uk_ob) ----

// MiniScenario as a UK Open Banking bank (standard uk-ob): the same PSUs, accounts and rows.
std::string UkMiniScenario(const std::string& behaviour = "");
// Any of the scenarios above as a UK Open Banking bank.
std::string AsUk(std::string berlin_group_yaml);

// A JSON object's members as raw JSON values (strings quoted), editable member by member before it is written.
using JsonMembers = std::map<std::string, std::string>;
std::string ToJson(const JsonMembers& members);
std::string Quoted(std::string_view text);  // a JSON string literal
int64_t UnixNow();
// A PEM private key file of the test PKI (e.g. the unrelated qwac-mismatch.key); fails the test when unreadable.
std::shared_ptr<EVP_PKEY> LoadPrivateKey(const std::string& file);

// A compact JWS over header and claims: PS256 with `key` (any alg the header names; the signature is PS256).
std::string SignJwt(const JsonMembers& header, const JsonMembers& claims, EVP_PKEY* key);
// The decoded header or claims of a compact JWS ("" when it is not one).
std::string JwtHeader(const std::string& token);
std::string JwtClaims(const std::string& token);

inline constexpr char kUkRedirect[] = "https://tpp.example.test/callback";
inline constexpr char kUkAllPermissions[] =
    R"(["ReadAccountsDetail","ReadBalances","ReadTransactionsDetail","ReadTransactionsCredits","ReadTransactionsDebits"])";

// The parameters a hybrid-flow redirect carries in its fragment (code, id_token, state, or error, ...).
std::map<std::string, std::string> FragmentOf(const http::Response& redirect);

// A TPP at a UK sandbox bank, doing each step the way the contract says (README "UK Open Banking"): the QSealC
// signs its JWTs (x5c: qseal.pem), the QWAC is its TLS client certificate. Each piece is editable, so a test can
// get exactly one thing wrong.
class UkTpp {
 public:
  explicit UkTpp(Bank& bank);
  const std::string& issuer() const { return issuer_; }
  EVP_PKEY* key() const { return qseal_->key(); }

  // {"alg":"PS256","kid":"tpp-kid","x5c":[<qseal.pem>]}
  JsonMembers X5cHeader() const;
  // A software statement signed by the QSealC with its x5c, for software id `software_id`.
  std::string SoftwareStatement(const std::string& software_id = "tpp-software-1") const;
  // The claims of a registration request that the bank accepts, for `method`.
  JsonMembers RegistrationClaims(const std::string& method = "private_key_jwt") const;
  std::string RegistrationJwt(const JsonMembers& claims) const { return SignJwt(X5cHeader(), claims, key()); }
  http::Response PostRegistration(const std::string& jwt, const std::string& method = "POST",
                                  const std::string& target = "/as/register", const std::string& bearer = "");
  // Registers with `method`; returns the client id (fails the test otherwise).
  std::string Register(const std::string& method = "private_key_jwt");

  // The claims of a client assertion that the bank accepts.
  JsonMembers AssertionClaims(const std::string& client_id) const;
  std::string Assertion(const std::string& client_id) const;
  // POST /as/token with these form fields (percent-encoded here).
  http::Response Token(const std::vector<std::pair<std::string, std::string>>& form,
                       Identity identity = Identity::kQwac);
  // The client authentication fields for the client's registered method (private_key_jwt: a fresh assertion).
  std::vector<std::pair<std::string, std::string>> ClientAuth(const std::string& client_id) const;
  std::string ClientCredentialsToken(const std::string& client_id);

  // A bank API call with a bearer token (unsigned; JSON body).
  http::Response Api(const std::string& method, const std::string& target, const std::string& token,
                     const std::string& body = "", std::vector<http::Header> headers = {},
                     Identity identity = Identity::kQwac);
  // POST account-access-consents; returns the ConsentId (fails the test otherwise).
  std::string CreateConsent(const std::string& cc_token, const std::string& permissions = kUkAllPermissions);

  // The claims of a request object that the bank accepts.
  JsonMembers RequestObjectClaims(const std::string& client_id, const std::string& consent_id) const;
  std::string RequestObject(const JsonMembers& claims) const;
  // GET /as/authorize (no client certificate) with client_id, response_type, scope, redirect_uri, state, nonce and
  // `request`, then `extra_query` ("&psu=psu-2").
  http::Response Authorize(const std::string& client_id, const std::string& request,
                           const std::string& extra_query = "");

  // Headers every Api() call carries (a bank's required headers).
  std::vector<http::Header> api_headers;

  struct Session {
    std::string client_id, consent_id, code, front_id_token, access_token, refresh_token, id_token, token_response;
  };
  // Register, consent, authorize and exchange the code: a token bound to an authorised consent.
  Session Authorised(const std::string& permissions = kUkAllPermissions, const std::string& method = "private_key_jwt",
                     const std::string& extra_query = "");

 private:
  Bank& bank_;
  std::string issuer_;
  std::optional<pki::Credential> qseal_;
  std::map<std::string, std::string> methods_;  // client id -> registered method
};

}  // namespace bankfeed::sandbox::test
