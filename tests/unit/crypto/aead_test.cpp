// crypto::Aead: envelopes round-trip, and every malformed, truncated, unknown-key or tampered one is refused.
#include "crypto/aead.hpp"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto_test_util.hpp"

namespace bankfeed::crypto {
namespace {

using testing::KeyLine;
using testing::kKey1;
using testing::kKey2;
using testing::kKey3;
using testing::SharedRing;

constexpr char kAd[] = "accounts.iban:acc_1f3c";
using testing::kIban;

// Decrypts what must be refused; returns the message after checking the code and that nothing secret is in it.
std::string Refusal(const Aead& aead, std::string_view envelope, std::string_view ad,
                    std::string_view plaintext = kIban) {
  const Result<std::string> r = aead.Decrypt(envelope, ad);
  EXPECT_FALSE(r.has_value());
  if (r) return "<decrypted>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(r.error().message.starts_with("envelope: ")) << r.error().message;
  if (!plaintext.empty()) {
    EXPECT_EQ(r.error().message.find(plaintext), std::string::npos);
  }
  EXPECT_EQ(ERR_peek_error(), 0UL) << "left entries on the OpenSSL error queue";
  return r.error().message;
}

TEST(CryptoAead, RoundTrips) {
  const Aead aead(SharedRing(KeyLine("k2026-11", kKey1)));
  for (const std::string& plaintext : {std::string(), std::string("x"), std::string(kIban), std::string(1000, 'a'),
                                      std::string("\0binary\xff\0", 9)}) {
    SCOPED_TRACE(plaintext.size());
    const Result<std::string> env = aead.Encrypt(plaintext, kAd);
    ASSERT_TRUE(env.has_value()) << env.error().message;
    EXPECT_EQ(env->size(), 2 + 8 + 12 + plaintext.size() + 16);
    EXPECT_EQ(static_cast<unsigned char>((*env)[0]), kEnvelopeVersion);
    EXPECT_EQ((*env)[1], 8);
    EXPECT_EQ(env->substr(2, 8), "k2026-11");
    if (plaintext.size() >= 8) {
      EXPECT_EQ(env->find(plaintext), std::string::npos) << "plaintext in the envelope";
    }
    EXPECT_EQ(EnvelopeKeyId(*env).value_or(""), "k2026-11");
    const Result<std::string> back = aead.Decrypt(*env, kAd);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, plaintext);
  }
  // Associated data may be empty, as long as it is empty on both sides.
  const auto env = aead.Encrypt(kIban, "");
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(aead.Decrypt(*env, "").value_or(""), kIban);
}

// DecryptInto reuses one buffer for many envelopes (the feed opens a page's records so): each gives its own
// plaintext whatever the buffer held, and a refused envelope leaves the buffer empty, with nothing of an earlier
// plaintext readable in it.
TEST(CryptoAead, DecryptIntoReusesOneBuffer) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  const std::string long_text(300, 'x');
  auto a = aead.Encrypt(long_text, kAd);
  auto b = aead.Encrypt(kIban, kAd);
  ASSERT_TRUE(a.has_value() && b.has_value());
  std::string buffer = "stale";
  ASSERT_TRUE(aead.DecryptInto(*a, kAd, buffer).has_value());
  EXPECT_EQ(buffer, long_text);
  ASSERT_TRUE(aead.DecryptInto(*b, kAd, buffer).has_value());
  EXPECT_EQ(buffer, kIban);
  ASSERT_TRUE(aead.DecryptInto(*a, kAd, buffer).has_value());
  const Status refused = aead.DecryptInto(*b, "another column", buffer);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(buffer.empty());
  const std::string_view whole(buffer.data(), buffer.capacity());
  EXPECT_EQ(whole.find('x'), std::string_view::npos) << "an earlier plaintext is left in the buffer";
  ASSERT_TRUE(aead.DecryptInto(*b, kAd, buffer).has_value()) << "the buffer and the key stay usable";
  EXPECT_EQ(buffer, kIban);
}

TEST(CryptoAead, AssociatedDataMustMatch) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  const std::string env = *aead.Encrypt(kIban, kAd);
  for (const std::string& ad : {std::string(), std::string("accounts.iban:acc_1f3d"), std::string(kAd) + " ",
                               std::string("accounts.name:acc_1f3c")}) {
    SCOPED_TRACE(ad);
    EXPECT_EQ(Refusal(aead, env, ad), "envelope: authentication failed");
  }
}

