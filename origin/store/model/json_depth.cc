// The well-formedness check for JSON too deep to parse into a document (see json_depth.h).
#include "origin/store/model/json_depth.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace cdnlab::store {

bool isWellFormedJsonObject(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return false;
  rapidjson::MemoryStream in(text.data(), text.size());
  rapidjson::BaseReaderHandler<> ignore;  // accepts every event: only the syntax is judged
  rapidjson::Reader reader;
  return !reader.Parse<rapidjson::kParseIterativeFlag>(in, ignore).IsError();
}

}  // namespace cdnlab::store
