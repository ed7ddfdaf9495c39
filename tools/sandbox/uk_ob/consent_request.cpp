// Account-access-consent requests. See uk_ob/consent_request.hpp.
#include "tools/sandbox/uk_ob/consent_request.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>

namespace bankfeed::sandbox::uk_ob {
namespace {

namespace dom = simdjson::dom;

constexpr std::array<std::string_view, 21> kPermissions = {
    "ReadAccountsBasic",
    "ReadAccountsDetail",
    "ReadBalances",
    "ReadBeneficiariesBasic",
    "ReadBeneficiariesDetail",
    "ReadDirectDebits",
    "ReadOffers",
    "ReadPAN",
    "ReadParty",
    "ReadPartyPSU",
    "ReadProducts",
    "ReadScheduledPaymentsBasic",
    "ReadScheduledPaymentsDetail",
    "ReadStandingOrdersBasic",
    "ReadStandingOrdersDetail",
    "ReadStatementsBasic",
    "ReadStatementsDetail",
    "ReadTransactionsBasic",
    "ReadTransactionsCredits",
    "ReadTransactionsDebits",
    "ReadTransactionsDetail",
};

tl::unexpected<ApiError> BadField(std::string_view code, std::string_view path, std::string_view reason) {
  return tl::unexpected(ApiError{400, std::string(code), std::string(path) + ": " + std::string(reason), {}});
}

bool Has(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

tl::expected<std::optional<TimeBound>, ApiError> ReadTime(dom::object data, std::string_view key) {
  dom::element value;
  if (data[key].get(value) != simdjson::SUCCESS) return std::optional<TimeBound>();
  const std::string path = "Data." + std::string(key);
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return BadField("UK.OBIE.Field.Invalid", path, "expected an ISO 8601 date-time string");
  }
  auto bound = ParseOffsetDateTime(text);
  if (!bound) return BadField("UK.OBIE.Field.InvalidDate", path, "expected an ISO 8601 date-time with an offset");
  return bound;
}

}  // namespace

bool IsKnownPermission(std::string_view permission) {
  return std::find(kPermissions.begin(), kPermissions.end(), permission) != kPermissions.end();
}

std::optional<TimeBound> ParseOffsetDateTime(std::string_view text) {
  const size_t t = text.find('T');
  if (t == std::string_view::npos || text.size() > 64) return std::nullopt;
  const std::string_view time = text.substr(t + 1);
  if (!time.ends_with('Z') && time.find_first_of("+-") == std::string_view::npos) return std::nullopt;
  auto parsed = ParseDateOrDateTime(text, TimeZone::Utc());
  if (!parsed || !parsed->datetime) return std::nullopt;
  TimeBound out{std::string(text), *parsed->datetime, {}};
  out.date = TimeZone::Utc().LocalDate(out.at.unix_seconds);
  return out;
}

tl::expected<AccessConsentRequest, ApiError> ParseAccessConsentRequest(std::string_view body) {
  if (body.size() > kMaxAccessConsentBody) return BadField("UK.OBIE.Field.Invalid", "body", "larger than 64 KiB");
  dom::parser parser;
  dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != simdjson::SUCCESS) {
    return BadField("UK.OBIE.Field.Invalid", "body", "expected a JSON object");
  }
  dom::object data, risk;
  if (root["Data"].error() == simdjson::NO_SUCH_FIELD) return BadField("UK.OBIE.Field.Missing", "Data", "missing");
  if (root["Data"].get_object().get(data) != simdjson::SUCCESS) {
    return BadField("UK.OBIE.Field.Invalid", "Data", "expected an object");
  }
  if (root["Risk"].error() == simdjson::NO_SUCH_FIELD) return BadField("UK.OBIE.Field.Missing", "Risk", "missing");
  if (root["Risk"].get_object().get(risk) != simdjson::SUCCESS) {
    return BadField("UK.OBIE.Field.Invalid", "Risk", "expected an object");
  }
  for (auto [key, value] : root) {
    if (key != "Data" && key != "Risk")
      return BadField("UK.OBIE.Field.Unexpected", key, "not a member of OBReadConsent1");
  }
  for (auto [key, value] : data) {
    if (key != "Permissions" && key != "ExpirationDateTime" && key != "TransactionFromDateTime" &&
        key != "TransactionToDateTime") {
      return BadField("UK.OBIE.Field.Unexpected", "Data." + std::string(key), "not a member of OBReadConsent1Data");
    }
  }

  AccessConsentRequest out;
  dom::array permissions;
  if (data["Permissions"].error() == simdjson::NO_SUCH_FIELD) {
    return BadField("UK.OBIE.Field.Missing", "Data.Permissions", "missing");
  }
  if (data["Permissions"].get_array().get(permissions) != simdjson::SUCCESS || permissions.size() == 0) {
    return BadField("UK.OBIE.Field.Invalid", "Data.Permissions", "expected a non-empty list of permission codes");
  }
  size_t i = 0;
  for (dom::element item : permissions) {
    const std::string path = "Data.Permissions[" + std::to_string(i++) + "]";
    std::string_view code;
    if (item.get_string().get(code) != simdjson::SUCCESS || !IsKnownPermission(code)) {
      return BadField("UK.OBIE.Field.Invalid", path, "not a v3.1 account-access permission code");
    }
    if (Has(out.permissions, code)) return BadField("UK.OBIE.Field.Invalid", path, "given twice");
    out.permissions.emplace_back(code);
  }
  const bool tx = Has(out.permissions, "ReadTransactionsBasic") || Has(out.permissions, "ReadTransactionsDetail");
  const bool direction =
      Has(out.permissions, "ReadTransactionsCredits") || Has(out.permissions, "ReadTransactionsDebits");
  if (tx && !direction) {
    return BadField("UK.OBIE.Field.Invalid", "Data.Permissions",
                    "ReadTransactionsBasic/Detail need ReadTransactionsCredits or ReadTransactionsDebits");
  }
  if (direction && !tx) {
    return BadField("UK.OBIE.Field.Invalid", "Data.Permissions",
                    "ReadTransactionsCredits/Debits need ReadTransactionsBasic or ReadTransactionsDetail");
  }
  BANKFEED_ASSIGN_OR_RETURN(out.expiration, ReadTime(data, "ExpirationDateTime"));
  BANKFEED_ASSIGN_OR_RETURN(out.transactions_from, ReadTime(data, "TransactionFromDateTime"));
  BANKFEED_ASSIGN_OR_RETURN(out.transactions_to, ReadTime(data, "TransactionToDateTime"));
  if (out.transactions_from && out.transactions_to && out.transactions_from->at > out.transactions_to->at) {
    return BadField("UK.OBIE.Field.Invalid", "Data.TransactionFromDateTime", "after TransactionToDateTime");
  }
  return out;
}

}  // namespace bankfeed::sandbox::uk_ob