TEST(CryptoAead, EveryBitFlipIsRefused) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1) + KeyLine("k2", kKey2) + KeyLine("k3", kKey3)));
  const std::string env = *aead.Encrypt(kIban, kAd);
  std::set<std::string> messages;
  for (size_t i = 0; i < env.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = env;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      SCOPED_TRACE(testing::ToHexString(bad.substr(0, 4)) + " byte " + std::to_string(i) + " bit " +
                   std::to_string(bit));
      messages.insert(Refusal(aead, bad, kAd));
    }
  }
  // Flips in the header give the header errors, the rest fail authentication. Flipping the id's last bit turns
  // "k3" into "k2", a key the ring has: authentication refuses that too (the header is authenticated data).
  EXPECT_EQ(messages, (std::set<std::string>{"envelope: unsupported version", "envelope: truncated",
                                             "envelope: malformed key id", "envelope: unknown key id",
                                             "envelope: authentication failed"}));
}

TEST(CryptoAead, EveryTruncationIsRefused) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  for (const std::string& plaintext : {std::string(), std::string(kIban)}) {
    const std::string env = *aead.Encrypt(plaintext, kAd);
    for (size_t n = 0; n < env.size(); ++n) {
      SCOPED_TRACE(n);
      const std::string message = Refusal(aead, std::string_view(env).substr(0, n), kAd, plaintext);
      const char* expected = n == 0                   ? "envelope: empty"
                             : n < 2 + 2 + 12 + 16 ? "envelope: truncated"
                                                   : "envelope: authentication failed";
      EXPECT_EQ(message, expected);
    }
    // Appending bytes is refused too.
    EXPECT_EQ(Refusal(aead, env + '\0', kAd, plaintext), "envelope: authentication failed");
  }
}

TEST(CryptoAead, MalformedHeadersAreRefused) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  const std::string body(12 + 16, 'x');
  EXPECT_EQ(Refusal(aead, std::string("\x02\x02k1", 4) + body, kAd), "envelope: unsupported version");
  EXPECT_EQ(Refusal(aead, std::string("\x00\x02k1", 4) + body, kAd), "envelope: unsupported version");
  EXPECT_EQ(Refusal(aead, std::string("\x01\x00", 2) + body, kAd), "envelope: malformed key id");
  EXPECT_EQ(Refusal(aead, std::string("\x01\x02k/", 4) + body, kAd), "envelope: malformed key id");
  EXPECT_EQ(Refusal(aead, std::string("\x01\xff", 2) + body, kAd), "envelope: truncated");
  EXPECT_EQ(Refusal(aead, std::string("\x01\x02k1", 4) + body, kAd), "envelope: authentication failed");
  EXPECT_FALSE(EnvelopeKeyId("\x01\x02k1").has_value());
  EXPECT_FALSE(aead.NeedsReencrypt("").has_value());
}

TEST(CryptoAead, UnknownKeyIdIsRefused) {
  const Aead k1(SharedRing(KeyLine("k1", kKey1)));
  const Aead k2(SharedRing(KeyLine("k2", kKey2)));
  const std::string env = *k1.Encrypt(kIban, kAd);
  EXPECT_EQ(Refusal(k2, env, kAd), "envelope: unknown key id");
  // The same id with another key: the id is known, the key is wrong.
  const Aead impostor(SharedRing(KeyLine("k1", kKey2)));
  EXPECT_EQ(Refusal(impostor, env, kAd), "envelope: authentication failed");
}

