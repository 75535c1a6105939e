// Syntax checks on the URI parts an HTTP/1.1 request carries (RFC 3986, RFC 9112 3.2): the Host
// field's authority and the absolute-form request-target. Used by the request parser, so every
// cdnlab server refuses a malformed Host or absolute-form target with 400 before routing it.
#pragma once

#include <optional>
#include <string_view>

namespace cdnlab::http {

// True when `value` is a valid Host field value: uri-host [ ":" port ] (RFC 9110 7.2), where
// uri-host is an IP-literal ("[v6]"), an IPv4 address or a reg-name of unreserved, sub-delims
// and pct-encoded characters, and port is digits. No userinfo ("a@b"), no spaces, no path.
// An empty value is valid (a request whose target has no authority, RFC 9112 3.2).
bool isValidHostField(std::string_view value);

// An absolute-form request-target split into its parts (RFC 9112 3.2.2), views into the input.
struct AbsoluteForm {
  std::string_view scheme;     // "http" or "https", as sent (case-insensitive)
  std::string_view authority;  // host [":" port], validated by isValidHostField, never empty
  std::string_view pathAndQuery;  // path-abempty ["?" query]; may be empty (means "/")
};

// Splits `target` when it is in absolute-form with an http or https scheme and a valid,
// non-empty authority without userinfo; nullopt otherwise (also for origin-form targets).
std::optional<AbsoluteForm> splitAbsoluteForm(std::string_view target);

// True when `target` looks like absolute-form (starts with a scheme followed by ':'), whether or
// not it is a valid one: the caller then refuses it if splitAbsoluteForm says no.
bool looksAbsoluteForm(std::string_view target);

}  // namespace cdnlab::http
