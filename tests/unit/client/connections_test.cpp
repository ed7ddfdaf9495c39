// The banks of one configuration (BankConnections, include/bankfeed/client.hpp): each profile read once, read again
// after Reload, with the configuration's base-URL override and its OAuth2 endpoints moved along.
#include <gtest/gtest.h>

#include <filesystem>

#include "bankfeed/client.hpp"
#include "tests/unit/config/minimal_profile.hpp"
#include "tests/unit/config/temp_dir.hpp"

namespace bankfeed {
namespace {

using config_test::kMinimal;
using config_test::TempDir;

ClientConfig ConfigFor(const TempDir& dir) {
  ClientConfig config;
  config.profiles_dir = dir.path();
  return config;
}

std::string Named(const std::string& name) {
  std::string text = kMinimal;
  const size_t at = text.find("name: Bank X");
  return text.replace(at, 12, "name: " + name);
}

TEST(BankConnections, AProfileIsReadOnceUntilReload) {
  TempDir dir;
  dir.Write("bank-x.yaml", Named("First"));
  BankConnections banks(ConfigFor(dir));
  auto first = banks.ConnectionFor("bank-x");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->profile.display_name, "First");

  dir.Write("bank-x.yaml", Named("Second"));
  EXPECT_EQ(banks.ConnectionFor("bank-x")->profile.display_name, "First") << "read once";
  banks.Reload();
  EXPECT_EQ(banks.ConnectionFor("bank-x")->profile.display_name, "Second");

  // A profile that does not load is not kept: once fixed, the next use reads it.
  dir.Write("bank-x.yaml", "id: bank-x\n");
  banks.Reload();
  auto broken = banks.ConnectionFor("bank-x");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kConfig);
  dir.Write("bank-x.yaml", Named("Third"));
  EXPECT_EQ(banks.ConnectionFor("bank-x")->profile.display_name, "Third");
}

TEST(BankConnections, AnIdThatIsNotAProfileIdNeverReachesTheFileSystem) {
  TempDir dir;
  BankConnections banks(ConfigFor(dir));
  for (const char* id : {"../bank-x", "Bank-X", "", "bank x"}) {
    auto refused = banks.ConnectionFor(id);
    ASSERT_FALSE(refused) << id;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << id;
  }
  auto missing = banks.ConnectionFor("bank-y");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
}

TEST(BankConnections, TheBaseUrlOverrideMovesTheOAuth2EndpointsOnTheSameOrigin) {
  TempDir dir;
  dir.Write("bank-x.yaml", std::string(kMinimal) +
                               "sca:\n  approaches: [oauth2]\n"
                               "oauth2:\n"
                               "  authorization_endpoint: https://api.bank-x.example/psd2/oauth/authorize\n"
                               "  token_endpoint: https://auth.bank-x.example/token\n");
  ClientConfig config = ConfigFor(dir);
  config.base_urls["bank-x"] = "https://127.0.0.1:8443/psd2/";
  config.oauth_client_id = "PSDXX-1";
  BankConnections banks(config);
  auto connection = banks.ConnectionFor("bank-x");
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->profile.base_url, "https://127.0.0.1:8443/psd2");
  EXPECT_EQ(connection->profile.oauth2->authorization_endpoint, "https://127.0.0.1:8443/psd2/oauth/authorize");
  EXPECT_EQ(connection->profile.oauth2->token_endpoint, "https://auth.bank-x.example/token") << "another origin";
  EXPECT_EQ(connection->oauth_client_id, "PSDXX-1");

  config.base_urls["bank-x"] = "http://127.0.0.1:8443";
  auto plain = BankConnections(config).ConnectionFor("bank-x");
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().message, "banks.bank-x.base_url: not an https URL");
}

