// The hyperlinks of a Berlin Group response (`_links`), for pagination and the consent flow.
//
// Accepted shapes, at the root or inside `transactions` (where Berlin Group puts the paging links):
//   "_links": {"next": {"href": "..."}, "self": {"href": "..."}}       the spec
//   "_links": {"next": "..."}                                            a bare href
//   "_links": [{"rel": "next", "href": "..."}]                           an array of rel/href objects
//   "_links": [{"next": {"href": "..."}}]                                an array of one-link objects
// When both levels carry the same name, the one inside `transactions` wins.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::berlin_group {

using Links = std::map<std::string, std::string>;  // name ("next", "self", "scaRedirect", ...) → href as sent

// kInvalidInput naming the path ("transactions._links[2].href: expected a string") when a link is malformed; a
// body that is not JSON at all is kInvalidInput too.
Result<Links> ReadLinks(std::string_view body);

}  // namespace bankfeed::berlin_group
