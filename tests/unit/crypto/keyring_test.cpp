// crypto::Keyring: key text parsing, key files (mode, atomic write), the environment, generation and rotation.
#include "crypto/keyring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/aead.hpp"
#include "crypto_test_util.hpp"
#include "unit/pki/pki_test_util.hpp"

namespace bankfeed::crypto {
namespace {

using bankfeed::testing::ReadAll;
using bankfeed::testing::ScratchDir;
using testing::KeyLine;
using testing::kKey1;
using testing::kKey2;
using testing::kKey3;

constexpr char kEnv[] = "BANKFEED_CRYPTO_TEST_KEYS";

static_assert(std::is_nothrow_move_constructible_v<Keyring>);

// Parses text that must be refused with kConfig and returns the message.
std::string ParseError(const std::string& text, bool semicolons = false) {
  const Result<Keyring> ring = Keyring::Parse(text, "keys", semicolons);
  EXPECT_FALSE(ring.has_value()) << "accepted: " << text.size() << " bytes";
  if (ring) return "<accepted>";
  EXPECT_EQ(ring.error().code, ErrorCode::kConfig);
  return ring.error().message;
}

TEST(CryptoKeyring, ParsesKeysTheLastOneActive) {
  const std::string text = "# comment\n\n" + KeyLine("k2025-11", kKey1) + "  \t" + "k2026.05_a\t " +
                           std::string(kKey2) + " \r\n" + KeyLine("k2026-11", kKey3);
  const Result<Keyring> ring = Keyring::Parse(text, "keys", false);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->size(), 3u);
  EXPECT_EQ(ring->active_key_id(), "k2026-11");
  EXPECT_EQ(ring->key_ids(), (std::vector<std::string>{"k2025-11", "k2026.05_a", "k2026-11"}));
  ASSERT_NE(ring->Find("k2025-11"), nullptr);
  EXPECT_EQ(ring->Find("k2026"), nullptr);
  EXPECT_EQ(&ring->active(), ring->Find("k2026-11"));
}

TEST(CryptoKeyring, SubkeysAreDistinctAndDeterministic) {
  const Keyring a = testing::RingOf(KeyLine("k1", kKey1) + KeyLine("k2", kKey2));
  const Keyring b = testing::RingOf(KeyLine("other-id", kKey1));
  const KeyEntry& k1 = *a.Find("k1");
  const KeyEntry& k2 = *a.Find("k2");
  const auto eq = [](detail::KeyView x, detail::KeyView y) { return std::equal(x.begin(), x.end(), y.begin()); };
  EXPECT_FALSE(eq(k1.aead_key(), k1.hmac_key())) << "AEAD and HMAC subkeys must differ";
  EXPECT_FALSE(eq(k1.aead_key(), k2.aead_key()));
  EXPECT_FALSE(eq(k1.hmac_key(), k2.hmac_key()));
  EXPECT_TRUE(eq(k1.aead_key(), b.active().aead_key())) << "subkeys depend on the master key only";
  const std::string raw1 = testing::FromHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  EXPECT_FALSE(eq(k1.aead_key(), detail::KeyView(reinterpret_cast<const unsigned char*>(raw1.data()), 32)))
      << "the master key must not be used directly";
}

TEST(CryptoKeyring, RefusesMalformedText) {
  EXPECT_EQ(ParseError(""), "keys: no keys");
  EXPECT_EQ(ParseError("# only a comment\n\n"), "keys: no keys");
  EXPECT_EQ(ParseError(KeyLine("k1", kKey1) + "k2\n"), "keys: line 2: expected '<key-id> <base64 of 32 bytes>'");
  EXPECT_EQ(ParseError("k1 " + std::string(kKey1) + " extra\n"),
            "keys: line 1: expected '<key-id> <base64 of 32 bytes>'");
  // Bad base64: a character outside the alphabet, missing padding, white space inside.
  EXPECT_EQ(ParseError("k1 AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHy*=\n"), "keys: line 1: key is not base64");
  EXPECT_EQ(ParseError("k1 AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA\n"), "keys: line 1: key is not base64");
  // Wrong length: 31 and 33 bytes, and a 16-byte (AES-128) key.
  EXPECT_EQ(ParseError("k1 AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==\n"),
            "keys: line 1: key must be 32 bytes (base64 of 256 bits), not 31");
  EXPECT_EQ(ParseError("k1 AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh\n"),
            "keys: line 1: key must be 32 bytes (base64 of 256 bits), not 33");
  EXPECT_EQ(ParseError("k1 AAECAwQFBgcICQoLDA0ODw==\n"),
            "keys: line 1: key must be 32 bytes (base64 of 256 bits), not 16");
  EXPECT_EQ(ParseError("k1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"),
            "keys: line 1: key is all zero bytes (a placeholder?)");
  // Duplicate ids, even with different keys.
  EXPECT_EQ(ParseError(KeyLine("k1", kKey1) + "\n" + KeyLine("k1", kKey2)),
            "keys: line 3: duplicate key id (first on line 1)");
  // Bad key id characters and lengths.
  const std::vector<std::string> bad_ids = {"k/1", "k:1", "k\xc3\xa9", "k+1", "k=1", std::string(256, 'k')};
  for (const std::string& id : bad_ids) {
    SCOPED_TRACE(id.size());
    EXPECT_EQ(ParseError(KeyLine(id, kKey1)), "keys: line 1: key id must be 1..255 characters of [A-Za-z0-9._-]");
  }
  EXPECT_TRUE(Keyring::Parse(KeyLine(std::string(255, 'k'), kKey1), "keys", false).has_value());
}

TEST(CryptoKeyring, MessagesNeverHoldKeyMaterialOrIds) {
  const std::string secret_id = "id-that-must-not-leak";
  for (const std::string& text : {secret_id + " " + std::string(kKey1).substr(0, 40) + "\n",
                                 secret_id + " " + std::string(kKey1) + "\n" + secret_id + " " + std::string(kKey2),
                                 std::string(kKey1) + "\n", "k1 " + std::string(kKey1) + " " + std::string(kKey2)}) {
    const std::string message = ParseError(text);
    EXPECT_EQ(message.find(secret_id), std::string::npos);
    EXPECT_EQ(message.find(std::string(kKey1).substr(0, 16)), std::string::npos);
    EXPECT_EQ(message.find(std::string(kKey2).substr(0, 16)), std::string::npos);
  }
}

TEST(CryptoKeyring, LoadsA0600FileAndRefusesOtherModes) {
  const ScratchDir dir;
  const std::string text = KeyLine("k1", kKey1) + KeyLine("k2", kKey2);
  const std::string good = dir.Write("good.keys", text, 0600);
  const Result<Keyring> ring = Keyring::LoadFile(good);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_key_id(), "k2");
  EXPECT_TRUE(Keyring::LoadFile(dir.Write("owner-read-only.keys", text, 0400)).has_value());

