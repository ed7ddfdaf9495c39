// The daily quota on unattended reads (frequencyPerDay): per consent, account and endpoint, per simulated day.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "bankfeed/datetime.hpp"

namespace bankfeed::sandbox {

class Quota {
 public:
  // Counts one read and returns true, or returns false without counting when `limit` reads were made already.
  bool TryConsume(std::string_view consent_id, std::string_view account, std::string_view endpoint, Date day,
                  int64_t limit);
  int64_t Used(std::string_view consent_id, std::string_view account, std::string_view endpoint, Date day) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string, int32_t>;
  mutable std::mutex mu_;
  std::map<Key, int64_t> used_;
};

}  // namespace bankfeed::sandbox
