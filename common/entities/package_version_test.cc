#include "common/entities/package_version.h"

#include "gtest/gtest.h"

namespace newsdesk::entities {
namespace {

constexpr char kStatus[] =
    "Package: wamerican\n"
    "Status: install ok installed\n"
    "Priority: standard\n"
    "Version: 2020.12.07-2\n"
    "\n"
    "Package: iso-codes\n"
    "Status: deinstall ok config-files\n"
    "Version: 4.15.0-1\n"
    "\n"
    "Package: iso-codes-extra\n"
    "Status: install ok installed\n"
    "Version: 9.9\n";

TEST(PackageVersionTest, ReadsInstalledVersions) {
  EXPECT_EQ(PackageVersionFromStatus("wamerican", kStatus), "2020.12.07-2");
  EXPECT_EQ(PackageVersionFromStatus("iso-codes-extra", kStatus), "9.9");
}

TEST(PackageVersionTest, UnknownWhenRemovedMissingOrUnreadable) {
  EXPECT_EQ(PackageVersionFromStatus("iso-codes", kStatus), "unknown");
  EXPECT_EQ(PackageVersionFromStatus("iso", kStatus), "unknown");
  EXPECT_EQ(InstalledPackageVersion("wamerican", "/nonexistent/status"), "unknown");
}

}  // namespace
}  // namespace newsdesk::entities
