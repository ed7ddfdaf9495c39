// The SQLite Store: keyed ids (crypto/ids.hpp), the id secret that keys them, and migration 2, which rewrites a
// store of schema version 1 (ids not keyed) once. See store/sqlite_store.hpp.
//
// Migration 2 keeps every feed cursor valid and every client's copy of the feed consistent: a client that goes on
// reading from wherever it was sees, for each transaction the store holds, its old id `removed` and then the row
// `added` under its new id (and the new account id), after every change it had not read yet. A client that starts
// from the beginning sees every current transaction once, under its new id. Sequence numbers keep growing; the
// store id does not change.
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <map>
#include <utility>

#include "bankfeed/ids.hpp"
#include "common/scoped.hpp"
#include "store/record_codec.hpp"
#include "store/sqlite_store.hpp"

namespace bankfeed::store {
namespace {

std::string IdSecretAd(std::string_view store_id) { return "meta.id_secret|" + std::string(store_id); }

// Keys a record's optional transaction id (a pending row's link): a "tx_" id, or nothing to key.
Status KeyField(crypto::TxIdKeyer& keyer, std::optional<std::string>& id, std::string_view field) {
  if (!id || !IsHashId(*id, "tx_")) return {};
  return keyer.Key(*id, field);
}

}  // namespace

Result<std::string> SqliteStore::KeyedAccountId(std::string_view tenant, const Account& account) const {
  if (!ids_) return MakeError(ErrorCode::kInternal, "store: ids: the id secret is not loaded");
  return ids_->AccountId(tenant, AccountIdFor(account));
}

Status SqliteStore::KeyTransactionIds(std::string_view tenant, std::span<Transaction> rows) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  if (!ids_) return MakeError(ErrorCode::kInternal, "store: ids: the id secret is not loaded");
  BANKFEED_ASSIGN_OR_RETURN(crypto::TxIdKeyer keyer, ids_->ForTenant(tenant));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (Status keyed = keyer.Key(rows[i].id, "id"); !keyed) {
      if (keyed.error().code != ErrorCode::kInvalidArgument) return keyed;  // OpenSSL failed
      return MakeError(ErrorCode::kInvalidArgument,
                       "store: transactions[" + std::to_string(i) + "].id is not a tx_ id");
    }
  }
  return {};
}

Status SqliteStore::CreateIdSecret(Db& db, std::string_view store_id) {
  crypto::SecretKey secret;
  if (RAND_bytes(secret.mutable_view().data(), static_cast<int>(secret.mutable_view().size())) != 1) {
    return MakeError(ErrorCode::kInternal, "store: ids: no random bytes for the id secret");
  }
  const std::string_view bytes(reinterpret_cast<const char*>(secret.view().data()), secret.view().size());
  BANKFEED_ASSIGN_OR_RETURN(const std::string sealed, Seal(bytes, IdSecretAd(store_id)));
  BANKFEED_ASSIGN_OR_RETURN(Stmt insert,
                            db.Prepare("INSERT INTO meta(key, value) VALUES ('id_secret', ?1)", "insert meta"));
  BANKFEED_RETURN_IF_ERROR(insert.BindBlob(1, sealed).Run());
  BANKFEED_ASSIGN_OR_RETURN(crypto::IdKeyer keyer, crypto::IdKeyer::Create(secret.view()));
  ids_.emplace(std::move(keyer));
  return {};
}

Status SqliteStore::LoadIdSecret(std::string_view sealed) {
  if (sealed.empty()) return MakeError(ErrorCode::kInvalidInput, "store: meta: id_secret missing");
  BANKFEED_ASSIGN_OR_RETURN(std::string bytes, Open(sealed, IdSecretAd(store_id_), "meta.id_secret"));
  const WipeOnExit wipe(bytes);
  crypto::SecretKey secret;
  if (bytes.size() != secret.view().size()) {
    return MakeError(ErrorCode::kInvalidInput, "store: meta.id_secret: not 32 bytes");
  }
  std::copy(bytes.begin(), bytes.end(), secret.mutable_view().begin());
  BANKFEED_ASSIGN_OR_RETURN(crypto::IdKeyer keyer, crypto::IdKeyer::Create(secret.view()));
  ids_.emplace(std::move(keyer));
  // After a rotation, move the secret to the active key, so that it keeps opening once the old key is dropped.
  BANKFEED_ASSIGN_OR_RETURN(const bool stale, aead_.NeedsReencrypt(sealed));
  if (stale) {
    BANKFEED_ASSIGN_OR_RETURN(const std::string fresh, aead_.Reencrypt(sealed, IdSecretAd(store_id_)));
    BANKFEED_ASSIGN_OR_RETURN(Stmt update,
                              db_->Prepare("UPDATE meta SET value = ?1 WHERE key = 'id_secret'", "update meta"));
    BANKFEED_RETURN_IF_ERROR(update.BindBlob(1, fresh).Run());
  }
  return {};
}

