// Table ARN forms and their parse; see arn_form.h.
#include "origin/store/arn_form.h"

namespace cdnlab::store {
namespace {

// What a regular expression's '.' does not match.
bool isLineBreak(char c) { return c == '\n' || c == '\r'; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool looksLikeArn(std::string_view arn) {
  for (char c : arn)
    if (isLineBreak(c)) return false;
  // Taking each ':' as early as a non-empty part allows leaves the most room for the parts after
  // it, so the first fit found this way exists whenever any fit does.
  size_t partStart = 0;
  for (int colons = 0; colons < 5; ++colons) {
    size_t colon = arn.find(':', partStart + 1);
    if (colon == std::string_view::npos) return false;
    partStart = colon + 1;
  }
  // The sixth part: at least one character, then a '/', then at least one character.
  size_t slash = arn.find('/', partStart + 1);
  return slash != std::string_view::npos && slash + 1 < arn.size();
}

bool looksLikeTableArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:dynamodb:";
  constexpr std::string_view kTable = ":table";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return false;
  // The name has no '/', so "table/" ends at the last '/'.
  size_t slash = arn.rfind('/');
  if (slash == std::string_view::npos || arn.size() - slash - 1 < 3) return false;
  std::string_view beforeName = arn.substr(0, slash);
  if (beforeName.size() < kTable.size() || beforeName.substr(beforeName.size() - kTable.size()) != kTable) return false;
  // The account: the digits just before ":table", preceded by ':'.
  size_t digitsEnd = beforeName.size() - kTable.size();
  size_t digitsStart = digitsEnd;
  while (digitsStart > 0 && isDigit(arn[digitsStart - 1])) --digitsStart;
  if (digitsStart == digitsEnd || digitsStart == 0 || arn[digitsStart - 1] != ':') return false;
  // The region: at least one character between the prefix and that ':', no line break.
  size_t regionEnd = digitsStart - 1;
  if (regionEnd <= kPrefix.size()) return false;
  for (size_t i = kPrefix.size(); i < regionEnd; ++i)
    if (isLineBreak(arn[i])) return false;
  return true;
}

std::optional<TableArn> parseTableArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:dynamodb:";
  constexpr std::string_view kTable = "table/";
  if (!arn.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = arn.substr(kPrefix.size());
  TableArn t;
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  t.region = rest.substr(0, colon);
  rest.remove_prefix(colon + 1);
  colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  t.account = rest.substr(0, colon);
  rest.remove_prefix(colon + 1);
  if (!rest.starts_with(kTable)) return std::nullopt;
  t.name = rest.substr(kTable.size());
  if (t.name.empty() || t.name.find('/') != std::string_view::npos) return std::nullopt;
  return t;
}

}  // namespace cdnlab::store
