// Helpers for the src/crypto tests: fixed test keys (never used outside tests) and hex.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "crypto/keyring.hpp"

namespace bankfeed::crypto::testing {

// Master keys 01..20, 41..60 and a5 * 32, as key text. The pinned values in kat_test.cpp were computed from the
// first with an independent implementation (Python `cryptography`: HKDF, AESGCM, HMAC).
inline constexpr std::string_view kKey1 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
inline constexpr std::string_view kKey2 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A=";
inline constexpr std::string_view kKey3 = "paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=";

// A personal value the tests encrypt and look up.
inline constexpr char kIban[] = "DE89370400440532013000";

inline std::string KeyLine(std::string_view id, std::string_view b64) {
  return std::string(id) + " " + std::string(b64) + "\n";
}

// A keyring parsed from text; fails the test (and returns a generated one) if the text is refused.
inline Keyring RingOf(const std::string& text) {
  Result<Keyring> ring = Keyring::Parse(text, "test keys", true);
  EXPECT_TRUE(ring.has_value()) << (ring ? "" : ring.error().message);
  if (!ring) return std::move(*Keyring::Generate("fallback"));
  return std::move(*ring);
}

inline std::shared_ptr<const Keyring> SharedRing(const std::string& text) {
  return std::make_shared<const Keyring>(RingOf(text));
}

inline std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline std::string ToHexString(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out.push_back(kDigits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kDigits[static_cast<unsigned char>(c) & 0x0f]);
  }
  return out;
}

}  // namespace bankfeed::crypto::testing