  // The suite may run as root, who can read anything: the check is on the mode bits, not on access(2).
  for (const mode_t mode : {0644, 0640, 0604, 0620, 0602, 0666}) {
    SCOPED_TRACE(mode);
    const std::string path = dir.Write("bad-" + std::to_string(mode) + ".keys", text, mode);
    const Result<Keyring> bad = Keyring::LoadFile(path);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_NE(bad.error().message.find("at-rest key file " + path + ": "), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find(std::string("(mode ") + octal + ")"), std::string::npos)
        << bad.error().message;
  }

  const Result<Keyring> missing = Keyring::LoadFile(dir.path() + "/missing.keys");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  const Result<Keyring> directory = Keyring::LoadFile(dir.path());
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kConfig);

  const Result<Keyring> malformed = Keyring::LoadFile(dir.Write("malformed.keys", KeyLine("k1", "AAAA"), 0600));
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(malformed.error().message,
            "at-rest key file " + dir.path() + "/malformed.keys: line 1: key must be 32 bytes (base64 of 256 bits), "
                                               "not 3");
}

TEST(CryptoKeyring, FileEntriesAreLinesNotSemicolons) {
  const ScratchDir dir;
  const std::string path = dir.Write("semi.keys", "k1 " + std::string(kKey1) + ";k2 " + std::string(kKey2), 0600);
  const Result<Keyring> ring = Keyring::LoadFile(path);
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().code, ErrorCode::kConfig);
}

