#include "ingest_service/extract/word_list.h"

#include <fstream>

#include "common/entities/name_key.h"

namespace newsdesk::ingest {

WordList WordList::Load(const std::string& path) {
  WordList list;
  if (path.empty()) return list;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.find('\'') != std::string::npos) continue;
    const bool proper = line[0] >= 'A' && line[0] <= 'Z';
    list.kinds_[entities::NameKey(line)] |= proper ? kProper : kCommon;
  }
  return list;
}

}  // namespace newsdesk::ingest
