// ProjectionExpression evaluation: copy only the projected paths of an item. Paths are merged
// into a trie first so that a.b and a.c share one copy of a; list elements are emitted in index
// order without gaps (projecting l[3] and l[1] of a list gives [l[1], l[3]]), as DynamoDB does.
#include <algorithm>
#include <map>

#include "origin/store/expr/expr.h"

namespace cdnlab::store::expr {
namespace {

struct Trie {
  bool whole = false;  // this node was projected itself: take everything below it
  std::map<std::string, Trie, std::less<>> names;
  std::map<int64_t, Trie> indexes;
};

void insert(Trie& root, const Path& path) {
  Trie* t = &root;
  for (const auto& e : path.elements) {
    if (t->whole) return;  // an ancestor is already taken whole
    t = e.isIndex() ? &t->indexes[e.index] : &t->names[e.name];
  }
  t->whole = true;
}

std::optional<AttributeValue> projectValue(const AttributeValue& v, const Trie& t) {
  if (t.whole) return v;
  if (!t.names.empty() && v.is(ValueType::M)) {
    AttributeMap out;
    for (const auto& [name, child] : t.names) {
      auto it = v.m().find(name);
      if (it == v.m().end()) continue;
      if (auto projected = projectValue(it->second, child)) out.emplace(name, std::move(*projected));
    }
    if (!out.empty()) return AttributeValue::map(std::move(out));
  }
  if (!t.indexes.empty() && v.is(ValueType::L)) {
    AttributeList out;
    for (const auto& [index, child] : t.indexes) {
      if (static_cast<size_t>(index) >= v.l().size()) break;
      if (auto projected = projectValue(v.l()[static_cast<size_t>(index)], child)) out.push_back(std::move(*projected));
    }
    if (!out.empty()) return AttributeValue::list(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

Item projectPaths(const std::vector<Path>& paths, const Item& item) {
  Trie root;
  for (const auto& p : paths) insert(root, p);
  Item out;
  for (const auto& [name, child] : root.names) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto projected = projectValue(it->second, child)) out.emplace(name, std::move(*projected));
  }
  return out;
}

Item project(const Projection& projection, const Item& item) { return projectPaths(projection.paths, item); }

std::vector<std::string> Projection::topLevelNames() const {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    if (std::find(out.begin(), out.end(), p.topLevel()) == out.end()) out.push_back(p.topLevel());
  }
  return out;
}

}  // namespace cdnlab::store::expr
