#include "standards.hpp"

#include <array>

#include "adapters/berlin_group/adapter.hpp"
#include "adapters/berlin_group/mapping.hpp"
#include "adapters/stet/connector.hpp"
#include "adapters/stet/mapping.hpp"
#include "adapters/uk_ob/connector.hpp"
#include "adapters/uk_ob/mapping.hpp"

namespace bankfeed {
namespace {

constexpr std::array<StandardEntry, 3> kStandards{{
    {Standard::kBerlinGroup, "berlin-group", berlin_group::MapTransactions, berlin_group::MapAccounts,
     berlin_group::MapBalances, berlin_group::MapConsent, berlin_group::StreamTransactions,
     berlin_group::WrapTransactionRow, berlin_group::BerlinGroupConnector::Make, nullptr},
    {Standard::kUkOpenBanking, "uk-ob", uk_ob::MapTransactions, uk_ob::MapAccounts, uk_ob::MapBalances,
     uk_ob::MapConsent, uk_ob::StreamTransactions, uk_ob::WrapTransactionRow, uk_ob::UkConnector::Make,
     uk_ob::UkConnector::MakeRegistrar},
    {Standard::kStet, "stet", stet::MapTransactions, stet::MapAccounts, stet::MapBalances, stet::MapConsent,
     stet::StreamTransactions, stet::WrapTransactionRow, stet::StetConnector::Make, nullptr},
}};

// Rows in the enum's order, so that a row is found by its index.
constexpr bool InEnumOrder() {
  for (size_t i = 0; i < kStandards.size(); ++i) {
    if (kStandards[i].standard != static_cast<Standard>(i)) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kStandards must list the standards in the order of enum class Standard");

}  // namespace

std::span<const StandardEntry> Standards() { return kStandards; }

const StandardEntry& EntryFor(Standard s) {
  const auto i = static_cast<size_t>(s);
  return i < kStandards.size() ? kStandards[i] : kStandards[0];  // out of range only from a cast, never from a parse
}

}  // namespace bankfeed