TEST(CryptoKeyring, LoadsFromTheEnvironment) {
  ASSERT_EQ(::setenv(kEnv, ("k1 " + std::string(kKey1) + "; k2 " + std::string(kKey2) + ";").c_str(), 1), 0);
  Result<Keyring> ring = Keyring::LoadEnv(kEnv);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->key_ids(), (std::vector<std::string>{"k1", "k2"}));

  ASSERT_EQ(::setenv(kEnv, (KeyLine("k1", kKey1) + KeyLine("k3", kKey3)).c_str(), 1), 0);
  ring = Keyring::LoadEnv(kEnv);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_key_id(), "k3");

  ASSERT_EQ(::setenv(kEnv, ("k1 " + std::string(kKey1) + ";k1 " + std::string(kKey2)).c_str(), 1), 0);
  ring = Keyring::LoadEnv(kEnv);
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().message, std::string("at-rest keys in environment variable ") + kEnv +
                                      ": entry 2: duplicate key id (first on entry 1)");

  ASSERT_EQ(::setenv(kEnv, "", 1), 0);
  ring = Keyring::LoadEnv(kEnv);
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().message, std::string("at-rest keys in environment variable ") + kEnv + ": not set");
  ASSERT_EQ(::unsetenv(kEnv), 0);
  ring = Keyring::LoadEnv(kEnv);
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().code, ErrorCode::kConfig);
}

TEST(CryptoKeyring, GeneratesRandomKeys) {
  const Result<Keyring> a = Keyring::Generate("k1");
  const Result<Keyring> b = Keyring::Generate("k1");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->active_key_id(), "k1");
  const auto x = a->active().aead_key();
  const auto y = b->active().aead_key();
  EXPECT_FALSE(std::equal(x.begin(), x.end(), y.begin()));

  const Result<Keyring> bad = Keyring::Generate("bad id");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Keyring::Generate("").has_value());
}

TEST(CryptoKeyring, RotateAddsAnActiveKeyAndRefusesDuplicates) {
  Keyring ring = testing::RingOf(KeyLine("k1", kKey1));
  ASSERT_TRUE(ring.Rotate("k2").has_value());
  EXPECT_EQ(ring.active_key_id(), "k2");
  EXPECT_EQ(ring.size(), 2u);
  const Status dup = ring.Rotate("k1");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ring.active_key_id(), "k2");
}

TEST(CryptoKeyring, WritesA0600FileThatLoadsBack) {
  const ScratchDir dir;
  const std::string path = dir.path() + "/at-rest.keys";
  Keyring ring = *Keyring::Generate("k2026-05");
  ASSERT_TRUE(ring.Rotate("k2026-11").has_value());
  ASSERT_TRUE(ring.WriteKeyFile(path).has_value());

  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const Result<Keyring> back = Keyring::LoadFile(path);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->key_ids(), ring.key_ids());

  // Same keys: an envelope from one decrypts with the other.
  const Aead before(std::move(ring));
  const Aead after(std::move(*back));
  const auto env = before.Encrypt("secret token", "tokens.access:1");
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(after.Decrypt(*env, "tokens.access:1").value_or("<failed>"), "secret token");

  // Rewriting replaces the file atomically and leaves no temporary file behind.
  Keyring next = before.keys();
  ASSERT_TRUE(next.Rotate("k2027-05").has_value());
  ASSERT_TRUE(next.WriteKeyFile(path).has_value());
  const Result<Keyring> rewritten = Keyring::LoadFile(path);
  ASSERT_TRUE(rewritten.has_value()) << rewritten.error().message;
  EXPECT_EQ(rewritten->key_ids(), (std::vector<std::string>{"k2026-05", "k2026-11", "k2027-05"}));
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "at-rest.keys");
  }
  EXPECT_EQ(files, 1u);
  const std::string written = ReadAll(path);
  EXPECT_TRUE(written.starts_with("# ")) << "the file starts with a comment that explains it";
  EXPECT_NE(written.find("\nk2027-05 "), std::string::npos);
  EXPECT_TRUE(written.ends_with("=\n"));

  const Status nowhere = next.WriteKeyFile(dir.path() + "/no-such-dir/at-rest.keys");
  ASSERT_FALSE(nowhere.has_value());
  EXPECT_EQ(nowhere.error().code, ErrorCode::kConfig);
}

}  // namespace
}  // namespace bankfeed::crypto
