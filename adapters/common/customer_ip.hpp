// The customer's IP address header (Berlin Group PSU-IP-Address, UK x-fapi-customer-ip-address): sent while the
// customer is present and, for a bank whose profile says it refuses every read without it
// (quirks.customer_ip_unattended), also on unattended reads, with the address the customer last used with us.
//
// That address is personal data. It is kept in the grant (sealed with it in the store, erased with it) only for such
// a bank; for any other bank it is never kept.
#pragma once

#include <optional>
#include <string>

#include "bankfeed/connector.hpp"
#include "bankfeed/profile.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

// Keeps a present customer's address in the grant when the bank needs it later (quirks.customer_ip_unattended).
void RememberCustomerIp(ConsentGrant& grant, const PsuContext& psu, const Quirks& quirks);

// The header's value for one request, or none:
// - the customer is present: their address (kInvalidArgument "psu.ip_address: ..." when it is not a literal one);
// - unattended, for a bank with quirks.customer_ip_unattended: the grant's remembered address, or kInvalidArgument
//   when the customer was never present since the consent was given under that profile;
// - otherwise none.
Result<std::optional<std::string>> CustomerIpHeader(const PsuContext* psu, const ConsentGrant* grant,
                                                    const Quirks& quirks);

}  // namespace bankfeed::adapters
