#include "adapters/berlin_group/consent.hpp"

#include <simdjson.h>

#include "common/text.hpp"

namespace bankfeed::berlin_group {
namespace od = simdjson::ondemand;
namespace {

void AppendAccountList(std::string& out, std::string_view name, const std::vector<std::string>& ibans) {
  out += '"';
  out += name;
  out += "\":[";
  for (size_t i = 0; i < ibans.size(); ++i) {
    if (i) out += ',';
    out += "{\"iban\":";
    AppendJsonString(out, ibans[i]);
    out += '}';
  }
  out += ']';
}

bool LooksLikeIban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  for (size_t i = 0; i < iban.size(); ++i) {
    char c = iban[i];
    bool ok = i < 2 ? (c >= 'A' && c <= 'Z') : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!ok) return false;
  }
  return true;
}

std::string LastSegment(std::string_view href) {
  size_t q = href.find('?');
  href = href.substr(0, q);
  while (!href.empty() && href.back() == '/') href.remove_suffix(1);
  size_t slash = href.rfind('/');
  return std::string(slash == std::string_view::npos ? href : href.substr(slash + 1));
}

}  // namespace

Result<std::string> ConsentRequestBody(const ConsentRequest& request) {
  if (request.frequency_per_day < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "consent.frequency_per_day: must be at least 1");
  }
  if (!request.recurring && request.frequency_per_day != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "consent.frequency_per_day: must be 1 for a one-off consent");
  }
  const ConsentPermissions& p = request.permissions;
  const bool reads = request.scope != ConsentRequest::Scope::kAccountsOnly;
  if (reads && p.transactions && !(p.credits && p.debits)) {
    return MakeError(ErrorCode::kInvalidArgument, "consent.permissions: Berlin Group cannot limit transactions to "
                                                  "credits or debits");
  }
  if (reads && p.transactions && !p.transaction_details) {
    return MakeError(ErrorCode::kInvalidArgument, "consent.permissions: Berlin Group cannot ask for transactions "
                                                  "without their details");
  }
  std::string out = "{\"access\":{";
  switch (request.scope) {
    case ConsentRequest::Scope::kAllAccounts:
      // allPsd2 grants balances and transactions of every account; asking for less needs the narrower forms.
      if (p.balances && p.transactions) {
        out += "\"allPsd2\":\"allAccounts\"";
      } else if (p.transactions) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "consent.permissions: Berlin Group cannot ask for every account's transactions without "
                         "their balances; list the accounts (listed-accounts)");
      } else {
        out += p.balances ? "\"availableAccountsWithBalance\":\"allAccounts\""
                          : "\"availableAccounts\":\"allAccounts\"";
      }
      break;
    case ConsentRequest::Scope::kAccountsOnly:
      out += "\"availableAccounts\":\"allAccounts\"";
      break;
    case ConsentRequest::Scope::kListedAccounts:
      if (request.ibans.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "consent.ibans: empty for listed accounts");
      }
      for (size_t i = 0; i < request.ibans.size(); ++i) {
        if (!LooksLikeIban(request.ibans[i])) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "consent.ibans[" + std::to_string(i) + "]: not an IBAN (upper-case, no spaces)");
        }
      }
      AppendAccountList(out, "accounts", request.ibans);
      if (p.balances) {
        out += ',';
        AppendAccountList(out, "balances", request.ibans);
      }
      if (p.transactions) {
        out += ',';
        AppendAccountList(out, "transactions", request.ibans);
      }
      break;
  }
  out += "},\"recurringIndicator\":";
  out += request.recurring ? "true" : "false";
  out += ",\"validUntil\":\"" + request.valid_until.ToString() + "\"";
  out += ",\"frequencyPerDay\":" + std::to_string(request.frequency_per_day);
  out += ",\"combinedServiceIndicator\":false}";
  return out;
}

Result<AuthorisationAnswer> ReadAuthorisationAnswer(std::string_view body) {
  auto fail = [](std::string_view path, std::string_view reason) {
    return MakeError(ErrorCode::kInvalidInput, std::string(path) + ": " + std::string(reason));
  };
  AuthorisationAnswer out;
  BANKFEED_ASSIGN_OR_RETURN(out.links, adapters::ReadLinks(body));
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS) {
    return fail("(root)", "expected an object");
  }
  for (auto field : root) {
    std::string_view key, text;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
      return fail("(root)", "not JSON");
    }
    std::string* target = key == "consentId"         ? &out.consent_id
                          : key == "authorisationId" ? &out.authorisation_id
                          : key == "scaStatus"       ? &out.sca_status
                          : key == "consentStatus"   ? &out.consent_status
                          : key == "psuMessage"      ? &out.psu_message
                                                     : nullptr;
    if (!target) continue;
    if (v.get_string().get(text) != simdjson::SUCCESS) return fail(key, "expected a string");
    if (text.size() > 4096) return fail(key, "over 4096 characters");
    target->assign(text);
  }
  if (out.authorisation_id.empty()) {
    // ".../consents/{id}/authorisations/{authorisationId}" is where the status link of an authorisation points.
    auto it = out.links.find("scaStatus");
    if (it != out.links.end() && it->second.find("/authorisations/") != std::string::npos) {
      out.authorisation_id = LastSegment(it->second);
    }
  }
  return out;
}

}  // namespace bankfeed::berlin_group
