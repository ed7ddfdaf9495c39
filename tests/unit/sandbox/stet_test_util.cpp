#include "unit/sandbox/stet_test_util.hpp"

#include <openssl/pem.h>

#include <cstdio>

#include "adapters/common/cavage_signer.hpp"
#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/oauth.hpp"

namespace bankfeed::sandbox::test {

std::string StetMiniScenario(const std::string& behaviour, const std::string& stet) {
  std::string yaml = MiniScenario(behaviour.empty() ? "  page_size: 50\n" : behaviour);
  const std::string bg = "standard: berlin-group";
  yaml.replace(0, bg.size(), "standard: stet");
  if (!stet.empty()) yaml += "  stet:\n" + stet;
  return yaml;
}

std::unique_ptr<Bank> StartStet(const std::string& yaml, std::optional<Date> today) {
  return Bank::Start(yaml, today, 0, {Pki("qseal.pem")});
}

std::string PemFingerprint(const std::string& file) {
  FILE* f = std::fopen(file.c_str(), "r");
  EXPECT_NE(f, nullptr) << file;
  if (f == nullptr) return {};
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  const std::string out = CertificateFingerprint(cert);
  X509_free(cert);
  return out;
}

std::map<std::string, std::string> QueryParamsOf(const http::Response& redirect) {
  const std::string location = Header(redirect, "Location");
  std::map<std::string, std::string> out;
  auto fields = ParseForm(QueryOf(location));
  if (fields) {
    for (const FormField& f : *fields) out[f.name] = f.value;
  }
  return out;
}

StetTpp::StetTpp(Bank& bank)
    : bank_(bank), key_id_url_("https://tpp.example/qseal/" + PemFingerprint(Pki("qseal.pem")) + ".pem") {}

CavageOptions StetTpp::Signing() const {
  CavageOptions o;
  o.key_id_format = CavageOptions::KeyIdFormat::kUrl;
  o.key_id_url = key_id_url_;
  o.headers = {"(request-target)", "digest", "x-request-id", "psu-ip-address", "psu-user-agent"};
  o.headers_if_present = {"psu-ip-address", "psu-user-agent"};
  return o;
}

http::Response StetTpp::Authorize(const std::string& extra_query, bool pkce) {
  std::string target = "/stet/authorize?response_type=code&client_id=" + std::string(kStetClientId) +
                       "&redirect_uri=" + PercentEncode(kStetRedirect) + "&scope=aisp&state=st-1";
  if (pkce) target += "&code_challenge=" + PkceS256(kStetVerifier) + "&code_challenge_method=S256";
  return bank_.Send("GET", target + extra_query, {}, "", Signing::kUnsigned, Identity::kNone);
}

std::string StetTpp::Code(const std::string& extra_query) {
  http::Response r = Authorize(extra_query);
  EXPECT_EQ(r.status, 302) << r.body;
  const auto params = QueryParamsOf(r);
  EXPECT_EQ(params.count("code"), 1u) << Header(r, "Location").substr(0, 60);
  return params.count("code") ? params.at("code") : std::string();
}

http::Response StetTpp::Token(const Form& form, Identity identity) {
  std::string body;
  for (const auto& [name, value] : form) body += (body.empty() ? "" : "&") + name + "=" + PercentEncode(value);
  return bank_.Send("POST", "/stet/token", {{"Content-Type", "application/x-www-form-urlencoded"}}, body,
                    Signing::kUnsigned, identity);
}

Form StetTpp::CodeForm(const std::string& code) const {
  return {{"grant_type", "authorization_code"},
          {"code", code},
          {"redirect_uri", kStetRedirect},
          {"client_id", kStetClientId},
          {"code_verifier", kStetVerifier}};
}

StetTpp::Session StetTpp::Authorised(const std::string& extra_query) {
  http::Response r = Token(CodeForm(Code(extra_query)));
  EXPECT_EQ(r.status, 200) << r.body;
  return {JsonString(r.body, "/access_token"), JsonString(r.body, "/refresh_token"), r.body};
}

StetTpp::Session StetTpp::Refresh(const std::string& refresh_token) {
  http::Response r =
      Token({{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}, {"client_id", kStetClientId}});
  EXPECT_EQ(r.status, 200) << r.body;
  return {JsonString(r.body, "/access_token"), JsonString(r.body, "/refresh_token"), r.body};
}

std::vector<http::Header> StetTpp::SignedHeaders(const std::string& method, const std::string& target,
                                                 const std::string& token, const std::string& body,
                                                 std::vector<http::Header> headers,
                                                 std::optional<CavageOptions> signing, bool with_request_id) {
  http::Request request{method, bank_.Url(target), std::move(headers), body};
  if (!token.empty()) request.headers.push_back({"Authorization", "Bearer " + token});
  if (with_request_id && !request.RequestId()) request.headers.push_back({"X-Request-ID", http::NewRequestId()});
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  const CavageOptions options = signing.value_or(Signing());
  if (!options.headers.empty()) {
    auto signer = adapters::CavageSigner::Make(CredentialSource{Pki("qseal.pem"), Pki("qseal.key"), "", ""}, options);
    EXPECT_TRUE(signer.has_value()) << (signer ? "" : signer.error().ToString());
    if (signer) {
      auto ok = signer->Sign(request);
      EXPECT_TRUE(ok.has_value()) << (ok ? "" : ok.error().ToString());
    }
  }
  return std::move(request.headers);
}

http::Response StetTpp::Api(const std::string& method, const std::string& target, const std::string& token,
                            const std::string& body, std::vector<http::Header> headers,
                            std::optional<CavageOptions> signing, Identity identity, bool with_request_id) {
  auto sent = SignedHeaders(method, target, token, body, std::move(headers), std::move(signing), with_request_id);
  return bank_.Send(method, target, std::move(sent), body, Signing::kUnsigned, identity);
}

void StetTpp::ConsentAll(const std::string& token) {
  const std::string body =
      R"({"balances":[{"iban":"DE89370400440532013000"},{"iban":"DE75512108001245126199"}],)"
      R"("transactions":[{"iban":"DE89370400440532013000"},{"iban":"DE75512108001245126199"}],)"
      R"("trustedBeneficiaries":false,"psuIdentity":false})";
  http::Response r = Api("PUT", root + "/consents", token, body);
  EXPECT_EQ(r.status, 201) << r.body;
}

}  // namespace bankfeed::sandbox::test
