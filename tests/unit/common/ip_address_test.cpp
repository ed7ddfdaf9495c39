#include "src/common/ip_address.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bankfeed {
namespace {

TEST(IpAddress, AcceptsLiteralIpv4AndIpv6Addresses) {
  for (const char* ip : {"192.0.2.10", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::10",
                         "2001:0db8:0000:0000:0000:0000:0000:0010", "::ffff:192.0.2.10", "FE80::1"}) {
    EXPECT_TRUE(IsIpAddress(ip)) << ip;
  }
}

TEST(IpAddress, RefusesAnythingElse) {
  for (const std::string& ip :
       {std::string(), std::string("localhost"), std::string("192.0.2"), std::string("192.0.2.256"),
        std::string("192.0.2.10 "), std::string(" 192.0.2.10"), std::string("192.0.2.10\r\nX-Evil: 1"),
        std::string("192.0.2.10:443"), std::string("[2001:db8::1]"), std::string("[2001:db8::1]:443"),
        std::string("fe80::1%eth0"), std::string("192.0.2.010"), std::string("0x7f.0.0.1"), std::string("2001:db8::g"),
        std::string("1.2.3.4.5"), std::string("192.0.2.10\0junk", 15), std::string(64, '1'),
        std::string("::ffff:192.0.2.10.1"), std::string("made-up")}) {
    EXPECT_FALSE(IsIpAddress(ip)) << ip;
  }
}

}  // namespace
}  // namespace bankfeed
