// Canonical ids and small model helpers.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <openssl/evp.h>

#include "bankfeed/ids.hpp"
#include "bankfeed/model.hpp"
#include "common/text.hpp"

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

// One reused context per thread. Failures of SHA-256 here mean OpenSSL itself is broken (no SHA-256 provider); ids
// would be meaningless, so the callers stop loudly.
EVP_MD_CTX* Sha256Context() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) std::abort();
  return ctx.get();
}

Digest Sha256Of(std::string_view data) {
  EVP_MD_CTX* ctx = Sha256Context();
  Digest out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex(ctx, Sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1) {
    std::abort();
  }
  return out;
}

// Length-prefixed fields, so ("ab","c") and ("a","bc") never collide; a null differs from an empty string.
// Writes through a cursor into `buf`, which only ever grows: its size is the room, not the content's length (see
// view()). A row is about thirty fields, so this avoids a library call per byte group.
class FieldWriter {
 public:
  explicit FieldWriter(std::string& buf) : buf_(buf) {}

  void Str(const OptString& v) {
    if (!v) {
      *Room(1) = '\0';
      return;
    }
    Bytes(*v);
  }
  void Bytes(std::string_view v) {
    const auto n = static_cast<uint32_t>(v.size());
    char* p = Room(1 + sizeof n + v.size());
    *p = '\1';
    std::memcpy(p + 1, &n, sizeof n);
    if (!v.empty()) std::memcpy(p + 1 + sizeof n, v.data(), v.size());
  }
  void Date(const std::optional<bankfeed::Date>& d) {
    if (!d) return Str(std::nullopt);
    char* p = Room(1 + sizeof d->days_since_epoch);
    *p = '\2';
    std::memcpy(p + 1, &d->days_since_epoch, sizeof d->days_since_epoch);
  }
  void Time(const std::optional<DateTime>& t) {
    if (!t) return Str(std::nullopt);
    char* p = Room(1 + sizeof t->unix_seconds + sizeof t->nanos + 1);
    *p++ = '\4';
    std::memcpy(p, &t->unix_seconds, sizeof t->unix_seconds);
    p += sizeof t->unix_seconds;
    std::memcpy(p, &t->nanos, sizeof t->nanos);
    p[sizeof t->nanos] = static_cast<char>(t->fraction_digits);
  }
  void Amount(const Money& m) {
    char* p = Room(1 + Decimal::kKeyBytes + 3);
    *p = '\5';
    m.amount.WriteKeyBytes(p + 1);
    std::memcpy(p + 1 + Decimal::kKeyBytes, m.currency.code().data(), 3);
  }
  void Rate(const std::optional<Decimal>& rate) {
    if (!rate) return Str(std::nullopt);
    char* p = Room(1 + Decimal::kKeyBytes);
    *p = '\5';
    rate->WriteKeyBytes(p + 1);
  }
  void Party(const std::optional<bankfeed::Party>& p) {
    if (!p) return Str(std::nullopt);
    *Room(1) = '\3';
    Str(p->name), Str(p->iban), Str(p->bban), Str(p->bic), Str(p->masked_pan), Str(p->ultimate_name);
  }
  void Clear() { len_ = 0; }
  std::string_view view() const { return {buf_.data(), len_}; }

 private:
  char* Room(size_t n) {
    if (buf_.size() - len_ < n) buf_.resize(std::max(2 * buf_.size(), len_ + n));
    char* p = buf_.data() + len_;
    len_ += n;
    return p;
  }

  std::string& buf_;
  size_t len_ = 0;
};

// The canonical content fields, serialised unambiguously into w. Without `bank_ids`, the bank's own identifiers
// (transaction_id, entry_reference) are left out: what stays is what the transaction is, not what the bank called it
// on one fetch.
void WriteContent(const Transaction& t, FieldWriter& w, bool bank_ids = true) {
  w.Clear();
  w.Str(t.account_id);
  w.Bytes(TransactionStatusName(t.status));
  w.Amount(t.amount);
  w.Date(t.booking_date), w.Date(t.value_date), w.Date(t.transaction_date);
  w.Time(t.booking_datetime), w.Time(t.value_datetime);
  if (bank_ids) {
    w.Str(t.transaction_id);
    w.Str(t.entry_reference);
  }
  w.Str(t.end_to_end_id), w.Str(t.mandate_id);
  w.Str(t.creditor_id);
  w.Party(t.creditor), w.Party(t.debtor);
  w.Str(t.remittance), w.Str(t.remittance_reference);
  w.Str(t.bank_transaction_code), w.Str(t.proprietary_code), w.Str(t.merchant_category_code);
  if (t.original_amount) {
    w.Amount(*t.original_amount);
  } else {
    w.Str(std::nullopt);
  }
  w.Rate(t.exchange_rate);
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string s(n * 2, '0');
  LowerHexInto(p, n, s.data());
  return s;
}

}  // namespace

