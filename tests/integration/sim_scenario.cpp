#include "integration/sim_scenario.hpp"

#include <random>
#include <vector>

#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

struct Merchant {
  const char* name;
  const char* iban;  // empty: name only
};

constexpr Merchant kMerchants[] = {
    {"Lidl Berlin", "DE02120300000000202051"}, {"Cafe Nero", ""},
    {"Deutsche Bahn", "DE75512108001245126199"}, {"Stadtwerke Muenchen", "DE89370400440532013000"},
    {"Amazon EU", ""}, {"Shell Station 42", ""}, {"Apotheke am Markt", ""}, {"ACME Payroll", "NL91ABNA0417164300"},
};

constexpr const char* kAccountIbans[] = {"DE44500105175407324931", "DE12500105170648489890", "DE27100777770209299700"};

std::string Amount(std::mt19937_64& rng, bool credit) {
  const uint64_t cents = 100 + rng() % 20'000;
  std::string text = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
  return credit ? text : "-" + text;
}

// The amount scaled by (100 + delta)%, rounded to cents: a tip or a final fuel price.
std::string Adjusted(const std::string& amount, int delta_percent) {
  const bool negative = amount[0] == '-';
  const std::string digits = negative ? amount.substr(1) : amount;
  const size_t dot = digits.find('.');
  const int64_t cents = std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
  const int64_t scaled = std::max<int64_t>(1, cents * (100 + delta_percent) / 100);
  return std::string(negative ? "-" : "") + std::to_string(scaled / 100) + "." + (scaled % 100 < 10 ? "0" : "") +
         std::to_string(scaled % 100);
}

std::string Counterparty(const Merchant& m) {
  std::string out = "{name: \"" + std::string(m.name) + "\"";
  if (*m.iban) out += ", iban: " + std::string(m.iban);
  return out + "}";
}

std::string AmountText(const Decimal& d) { return d.ToString(2); }

}  // namespace

std::string SimulationScenario(const SimulationSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::string y = "standard: berlin-group\npsus:\n  - id: psu-1\n    accounts:\n";
  int next_id = 0;
  for (int a = 0; a < 3; ++a) {
    y += "      - resource_id: acc-" + std::to_string(a + 1) + "\n        iban: " + kAccountIbans[a] +
         "\n        currency: EUR\n        name: Konto " + std::to_string(a + 1) +
         "\n        balances: [{type: CLBD, amount: \"1000.00\"}]\n        transactions:\n";
    for (int day = 0; day < spec.days; ++day) {
      const std::string date = Date{spec.first.days_since_epoch + day}.ToString();
      const int booked = static_cast<int>(rng() % 4);
      for (int i = 0; i < booked; ++i) {
        const Merchant& m = kMerchants[rng() % std::size(kMerchants)];
        const bool credit = std::string_view(m.name) == "ACME Payroll";
        const std::string row = ", status: booked, booking_date: " + date + ", amount: \"" + Amount(rng, credit) +
                                "\", counterparty: " + Counterparty(m) + ", remittance: \"ref " +
                                std::to_string(rng() % 100'000) + "\"}\n";
        y += "          - {id: t" + std::to_string(next_id++) + row;
        if (rng() % 12 == 0) y += "          - {id: t" + std::to_string(next_id++) + row;  // a real twin
      }
      if (rng() % 2 == 0) {
        const Merchant& m = kMerchants[rng() % 7];
        const std::string amount = Amount(rng, false);
        const int books_after = 1 + static_cast<int>(rng() % 4);
        const std::string books_on = Date{spec.first.days_since_epoch + day + books_after}.ToString();
        const bool changes = rng() % 3 == 0;
        const std::string booked_amount = changes ? Adjusted(amount, static_cast<int>(rng() % 21) - 10) : amount;
        const bool twin = rng() % 10 == 0;
        for (int copy = 0; copy < (twin ? 2 : 1); ++copy) {
          const std::string id = "p" + std::to_string(next_id++);
          y += "          - {id: " + id + ", status: pending, value_date: " + date + ", amount: \"" + amount +
               "\", counterparty: " + Counterparty(m) + ", remittance: \"card " + std::to_string(day) +
               "\", books_on: " + books_on + ", booked: {id: " + id + "b, amount: \"" + booked_amount + "\"}}\n";
        }
      }
    }
  }
  y += "behaviour:\n  page_size: " + std::to_string(spec.page_size) + "\n  ids: " + spec.ids +
       "\n  page_overlap: " + std::to_string(spec.page_overlap) +
       "\n  frequency_per_day: " + std::to_string(spec.frequency_per_day) + "\n  faults: " + spec.faults_yaml + "\n";
  return y;
}

TruthKeys TruthAt(const sandbox::Scenario& scenario, Date today) {
  TruthKeys keys;
  for (const sandbox::Psu& psu : scenario.psus) {
    for (const sandbox::ScenarioAccount& account : psu.accounts) {
      for (const sandbox::TransactionView& v : sandbox::VisibleTransactions(account, today)) {
        const std::string name = v.row->counterparty ? v.row->counterparty->name : "";
        keys.insert(account.resource_id + "|" + (v.booked ? "booked" : "pending") + "|" +
                    (v.booking_date ? v.booking_date->ToString() : "-") + "|" + v.value_date.ToString() + "|" +
                    AmountText(v.amount) + "|" + name + "|" + v.row->remittance);
      }
    }
  }
  return keys;
}

TruthKeys FeedKeys(const std::map<std::string, FeedTransaction>& current,
                   const std::map<std::string, std::string>& resource_ids) {
  TruthKeys keys;
  for (const auto& [key, ft] : current) {
    const Transaction& t = ft.transaction;
    const auto it = resource_ids.find(t.account_id.value_or(""));
    const auto& party = t.Counterparty();
    keys.insert((it == resource_ids.end() ? "?" : it->second) + "|" + std::string(TransactionStatusName(t.status)) +
                "|" + (t.booking_date ? t.booking_date->ToString() : "-") + "|" +
                (t.value_date ? t.value_date->ToString() : "-") + "|" + AmountText(t.amount.amount) + "|" +
                (party && party->name ? *party->name : "") + "|" + t.remittance.value_or(""));
  }
  return keys;
}

void ApplyFeed(const std::vector<FeedEntry>& entries, std::map<std::string, FeedTransaction>& current) {
  for (const FeedEntry& e : entries) {
    const std::string key = e.account_id + "/" + e.transaction_id;
    if (e.kind == ChangeKind::kRemoved) {
      current.erase(key);
    } else if (e.transaction) {
      current[key] = *e.transaction;
    }
  }
}

SqliteStoreOptions StoreOptions(const std::string& dir) {
  SqliteStoreOptions options;
  options.path = dir + "/feed.db";
  options.key_file = dir + "/keys";
  return options;
}

std::string Difference(const TruthKeys& expected, const TruthKeys& actual, size_t max_lines) {
  std::string out;
  size_t lines = 0;
  TruthKeys missing = expected, extra = actual;
  for (const std::string& k : actual) {
    if (auto it = missing.find(k); it != missing.end()) missing.erase(it);
  }
  for (const std::string& k : expected) {
    if (auto it = extra.find(k); it != extra.end()) extra.erase(it);
  }
  for (const std::string& k : missing) {
    if (lines++ < max_lines) out += "  lost:       " + k + "\n";
  }
  for (const std::string& k : extra) {
    if (lines++ < max_lines) out += "  duplicated: " + k + "\n";
  }
  return out + "  (" + std::to_string(missing.size()) + " lost, " + std::to_string(extra.size()) + " extra)\n";
}

}  // namespace bankfeed::testing
