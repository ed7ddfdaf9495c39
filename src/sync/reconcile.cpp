#include "sync/reconcile.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "bankfeed/ids.hpp"

namespace bankfeed::sync {
namespace {

constexpr int kDaysBeforePending = 2;  // a booking may carry a date slightly before the pending row's

// k * x by doubling, for the small percentages of the amount rule.
Decimal Times(Decimal x, int k) {
  Decimal sum;
  while (k > 0) {
    if (k & 1) sum = sum + x;
    x = x + x;
    k >>= 1;
  }
  return sum;
}

bool AmountsMatch(const Money& pending, const Money& booked, int tolerance_percent) {
  if (!(pending.currency == booked.currency)) return false;
  if (pending.amount == booked.amount) return true;
  if (pending.amount.IsNegative() != booked.amount.IsNegative()) return false;
  const Decimal diff = (booked.amount - pending.amount).Abs();
  return Times(diff, 100) <= Times(pending.amount.Abs(), tolerance_percent);
}

bool SimilarCounterparty(const Transaction& a, const Transaction& b, int min_similarity) {
  const std::optional<Party>& pa = a.Counterparty();
  const std::optional<Party>& pb = b.Counterparty();
  if (!pa || !pb) return true;
  if (pa->iban && pb->iban) return *pa->iban == *pb->iban;
  if (pa->name && pb->name) return NameSimilarity(*pa->name, *pb->name) >= min_similarity;
  return true;  // nothing comparable on both sides
}

int DaysBetween(Date from, Date to) { return to.days_since_epoch - from.days_since_epoch; }

bool SameBankIds(const Transaction& a, const Transaction& b) {
  return a.transaction_id == b.transaction_id && a.entry_reference == b.entry_reference;
}

struct Side {
  const Transaction* tx;
  std::optional<std::string> fingerprint;  // computed when first needed (Reconciler::Fingerprint)
  bool matched = false;
};

class Reconciler {
 public:
  Reconciler(std::span<const FeedTransaction> stored, std::vector<Transaction> fetched, Date from,
             const ReconcileRules& rules)
      : stored_(stored), fetched_(std::move(fetched)), rules_(rules) {
    std::erase_if(fetched_, [&](const Transaction& t) {
      return t.status == TransactionStatus::kBooked && t.booking_date && *t.booking_date < from;
    });
    s_.reserve(stored_.size());
    for (const FeedTransaction& s : stored_) s_.push_back({&s.transaction, std::nullopt});
    f_.reserve(fetched_.size());
    for (const Transaction& f : fetched_) f_.push_back({&f, std::nullopt});
  }

  Reconciliation Run() {
    if (rules_.trust_ids) MatchBankIds();
    MatchFingerprints();
    LinkPending();
    Leftovers();
    return std::move(out_);
  }

 private:
  // A row's fingerprint (SHA-256 over its content), computed once and only for rows that get compared: a first sync
  // (no stored row) computes none.
  static const std::string& Fingerprint(Side& side) {
    if (!side.fingerprint) side.fingerprint = TransactionFingerprint(*side.tx);
    return *side.fingerprint;
  }

  void Modify(size_t si, size_t fi, bool replace_pending_link = false) {
    FeedTransaction m{*f_[fi].tx, stored_[si].pending_transaction_id};
    if (replace_pending_link) m.pending_transaction_id.reset();
    m.transaction.id = stored_[si].transaction.id;
    out_.modified.push_back(std::move(m));
  }
  void Replace(size_t si, size_t fi) {  // booked fi replaces pending si
    FeedTransaction a{*f_[fi].tx, stored_[si].transaction.id};
    out_.added.push_back(std::move(a));
    out_.removed.push_back(stored_[si].transaction.id);
    s_[si].matched = f_[fi].matched = true;
  }

