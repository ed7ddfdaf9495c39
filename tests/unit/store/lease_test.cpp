// Consent leases: one holder per consent across Store objects and processes, released with the lease or with the
// process that held it, and only for the tenant's own consents.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::ModeOf;
using testing::StoreTest;

class StoreLease : public StoreTest {
 protected:
  // A consent of `tenant`'s customer `psu`; returns its handle.
  std::string MakeConsent(Store& store, std::string_view tenant, std::string_view psu) {
    return StoreTest::MakeConsent(store, tenant, psu).first;
  }
};
TEST_F(StoreLease, OneHolderAtATimeAcrossStoresUntilReleased) {
  auto a = OpenStore();
  auto b = OpenStore();  // another connection to the same database, as another process would have
  ASSERT_TRUE(a && b);
  const std::string first = MakeConsent(*a, "t1", "psu-1");
  const std::string second = MakeConsent(*a, "t1", "psu-2");

  auto held = a->TryLeaseConsent("t1", first);
  ASSERT_TRUE(held.has_value()) << held.error().ToString();
  ASSERT_NE(*held, nullptr);
  for (Store* s : {a.get(), b.get()}) {
    auto busy = s->TryLeaseConsent("t1", first);
    ASSERT_TRUE(busy.has_value()) << busy.error().ToString();
    EXPECT_EQ(*busy, nullptr) << "a second holder, even through the same Store";
  }
  auto other = b->TryLeaseConsent("t1", second);  // another consent is free
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*other, nullptr);

  held->reset();  // released
  auto now = b->TryLeaseConsent("t1", first);
  ASSERT_TRUE(now.has_value());
  EXPECT_NE(*now, nullptr);

  // The lock files: in a private directory beside the database, empty, named by the consent handle only.
  const std::string dir = db_path_ + ".locks";
  EXPECT_EQ(ModeOf(dir) & 0777, 0700u);
  EXPECT_EQ(ModeOf(dir + "/" + first) & 0777, 0600u);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/" + first).c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 0);
}

TEST_F(StoreLease, AHolderThatDiesReleasesItsLease) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const std::string handle = MakeConsent(*store, "t1", "psu-1");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child takes the lease through its own store, says so, and is killed while it holds it.
    ::close(ready[0]);
    auto mine = OpenSqliteStore(Options());
    auto lease = mine ? (*mine)->TryLeaseConsent("t1", handle) : Result<std::unique_ptr<ConsentLease>>(nullptr);
    const char ok = lease && *lease ? 'y' : 'n';
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  ::close(ready[1]);
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(ok, 'y');
  auto busy = store->TryLeaseConsent("t1", handle);
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(*busy, nullptr) << "the child holds it";
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  auto free = store->TryLeaseConsent("t1", handle);
  ASSERT_TRUE(free.has_value());
  EXPECT_NE(*free, nullptr) << "released when its holder died";
}

TEST_F(StoreLease, OnlyTheTenantsOwnConsents) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const std::string handle = MakeConsent(*store, "t1", "psu-1");
  auto other_tenant = store->TryLeaseConsent("t2", handle);
  ASSERT_FALSE(other_tenant.has_value());
  EXPECT_EQ(other_tenant.error().code, ErrorCode::kNotFound);
  auto unknown = store->TryLeaseConsent("t1", "cg_" + std::string(24, '0'));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto malformed = store->TryLeaseConsent("t1", "../../etc/passwd");
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(malformed.error().code, ErrorCode::kInvalidArgument);
  // Another tenant's attempt left no lock behind: the owner takes its lease.
  auto own = store->TryLeaseConsent("t1", handle);
  ASSERT_TRUE(own.has_value());
  EXPECT_NE(*own, nullptr);
}

}  // namespace
}  // namespace bankfeed::store