TEST(CryptoAead, RotationKeepsOldEnvelopesReadable) {
  const auto ring1 = SharedRing(KeyLine("k1", kKey1));
  const Aead before(ring1);
  const std::string old_env = *before.Encrypt(kIban, kAd);
  EXPECT_FALSE(*before.NeedsReencrypt(old_env));

  Keyring next = *ring1;  // a copy, extended: the running Aead keeps its own ring
  std::array<unsigned char, 32> key2{};  // the bytes of kKey2
  for (size_t i = 0; i < key2.size(); ++i) key2[i] = static_cast<unsigned char>(0x41 + i);
  ASSERT_TRUE(next.Add("k2", key2).has_value());
  EXPECT_EQ(ring1->size(), 1u);
  const Aead after(std::move(next));
  EXPECT_EQ(after.keys().active_key_id(), "k2");

  EXPECT_EQ(after.Decrypt(old_env, kAd).value_or("<failed>"), kIban);
  EXPECT_TRUE(*after.NeedsReencrypt(old_env));
  const std::string new_env = *after.Encrypt(kIban, kAd);
  EXPECT_EQ(EnvelopeKeyId(new_env).value_or(""), "k2");
  EXPECT_FALSE(*after.NeedsReencrypt(new_env));
  EXPECT_EQ(Refusal(before, new_env, kAd), "envelope: unknown key id");

  const Result<std::string> migrated = after.Reencrypt(old_env, kAd);
  ASSERT_TRUE(migrated.has_value()) << migrated.error().message;
  EXPECT_EQ(EnvelopeKeyId(*migrated).value_or(""), "k2");
  EXPECT_EQ(after.Decrypt(*migrated, kAd).value_or("<failed>"), kIban);
  EXPECT_EQ(after.Reencrypt(new_env, kAd).value_or(""), new_env) << "already under the active key: unchanged";
  EXPECT_FALSE(after.Reencrypt(old_env, "other.column:1").has_value()) << "Reencrypt authenticates first";

  // Key text parsed with k2 last matches the extended ring: the file order is the rotation order.
  const Aead reloaded(SharedRing(KeyLine("k1", kKey1) + KeyLine("k2", kKey2)));
  EXPECT_EQ(reloaded.Decrypt(new_env, kAd).value_or("<failed>"), kIban);
}

TEST(CryptoAead, NoncesDiffer) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  std::set<std::string> nonces;
  std::set<std::string> envelopes;
  for (int i = 0; i < 1000; ++i) {
    const std::string env = *aead.Encrypt(kIban, kAd);
    nonces.insert(env.substr(4, 12));
    envelopes.insert(env);
  }
  EXPECT_EQ(nonces.size(), 1000u);
  EXPECT_EQ(envelopes.size(), 1000u);
}

// Nonces come from per-thread buffers of RAND_bytes output: no two threads, and no two envelopes of one thread
// across buffer refills, share one.
TEST(CryptoAead, NoncesDifferAcrossThreads) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  constexpr int kPerThread = 1500;  // several refills of a thread's buffer
  std::vector<std::vector<std::string>> nonces(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < nonces.size(); ++t) {
    threads.emplace_back([&aead, &nonces, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto env = aead.Encrypt(kIban, kAd);
        if (env) nonces[t].push_back(env->substr(4, 12));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& mine : nonces) {
    EXPECT_EQ(mine.size(), static_cast<size_t>(kPerThread));
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), nonces.size() * kPerThread);
}

// A forked child must not hand out the nonces its parent drew into its buffer (the parent hands them out itself).
TEST(CryptoAead, AForkedChildDrawsItsOwnNonces) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1)));
  ASSERT_TRUE(aead.Encrypt(kIban, kAd).has_value());  // the parent's buffer now holds unused nonces
  constexpr int kCount = 100;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    std::string out;
    for (int i = 0; i < kCount; ++i) out += aead.Encrypt(kIban, kAd).value_or(std::string(4 + 12, '\0')).substr(4, 12);
    const bool written = ::write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
    ::_exit(written ? 0 : 1);
  }
  ::close(fds[1]);
  std::set<std::string> parent;
  for (int i = 0; i < kCount; ++i) parent.insert(aead.Encrypt(kIban, kAd)->substr(4, 12));
  std::string from_child;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) from_child.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(from_child.size(), static_cast<size_t>(kCount) * 12);
  std::set<std::string> all = parent;
  for (size_t at = 0; at < from_child.size(); at += 12) all.insert(from_child.substr(at, 12));
  EXPECT_EQ(all.size(), 2u * kCount) << "the child reused nonces of the parent's buffer";
}

// Each Aead keeps its own keyed contexts: two Aeads under different keys used in turn on one thread (and a copy,
// which shares its original's) each seal under their own key.
TEST(CryptoAead, EachAeadSealsUnderItsOwnKey) {
  const Aead one(SharedRing(KeyLine("k1", kKey1)));
  const Aead two(SharedRing(KeyLine("k1", kKey2)));  // the same key id, another key
  const Aead copy = one;
  for (int i = 0; i < 3; ++i) {
    const std::string a = *one.Encrypt(kIban, kAd);
    const std::string b = *two.Encrypt(kIban, kAd);
    const std::string c = *copy.Encrypt(kIban, kAd);
    EXPECT_EQ(one.Decrypt(a, kAd).value_or("<failed>"), kIban);
    EXPECT_EQ(two.Decrypt(b, kAd).value_or("<failed>"), kIban);
    EXPECT_EQ(one.Decrypt(c, kAd).value_or("<failed>"), kIban);
    EXPECT_EQ(Refusal(one, b, kAd), "envelope: authentication failed");
    EXPECT_EQ(Refusal(two, a, kAd), "envelope: authentication failed");
  }
}