  void MatchBankIds() {
    if (s_.empty()) return;  // a first sync: no stored row to match, and no fetched row's id is hashed
    std::unordered_multimap<std::string, size_t> by_id;  // stored rows by bank id, in stored order
    for (size_t i = 0; i < s_.size(); ++i) {
      if (s_[i].tx->transaction_id) by_id.emplace(*s_[i].tx->transaction_id, i);
    }
    for (size_t fi = 0; fi < f_.size(); ++fi) {
      const Transaction& f = *f_[fi].tx;
      if (!f.transaction_id) continue;
      auto [lo, hi] = by_id.equal_range(*f.transaction_id);
      std::optional<size_t> same_status, pending;
      for (auto it = lo; it != hi; ++it) {
        const size_t si = it->second;
        if (s_[si].matched) continue;
        const TransactionStatus st = s_[si].tx->status;
        if (st == f.status && (!same_status || si < *same_status)) same_status = si;
        if (st == TransactionStatus::kPending && f.status == TransactionStatus::kBooked && (!pending || si < *pending)) {
          pending = si;
        }
      }
      if (same_status) {
        const size_t si = *same_status;
        s_[si].matched = f_[fi].matched = true;
        if (Fingerprint(s_[si]) != Fingerprint(f_[fi]) || !SameBankIds(*s_[si].tx, f)) Modify(si, fi);
      } else if (pending) {
        Replace(*pending, fi);
      }
    }
  }

  void MatchFingerprints() {
    std::unordered_map<std::string, std::vector<size_t>> waiting;  // fingerprint → unmatched stored rows, reversed
    for (size_t i = s_.size(); i-- > 0;) {
      if (!s_[i].matched) waiting[Fingerprint(s_[i])].push_back(i);
    }
    if (waiting.empty()) return;  // nothing to match against: no fetched row's fingerprint is needed
    for (size_t fi = 0; fi < f_.size(); ++fi) {
      if (f_[fi].matched) continue;
      auto it = waiting.find(Fingerprint(f_[fi]));
      if (it == waiting.end() || it->second.empty()) continue;
      const size_t si = it->second.back();
      it->second.pop_back();
      s_[si].matched = f_[fi].matched = true;
      if (rules_.trust_ids && !SameBankIds(*s_[si].tx, *f_[fi].tx)) Modify(si, fi);
    }
  }

  // The best unmatched fetched row of `status` for the vanished stored pending row si, if any.
  std::optional<size_t> BestCandidate(size_t si, TransactionStatus status) const {
    const Transaction& p = *s_[si].tx;
    const std::optional<Date> pending_date = RowDate(p);
    if (!pending_date) return std::nullopt;
    const SyncRules& r = rules_.rules;
    std::optional<size_t> best;
    std::pair<int, int> best_score{0, 0};  // (amount differs, |days apart|): lower is better
    for (size_t fi = 0; fi < f_.size(); ++fi) {
      const Transaction& f = *f_[fi].tx;
      if (f_[fi].matched || f.status != status) continue;
      const std::optional<Date> date = RowDate(f);
      if (!date) continue;
      const int days = DaysBetween(*pending_date, *date);
      const bool in_range = status == TransactionStatus::kBooked
                                ? days >= -kDaysBeforePending && days <= r.pending_booking_days
                                : std::abs(days) <= r.pending_booking_days;
      if (!in_range || !AmountsMatch(p.amount, f.amount, r.amount_tolerance_percent) ||
          !SimilarCounterparty(p, f, r.counterparty_min_similarity)) {
        continue;
      }
      const std::pair<int, int> score{p.amount == f.amount ? 0 : 1, std::abs(days)};
      if (!best || score < best_score) best = fi, best_score = score;
    }
    return best;
  }

  void LinkPending() {
    for (const TransactionStatus status : {TransactionStatus::kBooked, TransactionStatus::kPending}) {
      for (size_t si = 0; si < s_.size(); ++si) {
        if (s_[si].matched || s_[si].tx->status != TransactionStatus::kPending) continue;
        const std::optional<size_t> fi = BestCandidate(si, status);
        if (!fi) continue;
        if (status == TransactionStatus::kBooked) {
          Replace(si, *fi);
        } else {
          s_[si].matched = f_[*fi].matched = true;
          Modify(si, *fi);
        }
      }
    }
  }

