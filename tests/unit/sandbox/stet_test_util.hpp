// Set-up for the STET sandbox tests: the MiniScenario as a STET bank, and a TPP that does each step the way the
// contract says (tools/sandbox/README.md "STET"): authorize in the PSU's browser, the code exchange over the QWAC,
// and API calls with a bearer token, X-Request-ID and a Cavage signature by the QSealC whose keyId is the URL
// https://tpp.example/qseal/<sha256>.pem of the published qseal.pem.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bankfeed/signing.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox::test {

using Form = std::vector<std::pair<std::string, std::string>>;

inline constexpr char kStetClientId[] = "PSDDE-BAFIN-123456";  // the test QWAC's organizationIdentifier
inline constexpr char kStetRedirect[] = "https://tpp.example.test/stet/callback";
inline constexpr char kStetVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

// MiniScenario as a STET bank; `stet` is YAML for behaviour.stet's body, indented by four spaces.
std::string StetMiniScenario(const std::string& behaviour = "", const std::string& stet = "");
// Starts a STET bank with qseal.pem published.
std::unique_ptr<Bank> StartStet(const std::string& yaml, std::optional<Date> today = std::nullopt);
// The lower-case hex SHA-256 of a PEM certificate file's DER.
std::string PemFingerprint(const std::string& file);
// The parameters of a redirect's query (code, state, or error, ...).
std::map<std::string, std::string> QueryParamsOf(const http::Response& redirect);

class StetTpp {
 public:
  explicit StetTpp(Bank& bank);

  // Cavage options the bank accepts: keyId the qseal URL, (request-target) digest x-request-id and psu-* present.
  CavageOptions Signing() const;
  // GET /stet/authorize (no client certificate) with response_type, client_id, redirect_uri, scope, state and a
  // PKCE S256 challenge of kStetVerifier, then `extra_query`.
  http::Response Authorize(const std::string& extra_query = "", bool pkce = true);
  // The code of an approved Authorize (fails the test otherwise).
  std::string Code(const std::string& extra_query = "");
  // POST /stet/token with these form fields.
  http::Response Token(const Form& form, Identity identity = Identity::kQwac);
  Form CodeForm(const std::string& code) const;

  struct Session {
    std::string access_token, refresh_token, body;
  };
  Session Authorised(const std::string& extra_query = "");
  Session Refresh(const std::string& refresh_token);

  // A signed API call. `headers` come before signing (X-Request-ID is added unless `with_request_id` is false).
  http::Response Api(const std::string& method, const std::string& target, const std::string& token,
                     const std::string& body = "", std::vector<http::Header> headers = {},
                     std::optional<CavageOptions> signing = std::nullopt, Identity identity = Identity::kQwac,
                     bool with_request_id = true);
  // The headers Api() sends: the given ones, Authorization, X-Request-ID, Content-Type and the signature's.
  std::vector<http::Header> SignedHeaders(const std::string& method, const std::string& target,
                                          const std::string& token, const std::string& body,
                                          std::vector<http::Header> headers, std::optional<CavageOptions> signing,
                                          bool with_request_id = true);
  // PUT consents opening every account of psu-1 (acc-1, acc-2) for balances and transactions.
  void ConsentAll(const std::string& token);

  std::string root = "/stet/v1";

 private:
  Bank& bank_;
  std::string key_id_url_;
};

}  // namespace bankfeed::sandbox::test
