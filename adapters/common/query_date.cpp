// A date in a bank's query format. See adapters/common/query_date.hpp.
#include "adapters/common/query_date.hpp"

namespace bankfeed::adapters {

std::string FormatQueryDate(const Date& date, std::string_view format) {
  const std::string iso = date.ToString();  // YYYY-MM-DD
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      char spec = format[++i];
      if (spec == 'Y') out += iso.substr(0, 4);
      else if (spec == 'm') out += iso.substr(5, 2);
      else if (spec == 'd') out += iso.substr(8, 2);
      else out += spec;
    } else {
      out += format[i];
    }
  }
  return out;
}

}  // namespace bankfeed::adapters
