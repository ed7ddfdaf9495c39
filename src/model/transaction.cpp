// Canonical ids and small model helpers.
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <openssl/evp.h>

#include "bankfeed/ids.hpp"
#include "bankfeed/model.hpp"

namespace bankfeed {
namespace {

using Digest = std::array<unsigned char, 32>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct MdDeleter {
  void operator()(EVP_MD* m) const { EVP_MD_free(m); }
};

// Fetching the SHA-256 implementation once avoids a provider lookup per transaction (OpenSSL 3 "fetch" cost).
const EVP_MD* Sha256() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return md.get();
}

Digest Sha256Of(std::string_view data) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  Digest out{};
  unsigned int len = 0;
  // Failure here means OpenSSL itself is broken (no SHA-256 provider); ids would be meaningless, so stop loudly.
  if (!ctx || EVP_DigestInit_ex(ctx.get(), Sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
    std::abort();
  }
  return out;
}

// Length-prefixed fields, so ("ab","c") and ("a","bc") never collide; a null differs from an empty string.
class FieldWriter {
 public:
  void Str(const OptString& v) {
    if (!v) {
      buf_.push_back('\0');
      return;
    }
    Bytes(*v);
  }
  void Bytes(std::string_view v) {
    buf_.push_back('\1');
    const auto n = static_cast<uint32_t>(v.size());
    buf_.append(reinterpret_cast<const char*>(&n), sizeof n);
    buf_.append(v);
  }
  void Date(const std::optional<bankfeed::Date>& d) {
    if (!d) return Str(std::nullopt);
    buf_.push_back('\2');
    buf_.append(reinterpret_cast<const char*>(&d->days_since_epoch), sizeof d->days_since_epoch);
  }
  void Time(const std::optional<DateTime>& t) {
    if (!t) return Str(std::nullopt);
    buf_.push_back('\4');
    buf_.append(reinterpret_cast<const char*>(&t->unix_seconds), sizeof t->unix_seconds);
    buf_.append(reinterpret_cast<const char*>(&t->nanos), sizeof t->nanos);
    buf_.push_back(static_cast<char>(t->fraction_digits));
  }
  void Amount(const Money& m) {
    buf_.push_back('\5');
    m.amount.AppendKeyBytes(buf_);
    buf_.append(m.currency.code());
  }
  void Party(const std::optional<bankfeed::Party>& p) {
    if (!p) return Str(std::nullopt);
    buf_.push_back('\3');
    Str(p->name), Str(p->iban), Str(p->bban), Str(p->bic), Str(p->masked_pan), Str(p->ultimate_name);
  }
  std::string& buffer() { return buf_; }

 private:
  std::string buf_;
};

// The canonical content fields, serialised unambiguously into w.buffer().
void WriteContent(const Transaction& t, FieldWriter& w) {
  w.buffer().clear();
  w.Str(t.account_id);
  w.Bytes(TransactionStatusName(t.status));
  w.Amount(t.amount);
  w.Date(t.booking_date), w.Date(t.value_date), w.Date(t.transaction_date);
  w.Time(t.booking_datetime), w.Time(t.value_datetime);
  w.Str(t.transaction_id), w.Str(t.entry_reference), w.Str(t.end_to_end_id), w.Str(t.mandate_id);
  w.Str(t.creditor_id);
  w.Party(t.creditor), w.Party(t.debtor);
  w.Str(t.remittance), w.Str(t.remittance_reference);
  w.Str(t.bank_transaction_code), w.Str(t.proprietary_code), w.Str(t.merchant_category_code);
  if (t.original_amount) {
    w.Amount(*t.original_amount);
  } else {
    w.Str(std::nullopt);
  }
  if (t.exchange_rate) {
    w.buffer().push_back('\5');
    t.exchange_rate->AppendKeyBytes(w.buffer());
  } else {
    w.Str(std::nullopt);
  }
}

constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const unsigned char* p, size_t n) {
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[p[i] >> 4];
    s[2 * i + 1] = kHex[p[i] & 15];
  }
  return s;
}

// Counts identical rows. Keyed by a 64-bit hash of the content bytes: two different rows whose hashes collide
// (odds about 2^-64 per pair) would only get different occurrence indexes, and their ids differ anyway because the
// id hashes the full content. So no row is ever merged with another, and the result stays deterministic.
// Open addressing over a power-of-two table sized for the whole batch: no node per row, no rehash.
class OccurrenceCounter {
 public:
  explicit OccurrenceCounter(size_t rows) {
    size_t size = 16;
    while (size < rows * 2) size *= 2;
    slots_.resize(size);
  }

  // Returns how many times `key` was seen before, and counts this sighting.
  uint32_t Next(uint64_t key) {
    const uint64_t stored = key | 1;  // 0 marks an empty slot
    for (size_t i = (key >> 1) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.key == 0) {
        slot.key = stored;
        slot.count = 1;
        return 0;
      }
      if (slot.key == stored) return slot.count++;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t count = 0;
  };
  std::vector<Slot> slots_;
};

}  // namespace

std::string_view TransactionStatusName(TransactionStatus s) {
  switch (s) {
    case TransactionStatus::kBooked: return "booked";
    case TransactionStatus::kPending: return "pending";
    case TransactionStatus::kInfo: return "info";
  }
  return "booked";
}

std::string_view ConsentStatusName(ConsentStatus s) {
  switch (s) {
    case ConsentStatus::kReceived: return "received";
    case ConsentStatus::kValid: return "valid";
    case ConsentStatus::kRejected: return "rejected";
    case ConsentStatus::kRevoked: return "revoked";
    case ConsentStatus::kExpired: return "expired";
    case ConsentStatus::kTerminated: return "terminated";
    case ConsentStatus::kPartiallyAuthorised: return "partially_authorised";
  }
  return "received";
}

const std::optional<Party>& Transaction::Counterparty() const {
  const bool debit = amount.amount.IsNegative();
  const std::optional<Party>& preferred = debit ? creditor : debtor;
  const std::optional<Party>& other = debit ? debtor : creditor;
  return preferred ? preferred : other;
}

void AssignTransactionIds(std::span<Transaction> transactions) {
  FieldWriter writer;
  writer.buffer().reserve(1024);
  OccurrenceCounter seen(transactions.size());
  for (Transaction& t : transactions) {
    WriteContent(t, writer);
    std::string& content = writer.buffer();
    const uint32_t occurrence = seen.Next(std::hash<std::string_view>{}(content));
    // id = first 128 bits of SHA-256(content fields || occurrence index): one hash per row.
    for (int i = 0; i < 4; ++i) content.push_back(static_cast<char>(occurrence >> (24 - 8 * i)));
    const Digest id = Sha256Of(content);
    t.id.assign("tx_");
    t.id += Hex(id.data(), 16);
  }
}

std::string TransactionContentDigest(const Transaction& t) {
  FieldWriter writer;
  WriteContent(t, writer);
  const Digest d = Sha256Of(writer.buffer());
  return Hex(d.data(), d.size());
}

std::string AccountIdFor(const Account& a) {
  FieldWriter w;
  w.Str(a.resource_id), w.Str(a.iban), w.Str(a.bban), w.Str(a.masked_pan), w.Str(a.currency);
  const Digest d = Sha256Of(w.buffer());
  return "acc_" + Hex(d.data(), 16);
}

}  // namespace bankfeed
