// crypto::IdKeyer: the keyed ids a store hands out. Pinned values were computed independently (Python: hmac and
// hashlib for HKDF and HMAC, the `cryptography` package for the AES block).
#include "crypto/ids.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace bankfeed::crypto {
namespace {

constexpr std::string_view kUnkeyedAccount = "acc_0123456789abcdef0123456789abcdef";

IdKeyer Keyer(unsigned char first = 1) {
  std::array<unsigned char, detail::kKeyBytes> secret{};
  for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<unsigned char>(first + i);
  Result<IdKeyer> keyer = IdKeyer::Create(detail::KeyView(secret));
  if (!keyer) {
    ADD_FAILURE() << keyer.error().message;
    std::abort();
  }
  return std::move(*keyer);
}

std::string KeyedTx(const IdKeyer& keyer, std::string_view tenant, std::string id) {
  Result<TxIdKeyer> tx = keyer.ForTenant(tenant);
  EXPECT_TRUE(tx.has_value());
  const Status keyed = tx->Key(id, "id");
  EXPECT_TRUE(keyed.has_value()) << keyed.error().message;
  return id;
}

TEST(CryptoIds, AccountIdsMatchTheIndependentComputation) {
  const IdKeyer keyer = Keyer();
  EXPECT_EQ(keyer.AccountId("t1", kUnkeyedAccount).value(), "acc_915c916062ba443e4a833e1bd8ee1baf");
  EXPECT_EQ(keyer.AccountId("t2", kUnkeyedAccount).value(), "acc_6b9598c1a5e2469c84ecbf7630991bad");
}

TEST(CryptoIds, TransactionIdsMatchTheIndependentComputation) {
  EXPECT_EQ(KeyedTx(Keyer(), "t1", "tx_00112233445566778899aabbccddeeff"), "tx_c330580222c2c58d02af4620218a300c");
}

TEST(CryptoIds, DifferPerTenantAndSecretAndStayTheSameOtherwise) {
  const IdKeyer keyer = Keyer(), other = Keyer(7);
  const std::string tx = "tx_00112233445566778899aabbccddeeff";
  EXPECT_EQ(keyer.AccountId("t1", kUnkeyedAccount).value(), keyer.AccountId("t1", kUnkeyedAccount).value());
  EXPECT_NE(keyer.AccountId("t1", kUnkeyedAccount).value(), other.AccountId("t1", kUnkeyedAccount).value());
  EXPECT_NE(KeyedTx(keyer, "t1", tx), KeyedTx(keyer, "t2", tx));
  EXPECT_NE(KeyedTx(keyer, "t1", tx), KeyedTx(other, "t1", tx));
  EXPECT_EQ(KeyedTx(keyer, "t1", tx), KeyedTx(keyer, "t1", tx));
  // The tenant is framed: "t" + "1:..." cannot meet "t1" + "...".
  EXPECT_NE(keyer.AccountId("1:t", kUnkeyedAccount).value(), keyer.AccountId("t", kUnkeyedAccount).value());
}

TEST(CryptoIds, DistinctTransactionIdsStayDistinct) {
  const IdKeyer keyer = Keyer();
  Result<TxIdKeyer> tx = keyer.ForTenant("t1");
  ASSERT_TRUE(tx.has_value());
  std::set<std::string> seen;
  for (int i = 0; i < 4096; ++i) {
    char hex[33];
    std::snprintf(hex, sizeof hex, "%032x", i);
    std::string id = std::string("tx_") + hex;
    ASSERT_TRUE(tx->Key(id, "id").has_value());
    EXPECT_EQ(id.size(), 35u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 3), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(CryptoIds, RefusesWhatIsNotAnIdWithoutEchoingIt) {
  const IdKeyer keyer = Keyer();
  for (const std::string_view bad : {"", "acc_0123", "acc_0123456789ABCDEF0123456789abcdef",
                                     "tx_0123456789abcdef0123456789abcdef", "acc_0123456789abcdef0123456789abcdeg"}) {
    const auto r = keyer.AccountId("t1", bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  Result<TxIdKeyer> tx = keyer.ForTenant("t1");
  ASSERT_TRUE(tx.has_value());
  std::string id = "tx_secret-looking-value-0123456789";
  const Status keyed = tx->Key(id, "rows[3].id");
  ASSERT_FALSE(keyed.has_value());
  EXPECT_EQ(keyed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(keyed.error().message, "ids: rows[3].id is not a tx_ id");
  EXPECT_EQ(id, "tx_secret-looking-value-0123456789") << "left as it was";
}

}  // namespace
}  // namespace bankfeed::crypto
