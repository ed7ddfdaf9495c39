// Bank profiles that load: the bundled ones in specs/banks, every default, every key, and reading files and
// directories (include/bankfeed/profile.hpp).
#include "bankfeed/profile.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/config/minimal_profile.hpp"
#include "tests/unit/config/temp_dir.hpp"

namespace bankfeed {
namespace {

namespace fs = std::filesystem;
using Approaches = std::vector<ScaApproach>;

const std::string kBanksDir = std::string(BANKFEED_SOURCE_DIR) + "/specs/banks";

using config_test::kMinimal;
using config_test::TempDir;

BankProfile ParseOk(const std::string& text, const std::string& source = "specs/banks/bank-x.yaml") {
  auto p = ParseBankProfile(text, source);
  EXPECT_TRUE(p.has_value()) << p.error().message;
  return p ? *p : BankProfile{};
}

std::string WithId(const std::string& id) {
  std::string text = kMinimal;
  return "id: " + id + text.substr(text.find('\n'));
}

TEST(BankProfileBundled, AllLoadSortedById) {
  auto profiles = LoadBankProfiles(kBanksDir);
  ASSERT_TRUE(profiles.has_value()) << profiles.error().message;
  ASSERT_EQ(profiles->size(), 5u);
  EXPECT_EQ((*profiles)[0].id, "sandbox-alpha");
  EXPECT_EQ((*profiles)[1].id, "sandbox-beta");
  EXPECT_EQ((*profiles)[2].id, "sandbox-delta");
  EXPECT_EQ((*profiles)[3].id, "sandbox-epsilon");
  EXPECT_EQ((*profiles)[4].id, "sandbox-gamma");
  for (const BankProfile& p : *profiles) {
    EXPECT_EQ(p.transport.bank_id, p.id);
    EXPECT_TRUE(p.base_url.starts_with("https://127.0.0.1:")) << p.base_url;
    EXPECT_FALSE(p.display_name.empty());
    if (p.standard != Standard::kBerlinGroup) continue;  // SandboxDelta and SandboxEpsilon below
    EXPECT_EQ(p.standard, Standard::kBerlinGroup);
    EXPECT_EQ(p.standard_version, "1.3.11");
    EXPECT_TRUE(p.cavage.Validate().has_value());
    EXPECT_FALSE(p.jws.has_value());
  }
}

TEST(BankProfileBundled, SandboxDelta) {
  auto p = LoadBankProfile(kBanksDir + "/sandbox-delta.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->standard, Standard::kUkOpenBanking);
  ASSERT_TRUE(p->oauth2);
  EXPECT_EQ(p->oauth2->issuer, "https://127.0.0.1:8443");
  EXPECT_TRUE(p->oauth2->authorization_endpoint.empty()) << "from discovery";
  EXPECT_EQ(p->oauth2->client_auth, ClientAuthMethod::kPrivateKeyJwt);
  EXPECT_FALSE(p->oauth2->pkce);
  EXPECT_FALSE(p->oauth2->id_token.nonce_optional);
  EXPECT_EQ(p->oauth2->request_object_lifetime, std::chrono::seconds(600));
  ASSERT_TRUE(p->jws);
  EXPECT_EQ(p->jws->kid, "bankfeed-test-qseal");
}

TEST(BankProfileBundled, SandboxEpsilon) {
  auto p = LoadBankProfile(kBanksDir + "/sandbox-epsilon.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->standard, Standard::kStet);
  EXPECT_EQ(p->base_url, "https://127.0.0.1:8443/stet/v1");
  EXPECT_EQ(p->timezone.name(), "Europe/Paris");
  ASSERT_TRUE(p->oauth2);
  EXPECT_EQ(p->oauth2->scope, "aisp");
  EXPECT_TRUE(p->oauth2->pkce);
  EXPECT_EQ(p->oauth2->revocation_endpoint, "https://127.0.0.1:8443/stet/revoke");
  EXPECT_EQ(p->cavage.key_id_format, CavageOptions::KeyIdFormat::kUrl);
  EXPECT_EQ(p->cavage.headers, CavageOptions::StetDefaults().headers);
  EXPECT_FALSE(p->jws.has_value());
}

TEST(BankProfileBundled, SandboxAlpha) {
  auto p = LoadBankProfile(kBanksDir + "/sandbox-alpha.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->base_url, "https://127.0.0.1:8443");
  EXPECT_EQ(p->timezone.name(), "Europe/Berlin");
  EXPECT_EQ(p->sca.approaches, (Approaches{ScaApproach::kRedirect, ScaApproach::kDecoupled}));
  EXPECT_FALSE(p->sca.explicit_start);
  EXPECT_FALSE(p->oauth2.has_value());
  const CavageOptions defaults;
  EXPECT_EQ(p->cavage.algorithm, defaults.algorithm);
  EXPECT_EQ(p->cavage.headers, defaults.headers);
  EXPECT_TRUE(p->cavage.serial_uppercase);
  EXPECT_EQ(p->quirks.psu_id, PsuIdPolicy::kOptional);
  EXPECT_EQ(p->quirks.page_cap, 100);
  EXPECT_TRUE(p->quirks.trust_transaction_ids);
  EXPECT_TRUE(p->quirks.send_date_to);
  EXPECT_EQ(p->quirks.date_query_format, "%Y-%m-%d");
  EXPECT_TRUE(p->quirks.extra_headers.empty());
}

TEST(BankProfileBundled, SandboxBeta) {
  auto p = LoadBankProfile(kBanksDir + "/sandbox-beta.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->timezone.name(), "Europe/Vienna");
  EXPECT_EQ(p->sca.approaches, Approaches{ScaApproach::kOAuth2});
  ASSERT_TRUE(p->oauth2.has_value());
  EXPECT_EQ(p->oauth2->authorization_endpoint, "https://127.0.0.1:8444/oauth/authorize");
  EXPECT_EQ(p->oauth2->token_endpoint, "https://127.0.0.1:8444/oauth/token");
  EXPECT_EQ(p->oauth2->scope, "AIS");
  EXPECT_TRUE(p->oauth2->pkce);
  EXPECT_EQ(p->cavage.algorithm, "SHA256withRSA");
  EXPECT_FALSE(p->cavage.serial_uppercase);
  EXPECT_EQ(p->quirks.psu_id, PsuIdPolicy::kRequired);
  EXPECT_EQ(p->quirks.psu_id_type, "retail");
  EXPECT_FALSE(p->quirks.send_date_to);
  EXPECT_EQ(p->quirks.max_history_days, 90);
  EXPECT_FALSE(p->quirks.trust_transaction_ids);
  EXPECT_EQ(p->quirks.extra_headers, (std::map<std::string, std::string>{{"X-Bank-Channel", "API"}}));
}

TEST(BankProfileBundled, SandboxGamma) {
  auto p = LoadBankProfile(kBanksDir + "/sandbox-gamma.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->timezone.name(), "Europe/Madrid");
  EXPECT_EQ(p->sca.approaches, Approaches{ScaApproach::kDecoupled});
  EXPECT_TRUE(p->sca.explicit_start);
  EXPECT_FALSE(p->quirks.trust_transaction_ids);
  EXPECT_EQ(p->quirks.page_cap, 200);
  EXPECT_EQ(p->quirks.psu_id, PsuIdPolicy::kOptional);
}

TEST(BankProfileDefaults, EveryOptionalKey) {
  const BankProfile p = ParseOk(kMinimal);
  EXPECT_EQ(p.id, "bank-x");
  EXPECT_EQ(p.display_name, "Bank X");
  EXPECT_EQ(p.standard, Standard::kBerlinGroup);
  EXPECT_EQ(p.standard_version, "1.3.11");
  EXPECT_EQ(p.base_url, "https://api.bank-x.example/psd2");
  EXPECT_EQ(p.timezone.name(), "Europe/Berlin");

  EXPECT_EQ(p.sca.approaches, Approaches{ScaApproach::kRedirect});
  EXPECT_FALSE(p.sca.explicit_start);
  EXPECT_EQ(p.sca.decoupled_poll_interval, std::chrono::seconds(2));
  EXPECT_EQ(p.sca.decoupled_timeout, std::chrono::seconds(300));
  EXPECT_FALSE(p.oauth2.has_value());

  EXPECT_EQ(p.cavage.algorithm, "rsa-sha256");
  EXPECT_EQ(p.cavage.headers, (std::vector<std::string>{"digest", "x-request-id", "psu-id", "psu-corporate-id",
                                                        "tpp-redirect-uri", "date"}));
  EXPECT_EQ(p.cavage.headers_if_present,
            (std::vector<std::string>{"psu-id", "psu-corporate-id", "tpp-redirect-uri", "date"}));
  EXPECT_EQ(p.cavage.key_id_format, CavageOptions::KeyIdFormat::kSerialIssuer);
  EXPECT_TRUE(p.cavage.serial_uppercase);
  EXPECT_EQ(p.cavage.key_id_url, "");
  EXPECT_EQ(p.cavage.certificate_encoding, CavageOptions::CertificateEncoding::kBase64Der);
  EXPECT_EQ(p.cavage.digest, DigestAlgorithm::kSha256);
  EXPECT_FALSE(p.cavage.headers_capitalised_in_list);
  EXPECT_FALSE(p.jws.has_value());

  EXPECT_EQ(p.transport.bank_id, "bank-x");
  EXPECT_FALSE(p.transport.client_identity.has_value());
  EXPECT_EQ(p.transport.ca_bundle_file, "");
  EXPECT_EQ(p.transport.connect_timeout, std::chrono::milliseconds(10'000));
  EXPECT_EQ(p.transport.total_timeout, std::chrono::milliseconds(60'000));
  EXPECT_EQ(p.transport.low_speed_bytes_per_second, 1);
  EXPECT_EQ(p.transport.low_speed_window, std::chrono::seconds(20));
  EXPECT_EQ(p.transport.max_response_bytes, size_t{32} << 20);
  EXPECT_EQ(p.transport.max_connections, 16);
  EXPECT_EQ(p.transport.max_connections_per_host, 4);
  EXPECT_EQ(p.transport.max_redirects, 0);
  EXPECT_TRUE(p.transport.http2);

  EXPECT_EQ(p.retry.max_attempts, 4);
  EXPECT_EQ(p.retry.base_delay, std::chrono::milliseconds(500));
  EXPECT_EQ(p.retry.max_delay, std::chrono::milliseconds(30'000));
  EXPECT_EQ(p.retry.max_retry_after, std::chrono::seconds(120));

  EXPECT_EQ(p.quirks.psu_id, PsuIdPolicy::kOptional);
  EXPECT_FALSE(p.quirks.psu_id_type.has_value());
  EXPECT_EQ(p.quirks.date_query_format, "%Y-%m-%d");
  EXPECT_TRUE(p.quirks.send_date_to);
  EXPECT_EQ(p.quirks.max_history_days, 730);
  EXPECT_EQ(p.quirks.page_cap, 1000);
  EXPECT_TRUE(p.quirks.trust_transaction_ids);
  EXPECT_TRUE(p.quirks.extra_headers.empty());
  EXPECT_FALSE(p.quirks.customer_ip_unattended);
  EXPECT_FALSE(p.quirks.values.account_ids_change);
  EXPECT_EQ(p.quirks.date_time_query_suffix, "");
  EXPECT_TRUE(p.quirks.date_time_colons_encoded);
}

TEST(BankProfileDefaults, EmptySectionsKeepDefaults) {
  const BankProfile p =
      ParseOk(std::string(kMinimal) + "sca:\nsigning:\n  cavage: {}\ntransport: {}\nretry:\nquirks:\n");
  EXPECT_EQ(p.sca.approaches, Approaches{ScaApproach::kRedirect});
  EXPECT_EQ(p.quirks.page_cap, 1000);
  EXPECT_EQ(p.retry.max_attempts, 4);
}

TEST(BankProfileKeys, EveryKeyIsRead) {
  const std::string text = std::string(kMinimal) +
                           "sca:\n"
                           "  approaches: [decoupled, oauth2, redirect]\n"
                           "  explicit_start: true\n"
                           "  decoupled_poll_interval_s: 5\n"
                           "  decoupled_timeout_s: 600\n"
                           "oauth2:\n"
                           "  authorization_endpoint: https://auth.bank-x.example/authorize?realm=psd2\n"
                           "  token_endpoint: https://auth.bank-x.example:8443/token\n"
                           "  scope: AIS PIS\n"
                           "  pkce: false\n"
                           "signing:\n"
                           "  cavage:\n"
                           "    algorithm: SHA256withRSA\n"
                           "    headers: [(request-target), digest, x-request-id, psu-id]\n"
                           "    headers_if_present: [psu-id]\n"
                           "    key_id_format: url\n"
                           "    serial_uppercase: false\n"
                           "    key_id_url: https://tpp.example/certs/qseal.pem\n"
                           "    certificate_encoding: pem\n"
                           "    digest: sha-512\n"
                           "    headers_capitalised_in_list: true\n"
                           "transport:\n"
                           "  connect_timeout_ms: 2000\n"
                           "  total_timeout_ms: 90000\n"
                           "  low_speed_bytes_per_second: 0\n"
                           "  low_speed_window_s: 45\n"
                           "  max_response_bytes: 1048576\n"
                           "  max_connections: 8\n"
                           "  max_connections_per_host: 2\n"
                           "  max_redirects: 3\n"
                           "  http2: false\n"
                           "retry:\n"
                           "  max_attempts: 6\n"
                           "  base_delay_ms: 250\n"
                           "  max_delay_ms: 8000\n"
                           "  max_retry_after_s: 600\n"
                           "quirks:\n"
                           "  psu_id: required\n"
                           "  psu_id_type: corporate\n"
                           "  date_query_format: \"%d.%m.%Y\"\n"
                           "  date_time_query_suffix: \"+00:00\"\n"
                           "  date_time_colons: literal\n"
                           "  send_date_to: false\n"
                           "  max_history_days: 395\n"
                           "  page_cap: 50\n"
                           "  trust_transaction_ids: false\n"
                           "  account_ids_change: true\n"
                           "  customer_ip_unattended: true\n"
                           "  extra_headers:\n"
                           "    X-Bank-Channel: API\n"
                           "    x-client-version: \"2.1\"\n"
                           "sync:\n"
                           "  overlap_days: 10\n"
                           "  first_sync_days: 365\n"
                           "  pending_booking_days: 14\n"
                           "  amount_tolerance_percent: 0\n"
                           "  counterparty_min_similarity: 60\n";
  const BankProfile p = ParseOk(text);
  EXPECT_EQ(p.sca.approaches, (Approaches{ScaApproach::kDecoupled, ScaApproach::kOAuth2, ScaApproach::kRedirect}));
  EXPECT_TRUE(p.quirks.values.account_ids_change);
  EXPECT_TRUE(p.quirks.customer_ip_unattended);
  EXPECT_EQ(p.quirks.date_time_query_suffix, "+00:00");
  EXPECT_FALSE(p.quirks.date_time_colons_encoded);
  EXPECT_TRUE(p.sca.explicit_start);
  EXPECT_EQ(p.sca.decoupled_poll_interval, std::chrono::seconds(5));
  EXPECT_EQ(p.sca.decoupled_timeout, std::chrono::seconds(600));
  ASSERT_TRUE(p.oauth2.has_value());
  EXPECT_EQ(p.oauth2->authorization_endpoint, "https://auth.bank-x.example/authorize?realm=psd2");
  EXPECT_EQ(p.oauth2->token_endpoint, "https://auth.bank-x.example:8443/token");
  EXPECT_EQ(p.oauth2->scope, "AIS PIS");
  EXPECT_FALSE(p.oauth2->pkce);
  EXPECT_EQ(p.cavage.algorithm, "SHA256withRSA");
  EXPECT_EQ(p.cavage.headers, (std::vector<std::string>{"(request-target)", "digest", "x-request-id", "psu-id"}));
  EXPECT_EQ(p.cavage.headers_if_present, std::vector<std::string>{"psu-id"});
  EXPECT_EQ(p.cavage.key_id_format, CavageOptions::KeyIdFormat::kUrl);
  EXPECT_FALSE(p.cavage.serial_uppercase);
  EXPECT_EQ(p.cavage.key_id_url, "https://tpp.example/certs/qseal.pem");
  EXPECT_EQ(p.cavage.certificate_encoding, CavageOptions::CertificateEncoding::kPem);
  EXPECT_EQ(p.cavage.digest, DigestAlgorithm::kSha512);
  EXPECT_TRUE(p.cavage.headers_capitalised_in_list);
  EXPECT_EQ(p.transport.connect_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(p.transport.total_timeout, std::chrono::milliseconds(90'000));
  EXPECT_EQ(p.transport.low_speed_bytes_per_second, 0);
  EXPECT_EQ(p.transport.low_speed_window, std::chrono::seconds(45));
  EXPECT_EQ(p.transport.max_response_bytes, size_t{1} << 20);
  EXPECT_EQ(p.transport.max_connections, 8);
  EXPECT_EQ(p.transport.max_connections_per_host, 2);
  EXPECT_EQ(p.transport.max_redirects, 3);
  EXPECT_FALSE(p.transport.http2);
  EXPECT_EQ(p.retry.max_attempts, 6);
  EXPECT_EQ(p.retry.base_delay, std::chrono::milliseconds(250));
  EXPECT_EQ(p.retry.max_delay, std::chrono::milliseconds(8000));
  EXPECT_EQ(p.retry.max_retry_after, std::chrono::seconds(600));
  EXPECT_EQ(p.quirks.psu_id, PsuIdPolicy::kRequired);
  EXPECT_EQ(p.quirks.psu_id_type, "corporate");
  EXPECT_EQ(p.quirks.date_query_format, "%d.%m.%Y");
  EXPECT_FALSE(p.quirks.send_date_to);
  EXPECT_EQ(p.quirks.max_history_days, 395);
  EXPECT_EQ(p.quirks.page_cap, 50);
  EXPECT_FALSE(p.quirks.trust_transaction_ids);
  EXPECT_EQ(p.quirks.extra_headers,
            (std::map<std::string, std::string>{{"X-Bank-Channel", "API"}, {"x-client-version", "2.1"}}));
  EXPECT_EQ(p.sync.overlap_days, 10);
  EXPECT_EQ(p.sync.first_sync_days, 365);
  EXPECT_EQ(p.sync.pending_booking_days, 14);
  EXPECT_EQ(p.sync.amount_tolerance_percent, 0);
  EXPECT_EQ(p.sync.counterparty_min_similarity, 60);
}

TEST(BankProfileKeys, SyncRulesAreCheckedAtTheirLine) {
  const auto e = ParseBankProfile(std::string(kMinimal) + "sync:\n  amount_tolerance_percent: 101\n", "bank-x.yaml");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("sync.amount_tolerance_percent"), std::string::npos) << e.error().message;
}

TEST(BankProfileKeys, BankHeaderListKeepsTheDefaultIfPresentEntriesItHas) {
  const BankProfile p =
      ParseOk(std::string(kMinimal) + "signing:\n  cavage:\n    headers: [digest, x-request-id, psu-id, date]\n");
  EXPECT_EQ(p.cavage.headers_if_present, (std::vector<std::string>{"psu-id", "date"}));
}

TEST(BankProfileKeys, UkOpenBankingSignsWithJws) {
  const std::string uk =
      "id: bank-x\nname: Bank X UK\nstandard: uk-ob\nstandard_version: \"3.1.10\"\n"
      "base_url: https://ob.bank-x.example/open-banking/v3.1/aisp\ntimezone: Europe/London\n"
      "signing:\n  jws:\n    kid: k1\n    issuer: 0015800001041RHAAY/abc123\n";
  BankProfile p = ParseOk(uk);
  EXPECT_EQ(p.standard, Standard::kUkOpenBanking);
  ASSERT_TRUE(p.jws.has_value());
  EXPECT_EQ(p.jws->form, JwsOptions::Form::kV314Plus);
  EXPECT_EQ(p.jws->kid, "k1");
  EXPECT_EQ(p.jws->issuer, "0015800001041RHAAY/abc123");
  EXPECT_EQ(p.jws->trust_anchor, "openbanking.org.uk");
  EXPECT_EQ(p.jws->content_type, "application/json");

  // Before 3.1.4 the default form is "b64": false; an explicit form wins.
  std::string old = uk;
  old.replace(old.find("3.1.10"), 6, "3.1.2");
  EXPECT_EQ(ParseOk(old).jws->form, JwsOptions::Form::kV313b64False);
  p = ParseOk(old + "    form: v3.1.4+\n    trust_anchor: test.anchor\n    content_type: \"\"\n");
  EXPECT_EQ(p.jws->form, JwsOptions::Form::kV314Plus);
  EXPECT_EQ(p.jws->trust_anchor, "test.anchor");
  EXPECT_EQ(p.jws->content_type, "");
  EXPECT_EQ(ParseOk(uk + "    form: v3.1.3-b64-false\n").jws->form, JwsOptions::Form::kV313b64False);
}

TEST(BankProfileKeys, StetAndUtc) {
  const BankProfile p = ParseOk(
      "id: bank-x\nname: Banque X\nstandard: stet\nstandard_version: \"1.4.2\"\n"
      "base_url: https://api.banque-x.example:8443/stet/psd2/v1.4.2\ntimezone: UTC\n"
      "sca: {approaches: [oauth2]}\n"
      "oauth2: {authorization_endpoint: \"https://auth.banque-x.example/\", "
      "token_endpoint: \"https://auth.banque-x.example/token\", scope: aisp}\n"
      "signing:\n  cavage:\n    key_id_format: url\n    key_id_url: https://tpp.example/qseal.pem\n");
  EXPECT_EQ(p.standard, Standard::kStet);
  EXPECT_EQ(p.oauth2->scope, "aisp");
  EXPECT_EQ(p.cavage.key_id_format, CavageOptions::KeyIdFormat::kUrl);
}

constexpr char kStet[] =
    "id: bank-x\nname: Banque X\nstandard: stet\nstandard_version: \"1.4.2\"\n"
    "base_url: https://api.banque-x.example/{segment}/stet/v1\ntimezone: Europe/Paris\n"
    "sca: {approaches: [oauth2]}\n"
    "oauth2:\n  authorization_endpoint: https://auth.banque-x.example/authorize\n"
    "  token_endpoint: https://auth.banque-x.example/token\n  scope: aisp extended_transaction_history\n";

// A STET profile's defaults: the STET signed headers and keyId form (the URL comes from the TPP's configuration),
// date-time filters, PUT /consents, OTHR as information.
TEST(BankProfileKeys, StetDefaultsAndQuirks) {
  BankProfile p = ParseOk(std::string(kStet) + "quirks: {path_segment: idf}\n");
  EXPECT_EQ(p.cavage.headers, CavageOptions::StetDefaults().headers);
  EXPECT_EQ(p.cavage.headers_if_present, CavageOptions::StetDefaults().headers_if_present);
  EXPECT_EQ(p.cavage.key_id_format, CavageOptions::KeyIdFormat::kUrl);
  EXPECT_EQ(p.cavage.key_id_url, "");
  EXPECT_EQ(p.quirks.path_segment, "idf");
  EXPECT_EQ(p.quirks.date_filter, Quirks::DateFilter::kDateTime);
  EXPECT_FALSE(p.quirks.single_page);
  EXPECT_FALSE(p.quirks.last_page_next_self);
  EXPECT_EQ(p.quirks.history_after_refresh_days, 0);
  EXPECT_TRUE(p.quirks.consents_endpoint);
  EXPECT_EQ(p.quirks.values.other_status, TransactionStatus::kInfo);
  EXPECT_TRUE(p.oauth2->scope_in_grants);
  EXPECT_EQ(p.oauth2->revocation_endpoint, "");
  EXPECT_EQ(p.oauth2->scope, "aisp extended_transaction_history");

  p = ParseOk(std::string(kStet) +
              "  scope_in_grants: false\n  revocation_endpoint: https://auth.banque-x.example/revoke\n"
              "signing:\n  cavage:\n    headers: [\"(request-target)\", digest, x-request-id, psu-ip-address]\n"
              "    key_id_format: serial-issuer\n"
              "quirks:\n  path_segment: caisse-42\n  date_filter: date\n  single_page: true\n"
              "  last_page_next_self: true\n  history_after_refresh_days: 90\n  consents_endpoint: false\n"
              "  other_status: pending\n");
  EXPECT_FALSE(p.oauth2->scope_in_grants);
  EXPECT_EQ(p.oauth2->revocation_endpoint, "https://auth.banque-x.example/revoke");
  EXPECT_EQ(p.cavage.headers.size(), 4u);
  EXPECT_EQ(p.cavage.headers_if_present, std::vector<std::string>{"psu-ip-address"});
  EXPECT_EQ(p.cavage.key_id_format, CavageOptions::KeyIdFormat::kSerialIssuer);
  EXPECT_EQ(p.quirks.path_segment, "caisse-42");
  EXPECT_EQ(p.quirks.date_filter, Quirks::DateFilter::kDate);
  EXPECT_TRUE(p.quirks.single_page);
  EXPECT_TRUE(p.quirks.last_page_next_self);
  EXPECT_EQ(p.quirks.history_after_refresh_days, 90);
  EXPECT_FALSE(p.quirks.consents_endpoint);
  EXPECT_EQ(p.quirks.values.other_status, TransactionStatus::kPending);
}

TEST(BankProfileKeys, ScaApproachNames) {
  for (const ScaApproach a :
       {ScaApproach::kRedirect, ScaApproach::kDecoupled, ScaApproach::kOAuth2, ScaApproach::kEmbedded}) {
    EXPECT_EQ(ParseScaApproach(ScaApproachName(a)), a);
  }
  EXPECT_EQ(ScaApproachName(ScaApproach::kOAuth2), "oauth2");
  EXPECT_EQ(ScaApproachName(ScaApproach::kEmbedded), "embedded");
  EXPECT_EQ(ParseScaApproach("Redirect"), std::nullopt);
  EXPECT_EQ(ParseScaApproach(""), std::nullopt);
}

TEST(BankProfileFiles, LoadsByPathAndNamesItInErrors) {
  TempDir dir;
  const std::string good = dir.Write("bank-x.yaml", kMinimal);
  auto p = LoadBankProfile(good);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->id, "bank-x");

  const std::string wrong_name = dir.Write("bank-y.yaml", kMinimal);
  auto e = LoadBankProfile(wrong_name);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, ErrorCode::kConfig);
  EXPECT_EQ(e.error().message, wrong_name + ":1:5: id: must equal the file name without .yaml (\"bank-y\")");
}

TEST(BankProfileFiles, UnreadableFilesNameThePathNotTheContents) {
  TempDir dir;
  const std::string missing = dir.path() + "/missing.yaml";
  auto e = LoadBankProfile(missing);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, ErrorCode::kConfig);
  EXPECT_EQ(e.error().message, missing + ": cannot open: No such file or directory");

  fs::create_directory(dir.path() + "/dir.yaml");
  e = LoadBankProfile(dir.path() + "/dir.yaml");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message, dir.path() + "/dir.yaml: not a regular file");

  // A FIFO would block a plain open and read; it is refused at once.
  const std::string fifo = dir.path() + "/fifo.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  e = LoadBankProfile(fifo);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message, fifo + ": not a regular file");

  const std::string marker = "SECRET-MARKER-7f3a";
  const std::string big = dir.Write("big.yaml", "id: big\n# " + marker + std::string(1u << 20, 'x') + "\n");
  e = LoadBankProfile(big);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message, big + ": larger than 1048576 bytes");

  const std::string broken = dir.Write("broken.yaml", "id: [" + marker + "\nname: x\n");
  e = LoadBankProfile(broken);
  ASSERT_FALSE(e.has_value());
  EXPECT_TRUE(e.error().message.starts_with(broken + ":")) << e.error().message;
  EXPECT_EQ(e.error().message.find(marker), std::string::npos) << e.error().message;

  if (::geteuid() != 0) {  // root reads a 0000 file anyway
    const std::string locked = dir.Write("locked.yaml", kMinimal);
    ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
    e = LoadBankProfile(locked);
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().message, locked + ": cannot open: Permission denied");
  }
}

TEST(BankProfileFiles, DirectorySortedByIdSkippingOtherFiles) {
  TempDir dir;
  dir.Write("a.yaml", WithId("a"));
  dir.Write("a-b.yaml", WithId("a-b"));  // "a-b.yaml" sorts before "a.yaml", but id "a" sorts before "a-b"
  dir.Write("c1.yaml", WithId("c1"));
  dir.Write("README.md", "# not a profile\n");
  dir.Write("notes.yml", "not: read\n");
  dir.Write(".hidden.yaml", "not: read\n");
  auto profiles = LoadBankProfiles(dir.path());
  ASSERT_TRUE(profiles.has_value()) << profiles.error().message;
  std::vector<std::string> ids;
  for (const BankProfile& p : *profiles) ids.push_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "a-b", "c1"}));

  // One bad file fails the whole load, naming it.
  const std::string bad = dir.Write("b.yaml", WithId("b") + "quirks:\n  page_capp: 3\n");
  auto e = LoadBankProfiles(dir.path());
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message, bad + ":8:3: quirks.page_capp: unknown key");

  TempDir empty;
  auto none = LoadBankProfiles(empty.path());
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());

  auto missing = LoadBankProfiles(empty.path() + "/nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  EXPECT_EQ(missing.error().message, empty.path() + "/nope: cannot read the directory: No such file or directory");
}

}  // namespace
}  // namespace bankfeed
