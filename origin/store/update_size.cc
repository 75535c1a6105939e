// UpdateItem's mutation size (see update_size.h). The charges are DynamoDB's observed ones: 3 bytes
// for the update, 19 per SET or ADD (20 when the SET reaches through a list index), 2 per REMOVE or
// DELETE; they do not depend on the value written, its name or alias, or the expression text.
#include "origin/store/update_size.h"

#include <set>
#include <string_view>

#include "origin/store/model/size.h"

namespace cdnlab::store {

namespace {

constexpr size_t kUpdateCharge = 3;
constexpr size_t kSetCharge = 19;
constexpr size_t kRemoveCharge = 2;

size_t actionCharge(const expr::ast::UpdateAction& a) {
  using Kind = expr::ast::UpdateAction::Kind;
  switch (a.kind) {
    case Kind::Set: {
      for (const auto& e : a.path.elements)
        if (e.isIndex()) return kSetCharge + 1;
      return kSetCharge;
    }
    case Kind::Add: return kSetCharge;
    case Kind::Remove:
    case Kind::Delete: return kRemoveCharge;
  }
  return kSetCharge;
}

}  // namespace

size_t updateMutationSize(const expr::Update& update, const Item& next) {
  size_t total = kUpdateCharge;
  std::set<std::string_view> written;  // a top-level attribute counts once, however many actions reach it
  for (const auto& a : update.actions) {
    total += actionCharge(a);
    const std::string& name = a.path.topLevel();
    if (!written.insert(name).second) continue;
    auto it = next.find(name);
    if (it != next.end()) total += name.size() + valueSize(it->second);  // a removed attribute writes nothing
  }
  return total;
}

size_t updateMutationSize(const std::vector<TopLevelSet>& sets) {
  size_t total = kUpdateCharge;
  for (const auto& s : sets) total += kSetCharge + s.name.size() + valueSize(*s.value);
  return total;
}

}  // namespace cdnlab::store
