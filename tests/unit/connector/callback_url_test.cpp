// ParseCallbackUrl (bankfeed/connector.hpp): what a library user hands CompleteConsent, from the URL the customer's
// browser came back to: the query's parameters, the fragment's for a hybrid-flow response, and a refusal when the
// two disagree.
#include <gtest/gtest.h>

#include "bankfeed/connector.hpp"

namespace bankfeed {
namespace {

using Params = std::map<std::string, std::string>;

TEST(ParseCallbackUrl, TheQueryOfAUrlOrABareQuery) {
  EXPECT_EQ(ParseCallbackUrl("https://tpp.example/cb?code=c1&state=s1#frag"),
            (Params{{"code", "c1"}, {"state", "s1"}}));  // a plain anchor is not parameters
  EXPECT_EQ(ParseCallbackUrl("code=a%2Fb&state=x+y"), (Params{{"code", "a/b"}, {"state", "x y"}}));
  EXPECT_EQ(ParseCallbackUrl("https://tpp.example/cb?error=access_denied&error_description=no"),
            (Params{{"error", "access_denied"}, {"error_description", "no"}}));
  auto empty = ParseCallbackUrl("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(ParseCallbackUrl, AHybridFlowResponseInTheFragmentJoinsTheRedirectUrisOwnQuery) {
  EXPECT_EQ(ParseCallbackUrl("https://tpp.example/cb?tenant=t1#code=c1&id_token=h.p.s&state=s1"),
            (Params{{"tenant", "t1"}, {"code", "c1"}, {"id_token", "h.p.s"}, {"state", "s1"}}));
  EXPECT_EQ(ParseCallbackUrl("https://tpp.example/cb#code=c1&state=s1"), (Params{{"code", "c1"}, {"state", "s1"}}));
  EXPECT_EQ(ParseCallbackUrl("/cb#code=c1"), (Params{{"code", "c1"}}));
  // The same value in both parts is one parameter.
  EXPECT_EQ(ParseCallbackUrl("https://tpp.example/cb?state=s1#state=s1&code=c1"),
            (Params{{"state", "s1"}, {"code", "c1"}}));
}

TEST(ParseCallbackUrl, AParameterThatDiffersBetweenQueryAndFragmentIsRefusedWithoutItsValues) {
  auto mixed = ParseCallbackUrl("https://tpp.example/cb?code=attacker-code#code=bank-code&state=s1");
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(mixed.error().message, "callback: parameter 'code' differs between the query and the fragment");
}

}  // namespace
}  // namespace bankfeed
