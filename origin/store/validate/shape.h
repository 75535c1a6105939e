// Stage one of every request, before any table is looked up: the body's JSON types against the
// operation's shape (a member of the wrong JSON type is a SerializationException, worded as AWS's
// Coral framework words it) and then AWS's declared constraints (lengths, enums, patterns, ranges;
// up to ten "Value '...' at '...' failed to satisfy constraint: ..." joined into one
// ValidationException). Operation-specific rules (expressions, legacy parameters) come after, in
// the ops_*.cc files, still before the table lookup.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "origin/store/api_error.h"

namespace cdnlab::store::validate {

// The shapes, as JSON (validate/shapes.cc).
const char* requestShapesJson();

// False (and err set) when `body` does not fit `operation`'s shape. An operation without a shape
// passes. `body` must be a JSON object.
bool checkRequestShape(std::string_view operation, const rapidjson::Value& body, ApiError& err);

// JavaScript's String.length of UTF-8 text (UTF-16 code units), the length AWS's limits count.
size_t utf16Length(std::string_view utf8);

}  // namespace cdnlab::store::validate
