// The customer's IP address (PSU-IP-Address), checked wherever it enters: the CLI's --psu-ip, the daemon's
// psu_ip_address fields, and a connector's PsuContext before the header is sent.
//
//   if (!IsIpAddress(ip)) return MakeError(ErrorCode::kInvalidArgument, std::string("psu.ip_address: ") + kIpAddressExpected);
//
// Only a literal address is accepted: IPv4 dotted decimal or IPv6 text as inet_pton(3) reads it. No whitespace, no
// port, no brackets, no zone id ("%eth0": it means something only on the host that wrote it, never to a bank).
// The empty string is not an address; callers treat it as "the customer is not present" before asking.
#pragma once

#include <string_view>

namespace bankfeed {

inline constexpr char kIpAddressExpected[] = "expected an IPv4 or IPv6 address";

bool IsIpAddress(std::string_view text);

}  // namespace bankfeed
