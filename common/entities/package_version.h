// The installed version of a Debian package, read from dpkg's status file, so
// that articles and logs can say which release of the reference data
// (iso-codes, wamerican) linked them.
#ifndef COMMON_ENTITIES_PACKAGE_VERSION_H_
#define COMMON_ENTITIES_PACKAGE_VERSION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::entities {

inline constexpr char kDpkgStatusPath[] = "/var/lib/dpkg/status";

// The "Version:" of the installed `package` in the dpkg status file at
// `status_path`; "unknown" when the file cannot be read or does not list the
// package as installed.
std::string InstalledPackageVersion(absl::string_view package,
                                    const std::string& status_path = kDpkgStatusPath);

// As InstalledPackageVersion, from the status file's contents.
std::string PackageVersionFromStatus(absl::string_view package,
                                     absl::string_view status_file);

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_PACKAGE_VERSION_H_
