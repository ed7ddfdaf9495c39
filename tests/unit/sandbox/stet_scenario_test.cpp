// behaviour.stet in the scenario parser: each bad value refused with the file, line and key path; the bundled
// STET scenario (specs/sandbox/epsilon.yaml) loads.
#include <gtest/gtest.h>

#include "unit/sandbox/stet_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

std::string StetErrorOf(const std::string& yaml) {
  auto s = ParseScenario(yaml, "test.yaml");
  EXPECT_FALSE(s.has_value());
  return s ? std::string() : s.error().message;
}

TEST(SandboxStetScenario, ReadsEveryOption) {
  const Scenario s = test::ParseOrDie(test::StetMiniScenario(
      "", "    path_segment: caisse-07\n    client_id: tpp-42\n    pkce: true\n    extended_history: true\n"
          "    token_scope: forbidden\n    key_id: serial-issuer\n    signed_headers: [digest, x-request-id]\n"
          "    error_shape: plain\n    account_id: other\n    consents_endpoint: false\n"
          "    pending_status: OTHR\n    date_filter: date\n    history_after_refresh_days: 30\n"));
  const StetOptions& o = s.behaviour.stet;
  EXPECT_EQ(o.path_segment, "caisse-07");
  EXPECT_EQ(o.client_id, "tpp-42");
  EXPECT_TRUE(o.pkce && o.extended_history && o.account_id_other && o.pending_status_othr);
  EXPECT_EQ(o.token_scope, StetTokenScope::kForbidden);
  EXPECT_EQ(o.key_id, StetKeyId::kSerialIssuer);
  EXPECT_EQ(o.signed_headers, (std::vector<std::string>{"digest", "x-request-id"}));
  EXPECT_EQ(o.error_shape, StetErrorShape::kPlain);
  EXPECT_FALSE(o.consents_endpoint);
  EXPECT_EQ(o.date_filter, StetDateFilter::kDate);
  EXPECT_EQ(o.history_after_refresh_days, 30);
}

TEST(SandboxStetScenario, BadValuesNameFileLineAndKey) {
  struct Case {
    std::string stet, key;
  };
  for (const Case& c : {Case{"    key_id: fingerprint\n", "behaviour.stet.key_id:"},
                        Case{"    path_segment: a/b\n", "behaviour.stet.path_segment:"},
                        Case{"    token_scope: sometimes\n", "behaviour.stet.token_scope:"},
                        Case{"    error_shape: xml\n", "behaviour.stet.error_shape:"},
                        Case{"    signed_headers: [Digest]\n", "behaviour.stet.signed_headers:"},
                        Case{"    pending_status: PEND\n", "behaviour.stet.pending_status:"},
                        Case{"    date_filter: epoch\n", "behaviour.stet.date_filter:"},
                        Case{"    pkce: maybe\n", "behaviour.stet.pkce:"},
                        Case{"    history_after_refresh_days: -1\n", "behaviour.stet.history_after_refresh_days:"},
                        Case{"    single_page: true\n    last_page_next_self: true\n", "behaviour.stet.single_page:"},
                        Case{"    colour: blue\n", "behaviour.stet.colour"}}) {
    SCOPED_TRACE(c.stet);
    const std::string error = StetErrorOf(test::StetMiniScenario("", c.stet));
    EXPECT_EQ(error.rfind("test.yaml:", 0), 0u) << error;
    EXPECT_NE(error.find(c.key), std::string::npos) << error;
  }
}

TEST(SandboxStetScenario, OnlyInAStetScenario) {
  const std::string error = StetErrorOf(test::MiniScenario("  stet:\n    pkce: true\n"));
  EXPECT_NE(error.find("behaviour.stet: only valid in a standard: stet scenario"), std::string::npos) << error;
}

TEST(SandboxStetScenario, EpsilonLoads) {
  auto s = LoadScenarioFile(std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/epsilon.yaml", "stet");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->psus.size(), 2u);
  EXPECT_EQ(s->latest_date, Date::FromYmd(2025, 1, 31));
  EXPECT_EQ(s->behaviour.page_size, 20);
  for (const Psu& p : s->psus) {
    for (const ScenarioAccount& a : p.accounts) {
      EXPECT_EQ(a.iban.rfind("FR76", 0), 0u);
      EXPECT_EQ(a.currency.code(), "EUR");
    }
  }
}

TEST(SandboxStetPublished, ABadPublishedCertificateIsAConfigErrorNamingTheFile) {
  for (const std::string& file : {std::string("/nonexistent/qseal.pem"), test::Pki("qseal.key")}) {
    SCOPED_TRACE(file);
    SandboxOptions o;
    o.cert_file = test::Pki("server.pem");
    o.key_file = test::Pki("server.key");
    o.client_ca_file = test::Pki("ca.pem");
    o.published_certificates = {test::Pki("qseal.pem"), file};
    auto server = SandboxServer::Start(test::ParseOrDie(test::StetMiniScenario()), o);
    ASSERT_FALSE(server.has_value());
    EXPECT_EQ(server.error().code, ErrorCode::kConfig);
    EXPECT_NE(server.error().message.find(file), std::string::npos) << server.error().message;
  }
}

}  // namespace
}  // namespace bankfeed::sandbox
