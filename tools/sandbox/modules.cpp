// The explicit table of standards the sandbox serves (no static self-registration: static libraries drop it).
// A new standard adds its folder and one entry here.
#include "tools/sandbox/berlin_group/module.hpp"
#include "tools/sandbox/module.hpp"
#include "tools/sandbox/server.hpp"
#include "tools/sandbox/stet/module.hpp"
#include "tools/sandbox/uk_ob/module.hpp"

namespace bankfeed::sandbox {
namespace {

struct Entry {
  std::string_view standard;
  std::unique_ptr<StandardModule> (*make)(Services&);
};

constexpr Entry kModules[] = {
    {"berlin-group",
     [](Services& s) -> std::unique_ptr<StandardModule> { return std::make_unique<berlin_group::BerlinGroupModule>(s); }},
    {"uk-ob", [](Services& s) -> std::unique_ptr<StandardModule> { return std::make_unique<uk_ob::UkObModule>(s); }},
    {"stet", [](Services& s) -> std::unique_ptr<StandardModule> { return std::make_unique<stet::StetModule>(s); }},
};

}  // namespace

std::unique_ptr<StandardModule> MakeModule(std::string_view standard, Services& services) {
  for (const Entry& e : kModules) {
    if (e.standard == standard) return e.make(services);
  }
  return nullptr;
}

std::vector<std::string> SupportedStandards() {
  std::vector<std::string> out;
  for (const Entry& e : kModules) out.emplace_back(e.standard);
  return out;
}

}  // namespace bankfeed::sandbox
