// Loading, generating and writing the at-rest master keys. See crypto/keyring.hpp.
#include "crypto/keyring.hpp"
#include "common/replace_file.hpp"
#include "common/scoped.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "pki/credentials.hpp"
#include "signing/base64.hpp"

namespace bankfeed::crypto {
namespace {

// HKDF-SHA256 labels. Changing any of them makes every stored envelope and lookup unreadable: they are part of the
// stored format (tests/unit/crypto/aead_test.cpp pins an envelope made under them).
constexpr std::string_view kHkdfSalt = "bankfeed/at-rest/v1";
constexpr std::string_view kAeadInfo = "bankfeed/at-rest/v1/aes-256-gcm";
constexpr std::string_view kHmacInfo = "bankfeed/at-rest/v1/lookup-hmac-sha256";

constexpr std::string_view kFileHeader =
    "# bankfeed at-rest keys: <key-id> <base64 of 32 bytes> per line; the last line is the active key.\n";

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool AllZero(std::span<const unsigned char> bytes) {
  unsigned char acc = 0;
  for (const unsigned char b : bytes) acc |= b;
  return acc == 0;
}

}  // namespace

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

bool IsValidKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > 255) return false;
  return std::all_of(key_id.begin(), key_id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

Status Keyring::Add(std::string_view key_id, std::span<const unsigned char, detail::kKeyBytes> master_key) {
  if (!IsValidKeyId(key_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "keyring: key id must be 1..255 characters of [A-Za-z0-9._-]");
  }
  if (Find(key_id) != nullptr) return MakeError(ErrorCode::kInvalidArgument, "keyring: duplicate key id");
  KeyEntry entry;
  entry.id_.assign(key_id);
  std::copy(master_key.begin(), master_key.end(), entry.master_.mutable_view().begin());
  BANKFEED_RETURN_IF_ERROR(detail::HkdfSha256(master_key, kHkdfSalt, kAeadInfo, entry.aead_.mutable_view()));
  BANKFEED_RETURN_IF_ERROR(detail::HkdfSha256(master_key, kHkdfSalt, kHmacInfo, entry.hmac_.mutable_view()));
  entries_.push_back(std::move(entry));  // a reallocation copies the keys and wipes the old ones (~SecretKey)
  return {};
}

Status Keyring::Rotate(std::string_view key_id) {
  SecretKey fresh;
  if (RAND_bytes(fresh.mutable_view().data(), static_cast<int>(detail::kKeyBytes)) != 1) {
    return MakeError(ErrorCode::kInternal, "keyring: the random generator failed");
  }
  return Add(key_id, fresh.view());
}

Result<Keyring> Keyring::Generate(std::string_view key_id) {
  Keyring ring;
  BANKFEED_RETURN_IF_ERROR(ring.Rotate(key_id));
  return ring;
}

Result<Keyring> Keyring::Parse(std::string_view text, std::string_view source, bool semicolons) {
  const std::string_view unit = semicolons ? "entry " : "line ";
  Keyring ring;
  std::vector<size_t> numbers;  // the entry number of each key, for duplicate messages
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = semicolons ? text.find_first_of("\n;") : text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    const std::string_view entry = Trim(raw);
    if (entry.empty() || entry.front() == '#') continue;

    const auto error = [&](std::string_view reason) {
      return MakeError(ErrorCode::kConfig,
                       std::string(source) + ": " + std::string(unit) + std::to_string(number) + ": " +
                           std::string(reason));
    };
    const size_t gap = entry.find_first_of(" \t");
    const std::string_view id = entry.substr(0, gap);
    const std::string_view b64 = gap == std::string_view::npos ? std::string_view() : Trim(entry.substr(gap));
    if (b64.empty() || b64.find_first_of(" \t") != std::string_view::npos) {
      return error("expected '<key-id> <base64 of 32 bytes>'");
    }
    if (!IsValidKeyId(id)) return error("key id must be 1..255 characters of [A-Za-z0-9._-]");
    if (const KeyEntry* seen = ring.Find(id); seen != nullptr) {
      const size_t first = numbers[static_cast<size_t>(seen - ring.entries_.data())];
      return error("duplicate key id (first on " + std::string(unit) + std::to_string(first) + ")");
    }
    Result<std::string> raw_key = signing::Base64Decode(b64, "key");
    if (!raw_key) return error("key is not base64");
    const WipeOnExit wipe(*raw_key);
    if (raw_key->size() != detail::kKeyBytes) {
      return error("key must be 32 bytes (base64 of 256 bits), not " + std::to_string(raw_key->size()));
    }
    const std::span<const unsigned char, detail::kKeyBytes> key(
        reinterpret_cast<const unsigned char*>(raw_key->data()), detail::kKeyBytes);
    if (AllZero(key)) return error("key is all zero bytes (a placeholder?)");
    BANKFEED_RETURN_IF_ERROR(ring.Add(id, key));  // only fails inside OpenSSL (kInternal): id checked above
    numbers.push_back(number);
  }
  if (ring.entries_.empty()) return MakeError(ErrorCode::kConfig, std::string(source) + ": no keys");
  return ring;
}

Result<Keyring> Keyring::LoadFile(const std::string& path) {
  Result<std::string> text = pki::ReadSecretFile(path, "at-rest key file");
  if (!text) return tl::unexpected(std::move(text).error());
  const WipeOnExit wipe(*text);
  return Parse(*text, "at-rest key file " + path, false);
}

Result<Keyring> Keyring::LoadEnv(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  const std::string source = "at-rest keys in environment variable " + variable;
  if (value == nullptr || *value == '\0') return MakeError(ErrorCode::kConfig, source + ": not set");
  return Parse(value, source, true);
}

Status Keyring::WriteKeyFile(const std::string& path) const {
  std::string text;
  size_t size = kFileHeader.size();
  for (const KeyEntry& e : entries_) size += e.id_.size() + 2 + 4 * ((detail::kKeyBytes + 2) / 3);
  text.reserve(size);  // one buffer, so no reallocation leaves key text behind
  const WipeOnExit wipe(text);
  text += kFileHeader;
  for (const KeyEntry& e : entries_) {
    const auto master = e.master_.view();
    std::string b64 = signing::Base64Encode(
        std::string_view(reinterpret_cast<const char*>(master.data()), master.size()));
    const WipeOnExit wipe_b64(b64);
    text += e.id_;
    text += ' ';
    text += b64;
    text += '\n';
  }
  if (auto written = ReplaceFile(path, text); !written) {
    return MakeError(ErrorCode::kConfig, "at-rest key file " + path + ": " + written.error());
  }
  return {};
}

const KeyEntry* Keyring::Find(std::string_view key_id) const {
  for (const KeyEntry& e : entries_) {
    if (e.id_ == key_id) return &e;
  }
  return nullptr;
}

std::vector<std::string> Keyring::key_ids() const {
  std::vector<std::string> ids;
  ids.reserve(entries_.size());
  for (const KeyEntry& e : entries_) ids.push_back(e.id_);
  return ids;
}

}  // namespace bankfeed::crypto
