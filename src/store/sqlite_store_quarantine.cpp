// The SQLite Store: the quarantine of rows a sync could not normalize (issue 21). See store/sqlite_store.hpp.
//
// An entry's row_enc seals "<occurrence>:<error length>:<error><raw row>" under QuarantineAd, which names the
// tenant, the account's row and the entry key: an envelope copied to another entry, account or tenant fails to open.
// Every entry a sync keeps is written again by its commit, so it is sealed under the active key from then on (an
// at-rest key rotation reaches every account that syncs); the entry key is under the id secret, which no rotation
// changes, so an entry keeps its name.
#include <openssl/crypto.h>

#include <charconv>
#include <utility>

#include "store/sqlite_store.hpp"

namespace bankfeed::store {
namespace {

constexpr int kStatusCount = 4;  // TransactionStatus values a list may have: booked, pending, info, rejected


std::string EncodeEntry(const QuarantineEntry& e) {
  std::string out = std::to_string(e.occurrence) + ":" + std::to_string(e.error.size()) + ":";
  out.reserve(out.size() + e.error.size() + e.raw_json.size());
  out += e.error;
  out += e.raw_json;
  return out;
}

// Reads one "<decimal>:" field from the front of `in`.
bool TakeNumber(std::string_view& in, int64_t& out) {
  const auto colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto [end, ec] = std::from_chars(in.data(), in.data() + colon, out);
  if (ec != std::errc() || end != in.data() + colon || out < 0) return false;
  in.remove_prefix(colon + 1);
  return true;
}

Status DecodeEntry(std::string_view in, QuarantineEntry& e) {
  int64_t error_size = 0;
  if (!TakeNumber(in, e.occurrence) || !TakeNumber(in, error_size) || static_cast<uint64_t>(error_size) > in.size()) {
    return MakeError(ErrorCode::kInvalidInput, "store: quarantine.row_enc: malformed");
  }
  e.error.assign(in.substr(0, static_cast<size_t>(error_size)));
  e.raw_json.assign(in.substr(static_cast<size_t>(error_size)));
  return {};
}

}  // namespace

std::string QuarantineAd(std::string_view tenant, int64_t account_row, std::string_view entry_key) {
  return "quarantine.row|" + TenantPart(tenant) + "|" + std::to_string(account_row) + "|" + std::string(entry_key);
}

Result<std::vector<QuarantineEntry>> SqliteStore::LoadQuarantine(const AccountRef& account) {
  std::lock_guard lock(read_mu_);
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow row, AccountByRef(*read_db_, account));
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt stmt, read_db_->Prepare("SELECT entry_key, list_status, first_seen, last_seen, row_enc FROM quarantine "
                                   "WHERE account_id = ?1 ORDER BY first_seen, entry_key",
                                   "select quarantine"));
  stmt.Bind(1, row.id);
  std::vector<QuarantineEntry> out;
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool more, stmt.Step());
    if (!more) break;
    QuarantineEntry& e = out.emplace_back();
    e.key = stmt.Text(0);
    const int64_t status = stmt.Int(1);
    if (status < 0 || status >= kStatusCount) {
      return MakeError(ErrorCode::kInvalidInput, "store: quarantine.list_status: out of range");
    }
    e.list_status = static_cast<TransactionStatus>(status);
    e.first_seen = DateTime{stmt.Int(2), 0, 0};
    e.last_seen = DateTime{stmt.Int(3), 0, 0};
    BANKFEED_ASSIGN_OR_RETURN(std::string bytes,
                              Open(stmt.Blob(4), QuarantineAd(row.tenant, row.id, e.key), "quarantine.row_enc"));
    const Status decoded = DecodeEntry(bytes, e);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    BANKFEED_RETURN_IF_ERROR(decoded);
  }
  return out;
}

Status SqliteStore::WriteQuarantine(const AccountRow& account, std::string_view account_id,
                                    const AccountCommit& commit) {
  if (commit.quarantine_put.empty() && commit.quarantine_drop.empty()) return {};
  if (!ids_) return MakeError(ErrorCode::kInternal, "store: ids: the id secret is not loaded");
  for (size_t i = 0; i < commit.quarantine_put.size(); ++i) {
    const QuarantineEntry& e = commit.quarantine_put[i];
    if (e.occurrence < 0 || static_cast<int>(e.list_status) < 0 || static_cast<int>(e.list_status) >= kStatusCount) {
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("quarantine_put", i) + ": out of range");
    }
    BANKFEED_ASSIGN_OR_RETURN(const std::string key,
                              ids_->QuarantineKey(account.tenant, account_id, e.occurrence, e.raw_json));
    std::string plain = EncodeEntry(e);
    auto sealed = Seal(plain, QuarantineAd(account.tenant, account.id, key));
    OPENSSL_cleanse(plain.data(), plain.size());
    if (!sealed) return tl::unexpected(std::move(sealed).error());
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt upsert, db_->Prepare("INSERT INTO quarantine(account_id, entry_key, list_status, first_seen, last_seen, "
                                  "row_enc) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(account_id, entry_key) DO "
                                  "UPDATE SET list_status = excluded.list_status, last_seen = excluded.last_seen, "
                                  "row_enc = excluded.row_enc",
                                  "write quarantine"));
    BANKFEED_RETURN_IF_ERROR(upsert.Bind(1, account.id)
                                 .BindText(2, key)
                                 .Bind(3, static_cast<int64_t>(e.list_status))
                                 .Bind(4, e.first_seen.unix_seconds)
                                 .Bind(5, e.last_seen.unix_seconds)
                                 .BindBlob(6, *sealed)
                                 .Run());
  }
  for (size_t i = 0; i < commit.quarantine_drop.size(); ++i) {
    if (!IsHashId(commit.quarantine_drop[i], "qr_")) {
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("quarantine_drop", i) + " is not a qr_ key");
    }
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt del, db_->Prepare("DELETE FROM quarantine WHERE account_id = ?1 AND entry_key = ?2", "drop quarantine"));
    BANKFEED_RETURN_IF_ERROR(del.Bind(1, account.id).BindText(2, commit.quarantine_drop[i]).Run());
  }
  return {};
}

}  // namespace bankfeed::store