Result<int64_t> SqliteStore::RekeyIds(Db& db) {
  struct AccountIds {
    std::string tenant, old_id, new_id;
  };
  std::map<int64_t, AccountIds> accounts;  // by account row
  {
    BANKFEED_ASSIGN_OR_RETURN(Stmt select, db.Prepare("SELECT a.id, cu.tenant, cu.handle, a.account_id, a.account_enc "
                                                      "FROM accounts a JOIN customers cu ON cu.id = a.customer_id "
                                                      "ORDER BY a.id",
                                                      "migrate ids: accounts"));
    struct Row {
      int64_t id;
      std::string tenant, customer, account_id, sealed;
    };
    std::vector<Row> rows;
    for (;;) {
      BANKFEED_ASSIGN_OR_RETURN(const bool more, select.Step());
      if (!more) break;
      rows.push_back({select.Int(0), std::string(select.Text(1)), std::string(select.Text(2)),
                      std::string(select.Text(3)), std::string(select.Blob(4))});
    }
    for (const Row& row : rows) {
      BANKFEED_ASSIGN_OR_RETURN(std::string bytes, Open(row.sealed, AccountAd(row.tenant, row.customer, row.account_id),
                                                        "accounts.account_enc"));
      auto account = DecodeAccount(bytes);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      if (!account) {
        return MakeError(ErrorCode::kInvalidInput, "store: accounts.account_enc: " + account.error().message);
      }
      BANKFEED_ASSIGN_OR_RETURN(account->id, KeyedAccountId(row.tenant, *account));
      BANKFEED_ASSIGN_OR_RETURN(std::string record, EncodeAccount(*account));
      const WipeOnExit wipe(record);
      BANKFEED_ASSIGN_OR_RETURN(const std::string sealed,
                                Seal(record, AccountAd(row.tenant, row.customer, account->id)));
      BANKFEED_ASSIGN_OR_RETURN(Stmt update, db.Prepare("UPDATE accounts SET account_id = ?1, account_enc = ?2 "
                                                        "WHERE id = ?3",
                                                        "migrate ids: accounts"));
      BANKFEED_RETURN_IF_ERROR(update.BindText(1, account->id).BindBlob(2, sealed).Bind(3, row.id).Run());
      accounts[row.id] = AccountIds{row.tenant, row.account_id, account->id};
    }
  }
  // Balances name their account inside the envelope.
  for (const auto& [row, ids] : accounts) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt select, db.Prepare("SELECT ord, balance_enc FROM balances WHERE account_id = ?1 "
                                                      "ORDER BY ord",
                                                      "migrate ids: balances"));
    select.Bind(1, row);
    std::vector<std::pair<int64_t, std::string>> balances;
    for (;;) {
      BANKFEED_ASSIGN_OR_RETURN(const bool more, select.Step());
      if (!more) break;
      balances.emplace_back(select.Int(0), std::string(select.Blob(1)));
    }
    for (const auto& [ord, sealed] : balances) {
      const std::string ad = BalanceAd(ids.tenant, row, ord);
      BANKFEED_ASSIGN_OR_RETURN(std::string bytes, Open(sealed, ad, "balances.balance_enc"));
      auto balance = DecodeBalance(bytes);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      if (!balance) {
        return MakeError(ErrorCode::kInvalidInput, "store: balances.balance_enc: " + balance.error().message);
      }
      if (balance->account_id == ids.old_id) balance->account_id = ids.new_id;
      BANKFEED_ASSIGN_OR_RETURN(std::string record, EncodeBalance(*balance));
      const WipeOnExit wipe(record);
      BANKFEED_ASSIGN_OR_RETURN(const std::string resealed, Seal(record, ad));
      BANKFEED_ASSIGN_OR_RETURN(Stmt update, db.Prepare("UPDATE balances SET balance_enc = ?1 "
                                                        "WHERE account_id = ?2 AND ord = ?3",
                                                        "migrate ids: balances"));
      BANKFEED_RETURN_IF_ERROR(update.BindBlob(1, resealed).Bind(2, row).Bind(3, ord).Run());
    }
  }

  // Transactions, tenant by tenant, in the order of their latest change.
  std::vector<std::string> tenants;
  {
    BANKFEED_ASSIGN_OR_RETURN(Stmt select, db.Prepare("SELECT DISTINCT tenant FROM transactions ORDER BY tenant",
                                                      "migrate ids: tenants"));
    for (;;) {
      BANKFEED_ASSIGN_OR_RETURN(const bool more, select.Step());
      if (!more) break;
      tenants.emplace_back(select.Text(0));
    }
  }
  int64_t rewritten = 0;
  for (const std::string& tenant : tenants) {
    BANKFEED_ASSIGN_OR_RETURN(crypto::TxIdKeyer keyer, ids_->ForTenant(tenant));
    struct Row {
      int64_t id, account_row;
      std::string feed_id;
    };
    std::vector<Row> rows;
    {
      BANKFEED_ASSIGN_OR_RETURN(Stmt select, db.Prepare("SELECT id, account_id, feed_id FROM transactions "
                                                        "WHERE tenant = ?1 ORDER BY seq",
                                                        "migrate ids: transactions"));
      select.BindText(1, tenant);
      for (;;) {
        BANKFEED_ASSIGN_OR_RETURN(const bool more, select.Step());
        if (!more) break;
        rows.push_back({select.Int(0), select.Int(1), std::string(select.Text(2))});
      }
    }
    BANKFEED_ASSIGN_OR_RETURN(int64_t seq, ReadHead(db, tenant));
    std::string bytes, record;
    const WipeOnExit wipe_bytes(bytes), wipe_record(record);
    for (const Row& row : rows) {
      const auto account = accounts.find(row.account_row);
      if (account == accounts.end() || account->second.tenant != tenant) {
        return MakeError(ErrorCode::kInvalidInput, "store: transactions: a row names an account of another tenant");
      }
      BANKFEED_ASSIGN_OR_RETURN(Stmt select, db.Prepare("SELECT record_enc FROM transactions WHERE id = ?1",
                                                        "migrate ids: transactions"));
      BANKFEED_ASSIGN_OR_RETURN(const bool found, select.Bind(1, row.id).Step());
      if (!found) return MakeError(ErrorCode::kInternal, "store: migrate ids: a transaction row went missing");
      BANKFEED_ASSIGN_OR_RETURN(bytes, Open(select.Blob(0), TransactionAd(tenant, row.account_row, row.feed_id),
                                            "transactions.record_enc"));
      auto feed = DecodeFeedTransaction(bytes);
      if (!feed) return MakeError(ErrorCode::kInvalidInput, "store: transactions.record_enc: " + feed.error().message);
      Transaction& t = feed->transaction;
      BANKFEED_RETURN_IF_ERROR(keyer.Key(t.id, "transactions.feed_id"));
      if (t.account_id == account->second.old_id) t.account_id = account->second.new_id;
      BANKFEED_RETURN_IF_ERROR(KeyField(keyer, feed->pending_transaction_id, "pending_transaction_id"));
      BANKFEED_ASSIGN_OR_RETURN(record, EncodeFeedTransaction(*feed));
      BANKFEED_ASSIGN_OR_RETURN(const std::string sealed,
                                Seal(record, TransactionAd(tenant, row.account_row, t.id)));
      BANKFEED_ASSIGN_OR_RETURN(Stmt removal, db.Prepare("INSERT INTO removals(tenant, seq, account_id, feed_id) "
                                                         "VALUES (?1, ?2, ?3, ?4)",
                                                         "migrate ids: removals"));
      BANKFEED_RETURN_IF_ERROR(
          removal.BindText(1, tenant).Bind(2, ++seq).Bind(3, row.account_row).BindText(4, row.feed_id).Run());
      BANKFEED_ASSIGN_OR_RETURN(Stmt update, db.Prepare("UPDATE transactions SET feed_id = ?1, seq = ?2, kind = 0, "
                                                        "record_enc = ?3 WHERE id = ?4",
                                                        "migrate ids: transactions"));
      BANKFEED_RETURN_IF_ERROR(update.BindText(1, t.id).Bind(2, ++seq).BindBlob(3, sealed).Bind(4, row.id).Run());
      ++rewritten;
    }
    BANKFEED_ASSIGN_OR_RETURN(Stmt head, db.Prepare("INSERT INTO sequences(tenant, head_seq) VALUES (?1, ?2) "
                                                    "ON CONFLICT(tenant) DO UPDATE SET head_seq = excluded.head_seq",
                                                    "migrate ids: sequences"));
    BANKFEED_RETURN_IF_ERROR(head.BindText(1, tenant).Bind(2, seq).Run());
  }
  return rewritten + static_cast<int64_t>(accounts.size());
}

}  // namespace bankfeed::store
