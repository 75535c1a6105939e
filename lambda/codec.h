// Small encodings the Lambda service needs at its edges: base64 (ZipFile, X-Amz-Log-Result,
// ClientContext), SHA-256 (CodeSha256), percent-decoding of path segments (a function ARN arrives
// as "arn%3Aaws%3Alambda..."), request ids (UUID v4) and AWS's timestamp forms.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::lambda {

std::string base64Encode(std::string_view bytes);
// Standard alphabet with padding; whitespace is not allowed. nullopt on any malformed input.
std::optional<std::string> base64Decode(std::string_view text);
// Raw 32-byte digest.
std::string sha256(std::string_view bytes);
std::string hexEncode(std::string_view bytes);
// %XX decoding of one path segment or query value ('+' stays '+'); nullopt on a bad escape.
std::optional<std::string> percentDecode(std::string_view s);
// The value of `key` in an application/x-www-form-urlencoded query string ('+' is a space).
std::optional<std::string> queryParam(std::string_view query, std::string_view key);
// A random UUID v4 ("8f507cfc-...-..."), as Lambda's request ids look.
std::string newUuid();
// "2024-01-01T00:00:00.000+0000": the LastModified form of Lambda's API.
std::string lastModifiedTimestamp(int64_t epochMs);
// "2024-01-01T00:00:00.000Z": the form runtimes print in log lines.
std::string isoTimestamp(int64_t epochMs);
int64_t wallClockMs();

}  // namespace cdnlab::lambda
