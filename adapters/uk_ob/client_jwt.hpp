// adapters/uk_ob/client_jwt.hpp: the JWTs the client signs with its QSealC (PS256), FAPI 1.0 Advanced:
// - the request object of the hybrid flow's authorization request (FAPI 1.0 Adv. §5.2.2; OpenID Connect Core §6.1);
// - the private_key_jwt client assertion at the token endpoint (OpenID Connect Core §9);
// - the dynamic client registration request (UK DCR 3.3, RFC 7591 software statement).
// Claims are written here and nowhere else, so the tests can hold every claim against the standard.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/credentials.hpp"
#include "bankfeed/profile.hpp"
#include "bankfeed/result.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::uk_ob {

struct RequestObjectClaims {
  std::string client_id;
  std::string issuer;        // aud
  std::string redirect_uri;
  std::string scope = "openid accounts";
  std::string state;
  std::string nonce;
  std::string intent_id;     // the account-access consent's id: claims.id_token.openbanking_intent_id
  int64_t now = 0;           // Unix seconds: iat and nbf
  std::chrono::seconds lifetime{600};  // exp = nbf + lifetime (FAPI: at most 60 minutes)
  std::chrono::seconds max_age{0};     // 0: no max_age claim
};

struct RegistrationClaims {
  std::string software_id;          // iss
  std::string issuer;               // aud
  std::string software_statement;   // the SSA, as issued (a JWT)
  std::vector<std::string> redirect_uris;
  ClientAuthMethod client_auth = ClientAuthMethod::kTlsClientAuth;
  std::string tls_client_auth_subject_dn;  // tls_client_auth: the QWAC's subject
  std::string scope = "openid accounts";
  int64_t now = 0;
};

class ClientSigner {
 public:
  // The QSealC and the kid under which the bank knows its key (profile signing.jws.kid).
  static Result<ClientSigner> Make(const CredentialSource& qseal, std::string kid, std::string_view bank_id);

  Result<std::string> RequestObject(const RequestObjectClaims& claims) const;
  // iss = sub = client_id, aud = the token endpoint, a fresh jti, exp 5 minutes after iat.
  Result<std::string> ClientAssertion(std::string_view client_id, std::string_view token_endpoint, int64_t now) const;
  // The registration request, with the signing certificate in the header's x5c (how the bank finds the key that
  // will sign the client's later JWTs).
  Result<std::string> RegistrationRequest(const RegistrationClaims& claims) const;

  const std::string& kid() const { return kid_; }

 private:
  ClientSigner(pki::Credential credential, std::string kid, std::string bank_id)
      : credential_(std::move(credential)), kid_(std::move(kid)), bank_id_(std::move(bank_id)) {}
  Result<std::string> Sign(std::string_view claims_json, std::string_view typ, bool with_x5c) const;

  pki::Credential credential_;
  std::string kid_;
  std::string bank_id_;
};

}  // namespace bankfeed::uk_ob
