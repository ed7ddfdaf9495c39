// crypto::LookupHasher: keyed HMAC lookups, deterministic per key, distinct across keys and purposes.
#include "crypto/lookup.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto_test_util.hpp"

namespace bankfeed::crypto {
namespace {

using testing::KeyLine;
using testing::kKey1;
using testing::kKey2;
using testing::SharedRing;

using testing::kIban;

std::string Hex(const LookupHasher& h, std::string_view purpose, std::string_view value,
                Normalization mode = Normalization::kExact) {
  const Result<std::string> r = h.LookupHex(purpose, value, mode);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r.value_or("<error>");
}

TEST(CryptoLookup, DeterministicPerKey) {
  const LookupHasher a(SharedRing(KeyLine("k1", kKey1)));
  const LookupHasher same_key_other_object(SharedRing(KeyLine("k1", kKey1)));
  const std::string first = Hex(a, "iban", kIban);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Hex(a, "iban", kIban), first);
  EXPECT_EQ(Hex(same_key_other_object, "iban", kIban), first);
  const Result<LookupValue> raw = a.Lookup("iban", kIban);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(ToHex(*raw), first);
  // The key id does not enter: only the key does.
  EXPECT_EQ(Hex(LookupHasher(SharedRing(KeyLine("renamed", kKey1))), "iban", kIban), first);
}

TEST(CryptoLookup, DiffersAcrossKeysPurposesAndValues) {
  const LookupHasher k1(SharedRing(KeyLine("k1", kKey1)));
  const LookupHasher k2(SharedRing(KeyLine("k2", kKey2)));
  const std::string base = Hex(k1, "iban", kIban);
  EXPECT_NE(Hex(k2, "iban", kIban), base);
  EXPECT_NE(Hex(k1, "creditor.iban", kIban), base);
  EXPECT_NE(Hex(k1, "iban", "DE89370400440532013001"), base);
  // Purpose and value are framed: moving bytes across the boundary changes the result.
  EXPECT_NE(Hex(k1, "ib", std::string("an") + kIban), base);
  EXPECT_NE(Hex(k1, "iban", std::string("\0", 1) + kIban), base);
}

TEST(CryptoLookup, UsesTheActiveKeyAndLookupWithReachesOldOnes) {
  const LookupHasher old_ring(SharedRing(KeyLine("k1", kKey1)));
  const LookupHasher rotated(SharedRing(KeyLine("k1", kKey1) + KeyLine("k2", kKey2)));
  const LookupHasher only_k2(SharedRing(KeyLine("k2", kKey2)));
  EXPECT_EQ(Hex(rotated, "iban", kIban), Hex(only_k2, "iban", kIban)) << "the active key is the last one";
  EXPECT_NE(Hex(rotated, "iban", kIban), Hex(old_ring, "iban", kIban)) << "rotation changes lookups";

  const Result<std::string> with_k1 = rotated.LookupWithHex("k1", "iban", kIban);
  ASSERT_TRUE(with_k1.has_value());
  EXPECT_EQ(*with_k1, Hex(old_ring, "iban", kIban));
  const Result<LookupValue> with_k2 = rotated.LookupWith("k2", "iban", kIban);
  ASSERT_TRUE(with_k2.has_value());
  EXPECT_EQ(ToHex(*with_k2), Hex(rotated, "iban", kIban));

  const Result<LookupValue> unknown = rotated.LookupWith("k3", "iban", kIban);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "lookup: unknown key id");
}

TEST(CryptoLookup, NormalisesSpellings) {
  EXPECT_EQ(NormalizeForLookup(" de89 3704\t0044 0532 0130 00\n", Normalization::kCompact), kIban);
  EXPECT_EQ(NormalizeForLookup("  Max \t  MUSTERMANN\r\n", Normalization::kText), "max mustermann");
  EXPECT_EQ(NormalizeForLookup("M\xc3\x9cLLER  Gmbh", Normalization::kText), "m\xc3\x9cller gmbh")
      << "bytes >= 0x80 pass unchanged";
  EXPECT_EQ(NormalizeForLookup(" As Is ", Normalization::kExact), " As Is ");
  EXPECT_EQ(NormalizeForLookup(" \t\n", Normalization::kText), "");

  const LookupHasher h(SharedRing(KeyLine("k1", kKey1)));
  EXPECT_EQ(Hex(h, "iban", "de89 3704 0044 0532 0130 00", Normalization::kCompact), Hex(h, "iban", kIban));
  EXPECT_EQ(Hex(h, "name", " Max  Mustermann ", Normalization::kText), Hex(h, "name", "max mustermann"));
  EXPECT_NE(Hex(h, "name", "Max Mustermann"), Hex(h, "name", "max mustermann")) << "kExact keeps case";
  EXPECT_NE(Hex(h, "name", "Max Mustermann", Normalization::kText),
            Hex(h, "name", "MaxMustermann", Normalization::kText));
}

TEST(CryptoLookup, RefusesBadPurposesWithoutEchoingTheValue) {
  const LookupHasher h(SharedRing(KeyLine("k1", kKey1)));
  for (const std::string& purpose : {std::string(), std::string("iban code"), std::string("iban\0x", 6),
                                    std::string(65, 'p'), std::string("iban/2")}) {
    SCOPED_TRACE(purpose.size());
    const Result<LookupValue> r = h.Lookup(purpose, kIban);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message.find(kIban), std::string::npos);
    EXPECT_FALSE(h.LookupHex(purpose, kIban).has_value());
  }
  EXPECT_TRUE(h.Lookup(std::string(64, 'p'), kIban).has_value());
}

TEST(CryptoLookup, HexHelper) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(ToHex(bytes), "000fa5ff");
  EXPECT_EQ(ToHex(std::span<const unsigned char>()), "");
}

}  // namespace
}  // namespace bankfeed::crypto
