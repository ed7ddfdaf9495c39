// What is Berlin Group's own, against the sandbox bank: the explicit start of the authorisation and the standard's
// error bodies. What every standard's connector does (each SCA approach, pages, loops, faults, the quota) is in the
// conformance suite (connector_conformance_test.cpp); the Berlin Group quirks in berlin_group_quirks_test.cpp.
#include "sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

class BerlinGroup : public SandboxTest {};

TEST_F(BerlinGroup, ExplicitStartOfTheAuthorisation) {
  StartBank(ScenarioYaml(3, 0, "  page_size: 10\n  explicit_authorisation: true\n"));
  BankProfile p = Profile();
  p.sca.explicit_start = true;
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  EXPECT_FALSE(grant.authorisation_id.empty());
  EXPECT_TRUE(c->ListAccounts(grant, Present()));
}

TEST_F(BerlinGroup, ProblemJsonIsReadForItsCode) {
  StartBank(ScenarioYaml(50, 0, "  page_size: 5\n  faults: [{kind: problem_json, page: 2}]\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  auto batch = c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Present());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().http_status, 400);
  EXPECT_FALSE(batch.error().bank_code.empty());
  EXPECT_EQ(batch.error().message.rfind("read transactions page 2: the bank answered HTTP 400 ", 0), 0u)
      << batch.error().message;
}

}  // namespace
}  // namespace bankfeed::testing
