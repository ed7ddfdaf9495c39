// crypto/ids.hpp: the keyed ids a store hands out (README "Ids in a store").
//
// The mappings give deterministic, unkeyed ids: an account's "acc_" is a SHA-256 of its bank identifiers (resource
// id, IBAN, BBAN, masked PAN, currency) and a transaction's "tx_" a SHA-256 of its content and account id
// (bankfeed/ids.hpp). Stored in clear, such an id lets whoever holds the database file test guesses (an IBAN, a
// payment) against it offline, and it is the same in every store and tenant, which links them. So a store keys
// them under a secret of its own, the id secret (32 random bytes made with the store, kept sealed in it under the
// at-rest keyring, so rotating the at-rest key does not change any id):
//
//   account   "acc_" + hex of the first 16 bytes of HMAC-SHA256(account subkey, T | unkeyed id)
//   quarantine "qr_" + hex of the first 16 bytes of HMAC-SHA256(quarantine subkey, T | account | occurrence | row)
//   tx        "tx_" + hex of AES-256(tenant's tx key, the 16 bytes of the unkeyed id), one block: a keyed
//             permutation, so distinct unkeyed ids (twins included) stay distinct; the tenant's tx key is
//             HMAC-SHA256(tx subkey, T)
//
// where T is the tenant's length in decimal, ':' and its bytes (so no tenant runs into the id), and the subkeys
// are HKDF-SHA256 of the id secret (salt "bankfeed ids v1") with distinct labels. Without the secret a keyed id
// says nothing about the account or row behind it, and one account under two tenants gets unrelated ids.
//
// Errors never hold a key byte nor an id. An IdKeyer's methods are const and may run concurrently; a TxIdKeyer is
// for one thread at a time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "crypto/keyring.hpp"

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX

namespace bankfeed::crypto {

// Keys one tenant's transaction ids: the AES key schedule is made once, then each id costs one block.
class TxIdKeyer {
 public:
  TxIdKeyer(TxIdKeyer&&) noexcept;
  TxIdKeyer& operator=(TxIdKeyer&&) noexcept;
  ~TxIdKeyer();

  // Rewrites `id` ("tx_" + 32 lower-case hex digits, else kInvalidArgument naming `field`) to its keyed form.
  Status Key(std::string& id, std::string_view field);

 private:
  friend class IdKeyer;
  struct CtxFree {
    void operator()(evp_cipher_ctx_st* ctx) const;
  };
  explicit TxIdKeyer(std::unique_ptr<evp_cipher_ctx_st, CtxFree> ctx);
  std::unique_ptr<evp_cipher_ctx_st, CtxFree> ctx_;
};

class IdKeyer {
 public:
  // From the store's 32-byte id secret. kInternal if OpenSSL fails.
  static Result<IdKeyer> Create(detail::KeyView secret);

  // The keyed form of an unkeyed "acc_" id (else kInvalidArgument) for `tenant`.
  Result<std::string> AccountId(std::string_view tenant, std::string_view unkeyed_id) const;
  // A keyer for `tenant`'s transaction ids.
  Result<TxIdKeyer> ForTenant(std::string_view tenant) const;
  // The name of a quarantined row in the store: "qr_" + hex of the first 16 bytes of
  // HMAC-SHA256(quarantine subkey, T | "|" | account id | "|" | occurrence | "|" | raw row). The same row and
  // occurrence on the same account always give the same key; without the secret it says nothing about the row.
  Result<std::string> QuarantineKey(std::string_view tenant, std::string_view account_id, int64_t occurrence,
                                    std::string_view raw_row) const;

 private:
  IdKeyer() = default;
  SecretKey account_key_;
  SecretKey tx_key_;
  SecretKey quarantine_key_;
};

}  // namespace bankfeed::crypto
