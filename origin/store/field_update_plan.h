// UpdateItem's fast path reads the same few UpdateExpression texts again and again (a client
// sends one text per kind of update and varies only the placeholders' values), so it keeps, per
// worker thread and keyed by the text, what the text says: its SETs as written, each a path token
// (a name or a #placeholder) and a :placeholder. A request whose text is cached skips the
// expression parser and the placeholder maps (~6k instructions of YCSB's ~68k field update); its
// placeholders are resolved against the plan, and any undefined or unused one, or two SETs of one
// attribute, makes the fast path decline, so the general path answers with its own error.
//
// Soundness: a plan is cached only after the parser accepted the text for one request and the
// plan, resolved against that request's placeholders, gave exactly the parser's actions. The
// parser's verdict on a text depends on the placeholder maps only through resolving them
// (undefined names and values, and the overlap of two paths once resolved), which the resolution
// here checks, so for every other request the plan gives what the parser would.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <string_view>
#include <utility>
#include <vector>

#include "origin/store/item_splice.h"
#include "origin/store/model/value.h"
#include "origin/store/update_item_reader.h"

namespace cdnlab::store {

struct FieldUpdatePlan {
  // (path token, value token) in the order written: ("field3", ":v"), ("#f", ":w").
  std::vector<std::pair<std::string, std::string>> sets;
};

// The plan of `text` when its tokens are exactly `SET p = :v (, p = :v)*` (the keyword in any
// case, each p a name or a #placeholder); nullopt for anything else.
std::optional<FieldUpdatePlan> planFieldUpdate(std::string_view text);

// The plan's SETs for `req`: each placeholder resolved against the request's maps, one
// AttributeValue per SET in `values` (which `sets` points into), sorted by name as
// topLevelConstantSets sorts them. False when a placeholder is undefined, one of the request's is
// unused, or two SETs name one attribute.
bool resolveFieldUpdate(const FieldUpdatePlan& plan, const UpdateItemRequestView& req, std::vector<AttributeValue>& values,
                        std::vector<TopLevelSet>& sets);

// The calling thread's plans by text, at most kMaxPlans (then it starts over: a client with that
// many distinct texts gains nothing from the cache anyway).
class FieldUpdatePlans {
 public:
  static constexpr size_t kMaxPlans = 256;
  static FieldUpdatePlans& forThisThread();
  const FieldUpdatePlan* find(std::string_view text) const;
  void insert(std::string_view text, FieldUpdatePlan plan);
  size_t size() const { return plans_.size(); }

 private:
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, FieldUpdatePlan, TextHash, std::equal_to<>> plans_;
};

}  // namespace cdnlab::store
