#include "adapters/common/customer_ip.hpp"

#include "common/ip_address.hpp"

namespace bankfeed::adapters {

void RememberCustomerIp(ConsentGrant& grant, const PsuContext& psu, const Quirks& quirks) {
  if (quirks.customer_ip_unattended && psu.ip_address && IsIpAddress(*psu.ip_address)) {
    grant.customer_ip = *psu.ip_address;
  }
}

Result<std::optional<std::string>> CustomerIpHeader(const PsuContext* psu, const ConsentGrant* grant,
                                                    const Quirks& quirks) {
  if (psu != nullptr && psu->ip_address) {
    // Only a literal address: anything else would be made-up presence, or header text of the caller's.
    if (!IsIpAddress(*psu->ip_address)) {
      return MakeError(ErrorCode::kInvalidArgument, std::string("psu.ip_address: ") + kIpAddressExpected);
    }
    return psu->ip_address;
  }
  if (!quirks.customer_ip_unattended || grant == nullptr) return std::nullopt;
  if (grant->customer_ip.empty() || !IsIpAddress(grant->customer_ip)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "psu.ip_address: the bank refuses reads without the customer's IP address, also unattended "
                     "(quirks.customer_ip_unattended), and the customer has not been present since this consent "
                     "was given; read once with the customer present");
  }
  return grant->customer_ip;
}

}  // namespace bankfeed::adapters
