// Seed data for a topology's tables: JSON and CSV files turned into DynamoDB items (the
// `{"attr": {"S": "..."}}` form BatchWriteItem takes). Pure: parsed and checked here (every item
// has the table's key attributes with their declared types; errors name file and line), sent by
// the deploy step.
//
// JSON: an array of objects with plain values: strings -> S, numbers -> N (digits kept as
// written), true/false -> BOOL, null -> NULL, arrays -> L, objects -> M.
// CSV (RFC 4180: a header row, "quoted" fields with "" for a quote, LF or CRLF): one item per
// row. A column is N when the table declares it N or its header says `name:N`; `name:BOOL`
// reads true/false; anything else is S. An empty field leaves the attribute out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/topology_app.h"

namespace cdnlab::bench::run {

// `name` is how errors name the file. Each item is a JSON object in DynamoDB's AttributeValue form.
Result<std::vector<std::string>> seedItemsFromJson(std::string_view text, const std::string& name,
                                                   const geo::TableSpec& table);
Result<std::vector<std::string>> seedItemsFromCsv(std::string_view text, const std::string& name,
                                                  const geo::TableSpec& table);
// By the file's extension (.json / .csv); reads the file.
Result<std::vector<std::string>> seedItemsFromFile(const std::string& path, const geo::TableSpec& table);

}  // namespace cdnlab::bench::run
