// Keyed account and transaction ids. See crypto/ids.hpp.
#include "crypto/ids.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <utility>

#include "common/text.hpp"
#include "crypto/lookup.hpp"
#include "pki/openssl_ptr.hpp"

namespace bankfeed::crypto {
namespace {

constexpr std::string_view kSalt = "bankfeed ids v1";
constexpr std::string_view kAccountLabel = "bankfeed ids v1 account";
constexpr std::string_view kTxLabel = "bankfeed ids v1 transaction";
constexpr std::string_view kQuarantineLabel = "bankfeed ids v1 quarantine";
constexpr size_t kIdBytes = 16;  // an id's 32 hex digits

tl::unexpected<Error> Internal(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "ids: " + std::string(what) + " failed in OpenSSL");
}

std::string TenantPart(std::string_view tenant) { return std::to_string(tenant.size()) + ":" + std::string(tenant); }

// The 16 bytes behind `prefix` + 32 lower-case hex digits, or false.
bool ParseId(std::string_view id, std::string_view prefix, std::array<unsigned char, kIdBytes>& out) {
  if (id.size() != prefix.size() + 2 * kIdBytes || !id.starts_with(prefix)) return false;
  const std::string_view hex = id.substr(prefix.size());
  for (size_t i = 0; i < kIdBytes; ++i) {
    const int hi = LowerHexValue(hex[2 * i]), lo = LowerHexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

void TxIdKeyer::CtxFree::operator()(evp_cipher_ctx_st* ctx) const { EVP_CIPHER_CTX_free(ctx); }

TxIdKeyer::TxIdKeyer(std::unique_ptr<evp_cipher_ctx_st, CtxFree> ctx) : ctx_(std::move(ctx)) {}
TxIdKeyer::TxIdKeyer(TxIdKeyer&&) noexcept = default;
TxIdKeyer& TxIdKeyer::operator=(TxIdKeyer&&) noexcept = default;
TxIdKeyer::~TxIdKeyer() = default;

Status TxIdKeyer::Key(std::string& id, std::string_view field) {
  std::array<unsigned char, kIdBytes> in{};
  if (!ParseId(id, "tx_", in)) {
    return MakeError(ErrorCode::kInvalidArgument, "ids: " + std::string(field) + " is not a tx_ id");
  }
  std::array<unsigned char, kIdBytes> out{};
  int len = 0;
  if (!ctx_ || EVP_EncryptUpdate(ctx_.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      len != static_cast<int>(out.size())) {
    return Internal("AES");
  }
  // In place: the keyed id has the same form, and a sync keys every fetched row, so no allocation per row.
  LowerHexInto(out.data(), out.size(), id.data() + 3);
  return {};
}

Result<IdKeyer> IdKeyer::Create(detail::KeyView secret) {
  IdKeyer keyer;
  BANKFEED_RETURN_IF_ERROR(detail::HkdfSha256(secret, kSalt, kAccountLabel, keyer.account_key_.mutable_view()));
  BANKFEED_RETURN_IF_ERROR(detail::HkdfSha256(secret, kSalt, kTxLabel, keyer.tx_key_.mutable_view()));
  BANKFEED_RETURN_IF_ERROR(
      detail::HkdfSha256(secret, kSalt, kQuarantineLabel, keyer.quarantine_key_.mutable_view()));
  return keyer;
}

Result<std::string> IdKeyer::AccountId(std::string_view tenant, std::string_view unkeyed_id) const {
  std::array<unsigned char, kIdBytes> bytes{};
  if (!ParseId(unkeyed_id, "acc_", bytes)) return MakeError(ErrorCode::kInvalidArgument, "ids: not an acc_ id");
  BANKFEED_ASSIGN_OR_RETURN(const auto mac, detail::HmacSha256(account_key_.view(), {TenantPart(tenant), unkeyed_id}));
  return "acc_" + ToHex(std::span<const unsigned char>(mac.data(), kIdBytes));
}

Result<std::string> IdKeyer::QuarantineKey(std::string_view tenant, std::string_view account_id, int64_t occurrence,
                                           std::string_view raw_row) const {
  const std::string count = std::to_string(occurrence);
  BANKFEED_ASSIGN_OR_RETURN(const auto mac, detail::HmacSha256(quarantine_key_.view(), {TenantPart(tenant), "|",
                                                                                       account_id, "|", count, "|",
                                                                                       raw_row}));
  return "qr_" + ToHex(std::span<const unsigned char>(mac.data(), kIdBytes));
}

Result<TxIdKeyer> IdKeyer::ForTenant(std::string_view tenant) const {
  const pki::ErrorQueueGuard errors;
  BANKFEED_ASSIGN_OR_RETURN(auto key, detail::HmacSha256(tx_key_.view(), {TenantPart(tenant)}));
  std::unique_ptr<evp_cipher_ctx_st, TxIdKeyer::CtxFree> ctx(EVP_CIPHER_CTX_new());
  const bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, key.data(), nullptr) == 1 &&
                  EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1;
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) return Internal("AES key set-up");
  return TxIdKeyer(std::move(ctx));
}

}  // namespace bankfeed::crypto