std::string_view TransactionStatusName(TransactionStatus s) {
  switch (s) {
    case TransactionStatus::kBooked: return "booked";
    case TransactionStatus::kPending: return "pending";
    case TransactionStatus::kInfo: return "info";
    case TransactionStatus::kRejected: return "rejected";
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

TransactionIdAssigner::TransactionIdAssigner() { content_.resize(1024); }
TransactionIdAssigner::~TransactionIdAssigner() = default;

// Occurrences are keyed by a 64-bit hash of the content bytes: two different rows whose hashes collide (odds about
// 2^-64 per pair) would only get different occurrence indexes, and their ids differ anyway because the id hashes the
// full content. So no row is ever merged with another, and the result stays deterministic. Open addressing over a
// power-of-two table kept at most half full: no node per row. The caller (Assign) has grown the table for one more
// key first, so that it can prefetch the slot.
uint32_t TransactionIdAssigner::NextOccurrence(uint64_t content_hash) {
  const uint64_t stored = content_hash | 1;
  const size_t mask = slots_.size() - 1;
  for (size_t i = (content_hash >> 1) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == 0) {
      slot = {stored, 1};
      ++used_;
      return 0;
    }
    if (slot.key == stored) return slot.count++;
  }
}

void TransactionIdAssigner::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key == 0) continue;
    size_t i = (s.key >> 1) & mask;
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void TransactionIdAssigner::Assign(Transaction& t) {
  FieldWriter writer(content_);
  WriteContent(t, writer);
  const std::string_view content = writer.view();
  const uint64_t content_hash = std::hash<std::string_view>{}(content);
  // The occurrence table outgrows the caches on large reports: fetch the row's slot while SHA-256 digests the
  // content, and only then look the occurrence up.
  if (2 * (used_ + 1) > slots_.size()) Grow();
  __builtin_prefetch(&slots_[(content_hash >> 1) & (slots_.size() - 1)]);
  // id = first 128 bits of SHA-256(content fields || occurrence index): one hash per row.
  EVP_MD_CTX* ctx = Sha256Context();
  if (EVP_DigestInit_ex(ctx, Sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, content.data(), content.size()) != 1) {
    std::abort();
  }
  const uint32_t occurrence = NextOccurrence(content_hash);
  unsigned char occurrence_bytes[4];
  for (int i = 0; i < 4; ++i) occurrence_bytes[i] = static_cast<unsigned char>(occurrence >> (24 - 8 * i));
  Digest id{};
  unsigned int len = 0;
  if (EVP_DigestUpdate(ctx, occurrence_bytes, sizeof occurrence_bytes) != 1 ||
      EVP_DigestFinal_ex(ctx, id.data(), &len) != 1) {
    std::abort();
  }
  char text[3 + 32];
  std::memcpy(text, "tx_", 3);
  LowerHexInto(id.data(), 16, text + 3);
  t.id.assign(text, sizeof text);
}

void AssignTransactionIds(std::span<Transaction> transactions) {
  TransactionIdAssigner assigner;
  for (Transaction& t : transactions) assigner.Assign(t);
}

std::string TransactionContentDigest(const Transaction& t) {
  std::string content;
  FieldWriter writer(content);
  WriteContent(t, writer);
  const Digest d = Sha256Of(writer.view());
  return Hex(d.data(), d.size());
}

std::string TransactionFingerprint(const Transaction& t) {
  std::string content;
  FieldWriter writer(content);
  WriteContent(t, writer, /*bank_ids=*/false);
  const Digest d = Sha256Of(writer.view());
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string AccountIdFor(const Account& a) {
  std::string content;
  FieldWriter w(content);
  w.Str(a.resource_id_changes ? OptString() : a.resource_id), w.Str(a.iban), w.Str(a.bban), w.Str(a.masked_pan), w.Str(a.currency);
  const Digest d = Sha256Of(w.view());
  return "acc_" + Hex(d.data(), 16);
}

}  // namespace bankfeed