// EncryptAppend puts the envelopes one after another into one buffer, after what it held: each is the envelope
// Encrypt would make (but for its nonce), and each opens on its own.
TEST(CryptoAead, EncryptAppendPutsEnvelopesOneAfterAnother) {
  const Aead aead(SharedRing(KeyLine("k2026-11", kKey1)));
  const std::vector<std::string> plaintexts{std::string(kIban), std::string(), std::string(1000, 'a'), "x"};
  std::string buffer = "kept";
  std::vector<size_t> ends;
  for (size_t i = 0; i < plaintexts.size(); ++i) {
    ASSERT_TRUE(aead.EncryptAppend(plaintexts[i], kAd + std::to_string(i), buffer).has_value());
    ends.push_back(buffer.size());
  }
  EXPECT_TRUE(buffer.starts_with("kept"));
  for (size_t i = 0, begin = 4; i < plaintexts.size(); begin = ends[i++]) {
    SCOPED_TRACE(i);
    const std::string_view env(buffer.data() + begin, ends[i] - begin);
    EXPECT_EQ(env.size(), 2 + 8 + 12 + plaintexts[i].size() + 16);
    EXPECT_EQ(EnvelopeKeyId(env).value_or(""), "k2026-11");
    EXPECT_EQ(aead.Decrypt(env, kAd + std::to_string(i)).value_or("<failed>"), plaintexts[i]);
    EXPECT_EQ(Refusal(aead, env, kAd, ""), "envelope: authentication failed") << "bound to its own associated data";
  }
  EXPECT_EQ(buffer.find(std::string(100, 'a')), std::string::npos) << "plaintext in the buffer";
}

// A thread remembers the Aead it sealed with last; destroying that Aead and making another (perhaps at the same
// address, under another key) must not reuse the old one's context.
TEST(CryptoAead, ANewAeadNeverSealsWithADestroyedOnesContext) {
  for (int round = 0; round < 4; ++round) {
    const std::string_view key = round % 2 == 0 ? kKey1 : kKey2;
    auto aead = std::make_unique<Aead>(SharedRing(KeyLine("k1", key)));
    const std::string env = *aead->Encrypt(kIban, kAd);
    const Aead check(SharedRing(KeyLine("k1", key)));
    EXPECT_EQ(check.Decrypt(env, kAd).value_or("<failed>"), kIban) << "round " << round;
    const Aead other(SharedRing(KeyLine("k1", round % 2 == 0 ? kKey2 : kKey1)));
    EXPECT_EQ(Refusal(other, env, kAd), "envelope: authentication failed");
  }
}

TEST(CryptoAead, ConstMethodsRunConcurrently) {
  const Aead aead(SharedRing(KeyLine("k1", kKey1) + KeyLine("k2", kKey2)));
  const std::string old_env = *Aead(SharedRing(KeyLine("k1", kKey1))).Encrypt(kIban, kAd);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&aead, &old_env, &failures, t] {
      const std::string mine = "value-" + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        const auto env = aead.Encrypt(mine, kAd);
        if (!env || aead.Decrypt(*env, kAd).value_or("") != mine) ++failures[t];
        if (aead.Decrypt(old_env, kAd).value_or("") != kIban) ++failures[t];
        if (!aead.NeedsReencrypt(old_env).value_or(false)) ++failures[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// The fuzz seed corpus (fuzz/corpus/crypto_envelope) holds envelopes under the fuzz target's fixed keyring. The
// "valid-*" seeds must keep decrypting, or the fuzzer loses its way into the success path.
TEST(CryptoAead, FuzzSeedsStillDecrypt) {
  const Aead aead(SharedRing(KeyLine("fz1", kKey1) + KeyLine("fuzz-key.2", kKey2)));
  size_t valid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(BANKFEED_CRYPTO_CORPUS)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool expect_valid = entry.path().filename().string().starts_with("valid-");
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(aead.Decrypt(bytes, "fuzz.table.column:42").has_value(), expect_valid);
    valid += expect_valid ? 1 : 0;
  }
  EXPECT_GE(valid, 3u);
}

}  // namespace
}  // namespace bankfeed::crypto