// STET: the TPP's publication URL and a deployment's path segment reach the connection; a base URL with a {segment}
// placeholder moves its endpoints (revocation included) like any other.
TEST(BankConnections, StetPathSegmentQsealUrlAndTheRevocationEndpoint) {
  TempDir dir;
  dir.Write("bank-x.yaml",
            "id: bank-x\nname: Banque X\nstandard: stet\nstandard_version: \"1.4.2\"\n"
            "base_url: https://api.banque-x.example/{segment}/stet/v1\ntimezone: Europe/Paris\n"
            "sca: {approaches: [oauth2]}\n"
            "oauth2:\n  authorization_endpoint: https://api.banque-x.example/authorize\n"
            "  token_endpoint: https://api.banque-x.example/token\n"
            "  revocation_endpoint: https://api.banque-x.example/revoke\n  scope: aisp\n"
            "quirks: {path_segment: paris}\n");
  ClientConfig config = ConfigFor(dir);
  config.base_urls["bank-x"] = "https://127.0.0.1:8443/{segment}/stet/v1";
  config.path_segments["bank-x"] = "lyon";
  config.qseal_url = "https://tpp.example/qseal/";
  auto connection = BankConnections(config).ConnectionFor("bank-x");
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->profile.quirks.path_segment, "lyon");
  EXPECT_EQ(connection->qseal_url, "https://tpp.example/qseal/");
  EXPECT_EQ(connection->profile.oauth2->token_endpoint, "https://127.0.0.1:8443/token");
  EXPECT_EQ(connection->profile.oauth2->revocation_endpoint, "https://127.0.0.1:8443/revoke");
}

// An OpenID issuer moves with the override too, and is compared character for character: a bare origin stays bare.
TEST(BankConnections, TheIssuerMovesWithTheOverrideAndStaysBare) {
  TempDir dir;
  dir.Write("bank-x.yaml", std::string(kMinimal) +
                               "sca:\n  approaches: [oauth2]\n"
                               "oauth2:\n  issuer: https://api.bank-x.example\n");
  ClientConfig config = ConfigFor(dir);
  config.base_urls["bank-x"] = "https://127.0.0.1:8443/psd2";
  auto connection = BankConnections(config).ConnectionFor("bank-x");
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->profile.oauth2->issuer, "https://127.0.0.1:8443");
}

// The client id: the bank's own in the configuration, else the one its registration file keeps, else the TPP's.
TEST(BankConnections, TheClientIdComesFromTheConfigurationOrTheBanksRegistration) {
  TempDir dir;
  dir.Write("bank-x.yaml", kMinimal);
  ClientConfig config = ConfigFor(dir);
  config.registrations_dir = dir.path() + "/registrations";
  config.oauth_client_id = "tpp-wide";
  EXPECT_EQ(BankConnections(config).ConnectionFor("bank-x")->oauth_client_id, "tpp-wide");

  ClientRegistration registration;
  registration.client_id = "issued-by-bank-x";
  registration.client_id_issued_at = 1'735'689'600;
  registration.token_endpoint_auth_method = "private_key_jwt";
  registration.redirect_uris = {"https://tpp.example/callback"};
  ASSERT_TRUE(SaveRegistration(config, "bank-x", registration));
  const std::string file = config.registrations_dir + "/bank-x.json";
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto loaded = LoadRegistration(config, "bank-x");
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(loaded->client_id, "issued-by-bank-x");
  EXPECT_EQ(loaded->client_id_issued_at, 1'735'689'600);
  EXPECT_EQ(loaded->redirect_uris, registration.redirect_uris);
  EXPECT_EQ(BankConnections(config).ConnectionFor("bank-x")->oauth_client_id, "issued-by-bank-x");

  config.client_ids["bank-x"] = "configured";
  EXPECT_EQ(BankConnections(config).ConnectionFor("bank-x")->oauth_client_id, "configured");
  config.client_ids.clear();

  dir.Write("registrations/bank-x.json", "{\"client_id\": 42}");
  auto broken = BankConnections(config).ConnectionFor("bank-x");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kConfig);
  EXPECT_NE(broken.error().message.find("bank-x.json: client_id: missing"), std::string::npos);

  ASSERT_TRUE(RemoveRegistration(config, "bank-x"));
  EXPECT_EQ(LoadRegistration(config, "bank-x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(BankConnections(config).ConnectionFor("bank-x")->oauth_client_id, "tpp-wide");
  EXPECT_EQ(LoadRegistration(config, "../x").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bankfeed
