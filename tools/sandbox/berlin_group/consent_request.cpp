#include "tools/sandbox/berlin_group/consent_request.hpp"

#include <simdjson.h>

#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

namespace od = simdjson::ondemand;

tl::unexpected<Error> Bad(std::string_view path, std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, std::string(path) + ": " + std::string(reason));
}

Result<std::string> ReadString(od::value v, std::string_view path) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return Bad(path, "expected a string");
  return std::string(s);
}

Result<bool> ReadBool(od::value v, std::string_view path) {
  bool b = false;
  if (v.get_bool().get(b) != simdjson::SUCCESS) return Bad(path, "expected true or false");
  return b;
}

Result<std::string> ReadAllAccounts(od::value v, std::string_view path) {
  BANKFEED_ASSIGN_OR_RETURN(std::string word, ReadString(v, path));
  if (word != "allAccounts" && word != "allAccountsWithOwnerName") {
    return Bad(path, "expected allAccounts or allAccountsWithOwnerName");
  }
  return word;
}

Result<AccountReference> ReadReference(od::value v, const std::string& path) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return Bad(path, "expected an account reference object");
  AccountReference ref;
  bool has_iban = false;
  for (auto field : obj) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
      return Bad(path, "not valid JSON");
    }
    if (key == "iban") {
      if (has_iban) return Bad(path + ".iban", "given twice");
      BANKFEED_ASSIGN_OR_RETURN(ref.iban, ReadString(value, path + ".iban"));
      if (!IsValidIban(ref.iban)) return Bad(path + ".iban", "not a valid IBAN");
      has_iban = true;
    } else if (key == "currency") {
      BANKFEED_ASSIGN_OR_RETURN(ref.currency, ReadString(value, path + ".currency"));
      if (!Currency::Parse(ref.currency)) return Bad(path + ".currency", "not an ISO 4217 code");
    } else if (key == "bban" || key == "pan" || key == "maskedPan" || key == "msisdn" || key == "other") {
      return Bad(path, "only IBAN account references are supported");
    }
  }
  if (!has_iban) return Bad(path + ".iban", "missing");
  return ref;
}

Status ReadReferences(od::value v, const std::string& path, std::vector<AccountReference>& out) {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return Bad(path, "expected an array of account references");
  size_t i = 0;
  for (auto item : arr) {
    const std::string item_path = path + "[" + std::to_string(i++) + "]";
    if (i > kMaxAccountReferences) return Bad(path, "too many account references");
    od::value value;
    if (item.get(value) != simdjson::SUCCESS) return Bad(item_path, "not valid JSON");
    BANKFEED_ASSIGN_OR_RETURN(AccountReference ref, ReadReference(value, item_path));
    out.push_back(std::move(ref));
  }
  return {};
}

Status ReadAccess(od::value v, ConsentRequest& out) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return Bad("access", "expected an object");
  bool seen[6] = {};
  constexpr std::string_view kKeys[6] = {"accounts", "balances", "transactions", "availableAccounts",
                                         "availableAccountsWithBalance", "allPsd2"};
  for (auto field : obj) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
      return Bad("access", "not valid JSON");
    }
    size_t k = 0;
    while (k < 6 && kKeys[k] != key) ++k;
    if (k == 6) continue;  // additionalInformation, restrictedTo, ...: not modelled, ignored as banks do
    const std::string path = "access." + std::string(key);
    if (seen[k]) return Bad(path, "given twice");
    seen[k] = true;
    if (k < 3) {
      std::vector<AccountReference>& list = k == 0 ? out.accounts : k == 1 ? out.balances : out.transactions;
      BANKFEED_RETURN_IF_ERROR(ReadReferences(value, path, list));
    } else {
      std::string& word = k == 3 ? out.available_accounts : k == 4 ? out.available_accounts_with_balance : out.all_psd2;
      BANKFEED_ASSIGN_OR_RETURN(word, ReadAllAccounts(value, path));
    }
  }
  const bool all = !out.available_accounts.empty() || !out.available_accounts_with_balance.empty() ||
                   !out.all_psd2.empty();
  if (all && out.HasAccountLists()) return Bad("access", "allPsd2 and availableAccounts exclude account lists");
  if (!all && !out.HasAccountLists()) return Bad("access", "grants nothing");
  return {};
}

}  // namespace

Result<ConsentRequest> ParseConsentRequest(std::string_view body) {
  if (body.size() > kMaxConsentBody) return Bad("body", "too long");
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS) {
    return Bad("body", "expected a JSON object");
  }
  ConsentRequest out;
  bool access = false, recurring = false, valid_until = false, frequency = false, combined = false;
  const auto once = [](bool& seen, std::string_view path) -> Status {
    if (seen) return Bad(path, "given twice");
    seen = true;
    return {};
  };
  for (auto field : root) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
      return Bad("body", "not valid JSON");
    }
    if (key == "access") {
      BANKFEED_RETURN_IF_ERROR(once(access, key));
      BANKFEED_RETURN_IF_ERROR(ReadAccess(value, out));
    } else if (key == "recurringIndicator") {
      BANKFEED_RETURN_IF_ERROR(once(recurring, key));
      BANKFEED_ASSIGN_OR_RETURN(out.recurring, ReadBool(value, key));
    } else if (key == "validUntil") {
      BANKFEED_RETURN_IF_ERROR(once(valid_until, key));
      BANKFEED_ASSIGN_OR_RETURN(const std::string text, ReadString(value, key));
      auto date = Date::Parse(text);
      if (!date) return Bad(key, "expected a date YYYY-MM-DD");
      out.valid_until = *date;
    } else if (key == "frequencyPerDay") {
      BANKFEED_RETURN_IF_ERROR(once(frequency, key));
      if (value.get_int64().get(out.frequency_per_day) != simdjson::SUCCESS || out.frequency_per_day < 1 ||
          out.frequency_per_day > 1'000'000) {
        return Bad(key, "expected an integer from 1 to 1000000");
      }
    } else if (key == "combinedServiceIndicator") {
      BANKFEED_RETURN_IF_ERROR(once(combined, key));
      BANKFEED_ASSIGN_OR_RETURN(out.combined_service, ReadBool(value, key));
    }
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return Bad("body", "trailing content after the object");
  if (!access) return Bad("access", "missing");
  if (!recurring) return Bad("recurringIndicator", "missing");
  if (!valid_until) return Bad("validUntil", "missing");
  if (!frequency) return Bad("frequencyPerDay", "missing");
  if (!combined) return Bad("combinedServiceIndicator", "missing");
  return out;
}

}  // namespace bankfeed::sandbox::berlin_group
