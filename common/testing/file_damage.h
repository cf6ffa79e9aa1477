// Damages files the way a failing disk does, for tests of corruption
// detection: flips a byte, or cuts a file short.
#ifndef COMMON_TESTING_FILE_DAMAGE_H_
#define COMMON_TESTING_FILE_DAMAGE_H_

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace newsdesk::testing {

// The files in `dir` whose names end with `suffix` (or start with it when
// `prefix` is set), sorted.
inline std::vector<std::filesystem::path> FilesNamed(const std::filesystem::path& dir,
                                                     const std::string& part,
                                                     bool prefix = false) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool match =
        prefix ? name.rfind(part, 0) == 0
               : name.size() >= part.size() &&
                     name.compare(name.size() - part.size(), part.size(), part) == 0;
    if (match) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Inverts some bits of the byte at `fraction` (0..1) of the file's length.
inline void FlipByte(const std::filesystem::path& path, double fraction) {
  const auto size = static_cast<int64_t>(std::filesystem::file_size(path));
  const auto offset = static_cast<int64_t>(static_cast<double>(size) * fraction);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  char c = 0;
  file.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  file.seekp(offset);
  file.write(&c, 1);
}

// Cuts the file to `fraction` (0..1) of its length.
inline void Truncate(const std::filesystem::path& path, double fraction) {
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path,
                               static_cast<uintmax_t>(static_cast<double>(size) * fraction));
}

}  // namespace newsdesk::testing

#endif  // COMMON_TESTING_FILE_DAMAGE_H_
