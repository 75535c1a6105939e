// Running PartiQL statements on the store: what ExecuteStatement, BatchExecuteStatement and
// ExecuteTransaction (partiql/ops.cc) share. A statement is prepared (parsed, bound to its
// parameters, its table and index looked up, in DynamoDB's order of checks) and then run as the
// item operation it amounts to, on the same primitives the item operations use: the item's lock
// stripe, its old value, the condition evaluator, appendItemWrite's one WriteBatch.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "origin/store/partiql/bind.h"
#include "origin/store/partiql/parser.h"
#include "origin/store/partiql/plan.h"
#include "origin/store/service.h"

namespace cdnlab::store {

class PartiqlRunner {
 public:
  explicit PartiqlRunner(Service& service) : s_(service) {}

  struct Prepared {
    partiql::Statement stmt;
    partiql::Bound bound;
    TableStatePtr st;
    const IndexDesc* index = nullptr;  // into st's schema at prepare time
    TableDescPtr desc;
  };
  // Parse, bind, then the table (ResourceNotFoundException) and the index qualifier.
  bool prepare(std::string_view text, const std::vector<AttributeValue>& params, Prepared& p, ApiError& err);

  struct ReadOptions {
    bool consistent = false;
    int64_t limit = 0;          // rows to walk, 0: no limit
    std::string startToken;     // NextToken of the page before, empty: from the start
  };
  struct ReadResult {
    std::vector<Item> items;
    std::optional<Item> lastKey;
    std::string nextToken;
    double tableUnits = 0;      // base-table reads (a table read, or an LSI's reach-back)
    double indexUnits = 0;      // the index read
    bool fullKey = false;       // the read was a GetItem
  };
  bool select(const Prepared& p, const ReadOptions& o, ReadResult& r, ApiError& err);

  struct WriteResult {
    std::optional<Item> returned;  // RETURNING's item
    double units = 0;
    bool reached = false;          // the statement got past its checks to the item
    WriteDelta delta;              // what the write did to the table's indexes (their units)
  };
  bool write(const Prepared& p, bool returnOldOnFailure, WriteResult& r, Service::Out& out, ApiError& err);

  // ExecuteTransaction's writes (INSERT / UPDATE / DELETE / EXISTS), all or none; `token` is the
  // ClientRequestToken (empty: none) and `fingerprint` what identifies the request for it. A
  // replay of a token applies nothing (`replayed`) and `units` are then the read of its result.
  bool transactWrites(const std::vector<Prepared>& ps, const std::vector<bool>& returnOldOnFailure, std::string_view token,
                      const std::string& fingerprint, std::map<std::string, double>& units, bool& replayed,
                      Service::Out& out, ApiError& err);
  // ExecuteTransaction's reads (SELECT by full key), from one snapshot.
  bool transactReads(const std::vector<Prepared>& ps, std::vector<std::optional<Item>>& items,
                     std::map<std::string, double>& units, ApiError& err);

  // The output of a SELECT's projection: a path's value under its last name (`a.b` gives `b`).
  static Item projectRow(const partiql::Statement& s, const Item& item);

 private:
  struct WritePlan;
  enum class Outcome { Ok, Duplicate, ConditionFailed, Invalid };
  bool planWrite(const Prepared& p, const TableDesc& desc, WritePlan& w, ApiError& err);
  Outcome checkWrite(WritePlan& w, const TableDesc& desc, std::string& message);

  Service& s_;
};

}  // namespace cdnlab::store
