// bankfeed/registration.hpp: dynamic client registration (RFC 7591, RFC 7592; UK Open Banking DCR 3.3), how a TPP
// gets its client id at a bank that issues them, and keeps its registration up to date or ends it.
//
// The registration request is a JWT signed with the QSealC. It carries the software statement the TPP's directory
// issued (the SSA), the redirect URIs, and the client authentication the profile says (oauth2.client_auth). The
// client id the bank returns goes into bankfeed.yaml (banks.<id>.oauth_client_id), or into the registration file
// `bankfeed register` writes; it is not a secret.
//
//   auto registrar = bankfeed::MakeClientRegistrar(connection);  // connection.profile: a bank that registers clients
//   auto registration = (*registrar)->Register({.software_statement = ssa, .redirect_uris = {"https://tpp/cb"}});
//   std::cout << registration->client_id;
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

struct ClientRegistrationRequest {
  std::string software_statement;          // the SSA, a JWT as the directory issued it
  std::vector<std::string> redirect_uris;  // at least one
};

struct ClientRegistration {
  std::string client_id;
  std::optional<int64_t> client_id_issued_at;  // Unix seconds
  std::string token_endpoint_auth_method;
  std::vector<std::string> redirect_uris;
};

class BANKFEED_EXPORT ClientRegistrar {
 public:
  virtual ~ClientRegistrar() = default;
  // A new registration at the bank.
  virtual Result<ClientRegistration> Register(const ClientRegistrationRequest& request) = 0;
  // Replaces the metadata of the registration of `client_id` (ConnectionOptions::oauth_client_id).
  virtual Result<ClientRegistration> Update(const ClientRegistrationRequest& request) = 0;
  // Ends the registration of `client_id`: the bank forgets the client.
  virtual Status Delete() = 0;
};

// kConfig naming the standard when its banks do not register clients.
BANKFEED_EXPORT Result<std::unique_ptr<ClientRegistrar>> MakeClientRegistrar(const ConnectionOptions& options,
                                                                             ConnectorEnvironment environment = {});

}  // namespace bankfeed
