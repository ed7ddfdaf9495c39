#include "ingest_pages.hpp"

#include "gen_common.hpp"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string_view>

namespace bankfeed::bench {
namespace {

// One row as a JSON object. `id` empty: the bank sends no ids for it. Pending rows carry their own day as valueDate.
std::string Row(Rng& rng, size_t day, const std::string& id, bool booked, const std::string& resource_id) {
  std::string out;
  Json j(out);
  const BerlinGroupRowIds ids{
      [&id](Json& json, Rng& r) {
        if (id.empty()) return;
        json.Field("transactionId", id);
        if (r.Chance(40)) json.Field("entryReference", Digits(r, 12, "E"));
      },
      [&](Rng&) -> std::optional<std::string> {
        if (id.empty()) return std::nullopt;
        return Cat({"/psd2/v1/accounts/", resource_id, "/transactions/", id});
      },
      true};
  WriteBerlinGroupRow(j, rng, day, booked, ids);
  return out;
}

}  // namespace

AccountPages GenerateAccountPages(size_t account, size_t rows, size_t page_size, uint64_t seed) {
  AccountPages a;
  Rng rng(seed ^ (0x5bd1e995ULL * (account + 1)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "DE%02u10010010%010zu", static_cast<unsigned>(10 + account % 90), account);
  a.iban = buf;
  std::snprintf(buf, sizeof buf, "3dc3d5b3-7023-4848-%04zx-%012zx", account % 0xffff, account * 2654435761u);
  a.resource_id = buf;
  if (page_size == 0) page_size = 1;

  // The rows in the order the bank sends them: booked oldest first, then pending.
  const size_t pending = rows >= 50 ? rows / 50 : 0;
  const size_t booked = rows - pending;
  std::vector<std::string> booked_rows, pending_rows;
  booked_rows.reserve(booked);
  size_t next_id = 1;
  const auto id = [&](bool with_id) {
    if (!with_id) return std::string();
    std::snprintf(buf, sizeof buf, "%zu%08zu", 1000 + account, next_id++);
    return std::string(buf);
  };
  while (booked_rows.size() < booked) {
    const size_t day = booked_rows.size() * 366 / booked;
    if (booked_rows.size() + 2 <= booked && rng.ChancePermille(5)) {  // a twin pair: no ids, sent twice
      booked_rows.push_back(Row(rng, day, {}, true, a.resource_id));
      booked_rows.push_back(booked_rows.back());
      ++a.twins;
      continue;
    }
    booked_rows.push_back(Row(rng, day, id(rng.Chance(95)), true, a.resource_id));
  }
  for (size_t i = 0; i < pending; ++i) {
    pending_rows.push_back(Row(rng, 363 + rng.Below(3), id(rng.Chance(95)), false, a.resource_id));
  }
  a.rows = rows;
  a.pending = pending;

  // Pages: booked rows in page_size slices; the pending rows fill the last slice's room and then their own.
  const size_t total_pages = rows == 0 ? 1 : (rows + page_size - 1) / page_size;
  size_t b = 0, p = 0;
  for (size_t page = 0; page < total_pages; ++page) {
    std::string out;
    out.reserve(page_size * 700 + 512);
    Json j(out);
    j.Object();
    j.Key("account");
    j.Object();
    j.Field("iban", a.iban);
    j.Field("currency", "EUR");
    j.EndObject();
    j.Key("transactions");
    j.Object();
    size_t room = page_size;
    j.Key("booked");
    j.Array();
    for (; room > 0 && b < booked_rows.size(); --room) j.Raw(booked_rows[b++]);
    j.EndArray();
    j.Key("pending");
    j.Array();
    for (; room > 0 && b == booked_rows.size() && p < pending_rows.size(); --room) j.Raw(pending_rows[p++]);
    j.EndArray();
    j.Key("_links");
    j.Object();
    j.Key("account");
    j.Object();
    j.Field("href", Cat({"/psd2/v1/accounts/", a.resource_id}));
    j.EndObject();
    if (page + 1 < total_pages) {
      j.Key("next");
      j.Object();
      std::snprintf(buf, sizeof buf, "&page=%zu", page + 2);
      j.Field("href", Cat({"/psd2/v1/accounts/", a.resource_id, "/transactions?bookingStatus=both&dateFrom=2024-01-01",
                           buf}));
      j.EndObject();
    }
    j.EndObject();
    j.EndObject();
    j.EndObject();
    a.bytes += out.size();
    a.pages.push_back(std::move(out));
  }

  std::string bal;
  Json j(bal);
  j.Object();
  j.Key("account");
  j.Object();
  j.Field("iban", a.iban);
  j.EndObject();
  j.Key("balances");
  j.Array();
  for (const std::string_view type : {"closingBooked", "interimAvailable"}) {
    j.Object();
    j.Key("balanceAmount");
    MoneyObject(j, rng, "amount", "currency", "EUR", false, 0);
    j.Field("balanceType", type);
    j.Field("referenceDate", DateOf(365));
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  a.balances = std::move(bal);
  return a;
}

}  // namespace bankfeed::bench
