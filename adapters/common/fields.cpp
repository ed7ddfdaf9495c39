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

Status ReadCurrencyCode(MapContext& ctx, od::value v, OptString& out) {
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, out));
  if (!out) return {};
  auto c = Currency::Parse(*out);
  if (!c) return ctx.Fail(c.error());
  return {};
}

}  // namespace bankfeed::adapters
