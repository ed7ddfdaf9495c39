// The logging layer's redaction rules: secrets and personal data never reach a sink.
#include <gtest/gtest.h>

#include "log/log.hpp"

namespace bankfeed::log {
namespace {

TEST(Redact, SensitiveKeysLoseTheirValue) {
  for (const char* key : {"Authorization", "access_token", "refresh_token", "client_secret", "password", "key",
                          "private_key", "PSU-ID", "iban", "creditor_name", "body", "x-jws-signature", "code"}) {
    EXPECT_EQ(Redact(key, "anything at all"), "[redacted]") << key;
  }
}

TEST(Redact, UrlsLoseTheirQueryString) {
  EXPECT_EQ(ScrubValue("https://bank.example/v1/accounts/a1/transactions?dateFrom=2025-01-01&psu=42"),
            "https://bank.example/v1/accounts/a1/transactions?[redacted]");
}

TEST(Redact, IbansAreMaskedWhereverTheyAppear) {
  EXPECT_EQ(ScrubValue("DE89370400440532013000"), "[iban]");
  EXPECT_EQ(ScrubValue("to DE89 3704 0044 0532 0130 00 today"), "to [iban] today");
  EXPECT_EQ(ScrubValue("https://bank.example/accounts/GB33BUKB20201555555555/balances"),
            "https://bank.example/accounts/[iban]/balances");
}

TEST(Redact, TokensJwtsAndPemBlocksAreMasked) {
  EXPECT_EQ(ScrubValue("Bearer abc.def-ghi"), "Bearer [redacted]");
  EXPECT_EQ(ScrubValue("eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIzNDU2Nzg5"), "[redacted]");
  EXPECT_EQ(ScrubValue("-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"), "[redacted pem]");
  EXPECT_EQ(ScrubValue("key Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MA== end"), "key [redacted] end");
}

TEST(Redact, IdsAndOrdinaryTextStay) {
  EXPECT_EQ(ScrubValue("tx_0123456789abcdef0123456789abcdef"), "tx_0123456789abcdef0123456789abcdef");
  EXPECT_EQ(ScrubValue("3f2b8c1e-9a7d-4c1b-8e2f-0a1b2c3d4e5f"), "3f2b8c1e-9a7d-4c1b-8e2f-0a1b2c3d4e5f");
  EXPECT_EQ(ScrubValue("GET https://bank.example/v1/accounts: connection refused"),
            "GET https://bank.example/v1/accounts: connection refused");
}

}  // namespace
}  // namespace bankfeed::log
