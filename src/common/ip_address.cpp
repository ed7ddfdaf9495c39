#include "common/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

namespace bankfeed {

bool IsIpAddress(std::string_view text) {
  // The longest IPv6 text form (with an embedded IPv4 tail) is INET6_ADDRSTRLEN - 1 characters. inet_pton reads a
  // C string, so an embedded NUL would hide what follows it: refuse it here.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos) return false;
  const std::string c_text(text);
  in6_addr out{};  // large enough for either family
  return ::inet_pton(AF_INET, c_text.c_str(), &out) == 1 || ::inet_pton(AF_INET6, c_text.c_str(), &out) == 1;
}

}  // namespace bankfeed
