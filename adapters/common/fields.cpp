#include "adapters/common/fields.hpp"

#include <algorithm>
#include <array>

namespace bankfeed::adapters {

std::string MaskPan(std::string_view pan) {
  // Only a plain card number (digits, or digits already partly masked) keeps its first 6 and last 4; anything else
  // is masked whole, byte by byte, so no fragment of a multi-byte character can survive.
  const bool plain = std::all_of(pan.begin(), pan.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == 'X' || c == 'x';
  });
  std::string out(pan);
  if (!plain || out.size() <= 10) return std::string(out.size(), '*');
  for (size_t i = 6; i + 4 < out.size(); ++i) out[i] = '*';
  return out;
}

bool IsIsoBalanceCode(std::string_view code) {
  static constexpr std::array<std::string_view, 12> kCodes{"CLBD", "XPCD", "OPBD", "ITAV", "ITBD", "FWAV",
                                                           "CLAV", "OPAV", "INFO", "PRCD", "VALU", "OTHR"};
  for (std::string_view c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

namespace {

// Lower-case letters and digits only: "INTERIM_AVAILABLE", "interim-available" and "interimAvailable" are alike.
std::string Folded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

}  // namespace

Status ReadBalanceType(MapContext& ctx, od::value v, std::span<const BalanceTypeName> names, Balance& b) {
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, b.bank_type));
  if (!b.bank_type) return ctx.Fail("missing balance type");
  if (*b.bank_type == "string") return ctx.Fail("a placeholder, not a balance type");
  const std::string folded = Folded(*b.bank_type);
  for (const auto& [name, code] : names) {
    if (Folded(name) == folded) {
      b.type = code;
      return {};
    }
  }
  std::string upper = folded;
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  b.type = IsIsoBalanceCode(upper) ? upper : "OTHR";
  return {};
}

Status ReadCurrencyCode(MapContext& ctx, od::value v, OptString& out) {
  std::optional<Currency> c;
  BANKFEED_RETURN_IF_ERROR(ReadCurrency(ctx, v, c));
  if (c) {
    out.emplace(c->code());
  } else {
    out.reset();
  }
  return {};
}

}  // namespace bankfeed::adapters
