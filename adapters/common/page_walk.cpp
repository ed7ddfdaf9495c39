// Every page of a paginated list. See adapters/common/page_walk.hpp.
#include "adapters/common/page_walk.hpp"

#include <charconv>
#include <set>
#include <utility>

#include "adapters/common/bank_error.hpp"
#include "adapters/common/pages.hpp"

namespace bankfeed::adapters {
namespace {

// "host" (port 443) or "host:port", as profile quirks.link_hosts lists them, against an https URL's parts.
bool ListedHost(const UrlParts& url, std::span<const std::string> hosts) {
  if (url.scheme != "https") return false;
  for (const std::string& entry : hosts) {
    std::string_view host = entry;
    int port = 443;
    if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      const std::string_view digits = host.substr(colon + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
      if (ec != std::errc() || end != digits.data() + digits.size()) continue;
      host = host.substr(0, colon);
    }
    if (host == url.host && port == url.port) return true;
  }
  return false;
}

}  // namespace

Result<std::string> FollowableLink(std::string_view from, std::string_view href, std::string_view what,
                                   const UrlParts& origin, std::span<const std::string> link_hosts,
                                   std::string_view bank_id) {
  auto resolved = ResolveUrl(from, href, what);
  if (!resolved) {
    Error e = std::move(resolved).error();
    e.code = ErrorCode::kProtocol;
    if (e.bank_id.empty()) e.bank_id = std::string(bank_id);
    return tl::unexpected(std::move(e));
  }
  auto parts = ParseUrl(*resolved, what);
  if (!parts || !(SameOrigin(*parts, origin) || ListedHost(*parts, link_hosts))) {
    return tl::unexpected(BankError(ErrorCode::kProtocol,
                                    std::string(what) + ": points outside the bank's API origin; not followed",
                                    bank_id));
  }
  return resolved;
}

Result<WalkedRows> WalkPages(std::string first_url, const PageWalkRules& rules, const PageReader& read) {
  WalkedRows out;
  std::string url = std::move(first_url);
  std::set<std::string> visited{url};
  // Each page's rows (a declared overlap dropped), joined once at the end: a list grown page by page would move its
  // rows again at every reallocation.
  std::vector<std::vector<Transaction>> pages;
  PageRows previous;  // the last page, ordered, when the profile declares an overlap
  for (int number = 1;; ++number) {
    const std::string what = rules.what + " page " + std::to_string(number);
    BANKFEED_ASSIGN_OR_RETURN(Page page, read(url, number));
    out.pages = number;

    // A declared overlap: the page starts with the previous page's last rows. They are checked, then dropped.
    if (rules.overlap > 0) {
      OrderPage(page.rows);
      if (number > 1 && !DropOverlap(previous, page.rows, rules.overlap)) {
        return tl::unexpected(BankError(ErrorCode::kProtocol,
                                        what + ": the first rows do not repeat the previous page's last rows "
                                               "(profile page_overlap); nothing kept",
                                        rules.bank_id, page.request_id));
      }
      previous = page.rows;
    }
    pages.push_back(std::move(page.rows.rows));
    for (RefusedRow& r : page.rows.refused) out.refused.push_back(std::move(r));

    if (!page.next) break;
    const std::string link = what + ": " + rules.next_name;
    if (number >= rules.page_cap) {
      return tl::unexpected(BankError(ErrorCode::kProtocol,
                                      rules.what + ": more than " + std::to_string(rules.page_cap) +
                                          " pages (profile page_cap); nothing kept",
                                      rules.bank_id));
    }
    BANKFEED_ASSIGN_OR_RETURN(std::string next,
                              FollowableLink(url, *page.next, link, rules.origin, rules.link_hosts, rules.bank_id));
    if (page.self) {
      // `self` as the bank wrote it: a `next` equal to it is a loop even when `self` is not the URL just read.
      auto self = ResolveUrl(url, *page.self, what + ": self");
      if (self && *self == next) {
        if (rules.next_equal_self_ends) break;
        return tl::unexpected(BankError(ErrorCode::kProtocol,
                                        link + " equals the page's own self link (pagination loop); nothing kept",
                                        rules.bank_id, page.request_id));
      }
    }
    if (!visited.insert(next).second) {
      return tl::unexpected(BankError(ErrorCode::kProtocol,
                                      link + " repeats an earlier page (pagination loop); nothing kept",
                                      rules.bank_id, page.request_id));
    }
    url = std::move(next);
  }
  out.transactions = JoinPages(pages);
  return out;
}

}  // namespace bankfeed::adapters
