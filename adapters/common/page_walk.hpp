// adapters/common/page_walk.hpp: every page of a paginated list of transactions, for every standard.
//
// A standard's connector reads one page (its request, its mapping, its link names); the walk does the rest, the
// same way for all: links resolved against the page they came from (absolute or relative), followed only on the
// API's origin or a host the profile allows, a cap on pages, loop detection (a `next` equal to the page's own
// `self`, or to any page already read), and a declared overlap between pages checked and dropped. Any error ends
// the walk and keeps nothing, so a caller never sees half a period as if it were all of it.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/page_overlap.hpp"
#include "adapters/common/url.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

// What a standard's reader found on one page.
struct Page {
  PageRows rows;                     // normalized and refused rows, in list order (`order` is filled by the walk)
  std::optional<std::string> next;   // the next page's link as sent (absolute or relative); none on the last page
  std::optional<std::string> self;   // the page's own link, when the bank sends one
  std::string request_id;            // the answer's, stamped on the walk's errors about this page
};

struct PageWalkRules {
  std::string bank_id;
  std::string what = "transactions";      // "transactions page 3: ..."
  std::string next_name = "_links.next";  // the standard's name of the link, for messages ("Links.Next")
  UrlParts origin;                        // the API's origin: links stay on it ...
  std::vector<std::string> link_hosts;    // ... or on one of these hosts (profile quirks.link_hosts), over https
  int page_cap = 1000;                    // more pages is kProtocol (profile quirks.page_cap)
  size_t overlap = 0;                     // rows each page repeats from the previous one (quirks.page_overlap)
  // The bank marks its last page with a `next` equal to its `self` (quirks.last_page_next_self): that ends the walk
  // instead of being refused as a loop.
  bool next_equal_self_ends = false;
};

struct WalkedRows {
  std::vector<Transaction> transactions;  // every page's rows in order, the overlap dropped; ids not assigned
  std::vector<RefusedRow> refused;        // rows the mapping refused, in page order
  int pages = 0;
};

// Reads the page at `url` (absolute); `page` counts from 1. An error ends the walk as it is.
using PageReader = std::function<Result<Page>(const std::string& url, int page)>;

Result<WalkedRows> WalkPages(std::string first_url, const PageWalkRules& rules, const PageReader& read);

// A link from a bank's answer, resolved against the URL it came from. kProtocol naming `what` (never the URL) when
// it does not parse, or leads anywhere but `origin` or, over https, one of `link_hosts` ("host" on port 443, or
// "host:port").
Result<std::string> FollowableLink(std::string_view from, std::string_view href, std::string_view what,
                                   const UrlParts& origin, std::span<const std::string> link_hosts,
                                   std::string_view bank_id);

}  // namespace bankfeed::adapters
