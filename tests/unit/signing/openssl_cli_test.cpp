// Our PS256 signatures verified by an independent implementation: the `openssl` command line
// (dgst -verify with PSS, salt length 32, MGF1-SHA-256), over the signing input rebuilt from our JWS.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "signing/base64.hpp"
#include "signing/jws.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

class SigningOpensslCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(BANKFEED_OPENSSL_CLI).empty()) GTEST_SKIP() << "no openssl command found at configure time";
    std::string pattern = (std::filesystem::temp_directory_path() / "bankfeed-signing-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    bankfeed::testing::WriteFile(dir_ + "/pub.pem", testing::Vector("ukob-jws/ps256-test-pub.pem"));
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // Exit status of openssl verifying `signature` over `input` with PS256 parameters.
  int OpensslVerify(const std::string& input, const std::string& signature) {
    bankfeed::testing::WriteFile(dir_ + "/input.bin", input);
    bankfeed::testing::WriteFile(dir_ + "/sig.bin", signature);
    const auto r =
        bankfeed::testing::RunProcess({BANKFEED_OPENSSL_CLI, "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss",
                                       "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256", "-verify",
                                       dir_ + "/pub.pem", "-signature", dir_ + "/sig.bin", dir_ + "/input.bin"});
    return r.exit_code;
  }
  std::string dir_;
};

TEST_F(SigningOpensslCli, VerifiesOurPs256InBothForms) {
  const testing::Pkey key = testing::PrivateKey("ukob-jws/ps256-test-key.pem");
  const std::string body = testing::Vector("ukob-jws/body.json");
  for (const auto form : {JwsOptions::Form::kV314Plus, JwsOptions::Form::kV313b64False}) {
    JwsOptions options;
    options.form = form;
    options.kid = "test-kid-0001";
    options.issuer = "0015800001041RHAAY/HQuZPIt3ipkh33Uxytox1E";
    const auto jws = SignDetachedJws(body, options, key.get());
    ASSERT_TRUE(jws.has_value()) << jws.error().ToString();
    const std::string header = jws->substr(0, jws->find('.'));
    const auto signature = Base64UrlDecode(jws->substr(jws->rfind('.') + 1), "sig");
    ASSERT_TRUE(signature.has_value());
    const std::string input = JwsSigningInput(header, body, form == JwsOptions::Form::kV314Plus);
    EXPECT_EQ(OpensslVerify(input, *signature), 0);
    // The control: openssl does refuse a wrong input, so the check above is not vacuous.
    EXPECT_NE(OpensslVerify(input + " ", *signature), 0);
  }
}

}  // namespace
}  // namespace bankfeed::signing