  void Leftovers() {
    const auto unmatched = std::count_if(f_.begin(), f_.end(), [](const Side& f) { return !f.matched; });
    out_.added.reserve(out_.added.size() + static_cast<size_t>(unmatched));
    for (size_t fi = 0; fi < f_.size(); ++fi) {
      if (f_[fi].matched) continue;
      // The last use of the fetched row (f_[fi].tx points at it): moved, not copied; constructed in place where the
      // compiler takes an aggregate's members in parentheses (C++20 P0960: GCC 10, not clang 14), rather than
      // value-initialised (1.3 KB zeroed) and then assigned.
#if defined(__cpp_aggregate_paren_init) && __cpp_aggregate_paren_init >= 201902L
      out_.added.emplace_back(std::move(fetched_[fi]));
#else
      out_.added.emplace_back().transaction = std::move(fetched_[fi]);
#endif
    }
    // The batch's ids are distinct among themselves (assigned over the whole batch), so only a stored row's id can
    // clash with a new one: with no stored row (a first sync) there is nothing to check. A batch that breaks this
    // is refused by the store's commit (an id that appears twice), never stored twice.
    if (!stored_.empty()) RederiveClashingIds();
    for (size_t si = 0; si < s_.size(); ++si) {
      if (!s_[si].matched) out_.removed.push_back(stored_[si].transaction.id);
    }
  }

  // `taken` views ids held by stored_ and out_.added, neither of which changes size from here on.
  void RederiveClashingIds() {
    std::unordered_set<std::string_view> taken;
    taken.reserve(stored_.size() + out_.added.size());
    for (const FeedTransaction& s : stored_) taken.insert(s.transaction.id);
    for (FeedTransaction& a : out_.added) {
      if (taken.insert(a.transaction.id).second) continue;
      for (int n = 1;; ++n) {
        std::string id = RederiveId(a.transaction.id, n);
        if (!taken.contains(id)) {
          a.transaction.id = std::move(id);
          taken.insert(a.transaction.id);
          break;
        }
      }
    }
  }

  std::span<const FeedTransaction> stored_;
  std::vector<Transaction> fetched_;
  const ReconcileRules& rules_;
  std::vector<Side> s_, f_;
  Reconciliation out_;
};

}  // namespace

std::optional<Date> RowDate(const Transaction& t) {
  if (t.status == TransactionStatus::kBooked && t.booking_date) return t.booking_date;
  if (t.value_date) return t.value_date;
  if (t.transaction_date) return t.transaction_date;
  return t.booking_date;
}

std::string RederiveId(std::string_view id, int n) {
  const std::string input = std::string(id) + "#" + std::to_string(n);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "tx_";
  for (int i = 0; i < 16; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

int NameSimilarity(std::string_view a, std::string_view b) {
  const auto words = [](std::string_view s) {
    std::set<std::string> out;
    std::string word;
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || u >= 0x80) {
        word.push_back(static_cast<char>(std::tolower(u)));
      } else if (!word.empty()) {
        out.insert(std::move(word));
        word.clear();
      }
    }
    if (!word.empty()) out.insert(std::move(word));
    return out;
  };
  const std::set<std::string> wa = words(a), wb = words(b);
  if (wa.empty() || wb.empty()) return wa.empty() && wb.empty() ? 100 : 0;
  size_t shared = 0;
  for (const std::string& w : wa) shared += wb.count(w);
  return static_cast<int>(shared * 100 / std::min(wa.size(), wb.size()));
}

Reconciliation Reconcile(std::span<const FeedTransaction> stored, std::vector<Transaction> fetched, Date window_from,
                         const ReconcileRules& rules) {
  return Reconciler(stored, std::move(fetched), window_from, rules).Run();
}

}  // namespace bankfeed::sync
