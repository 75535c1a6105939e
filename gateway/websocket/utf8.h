// UTF-8 validity (RFC 3629), pure: a text frame's payload must be UTF-8 (RFC 6455 5.6), so the
// gateway checks data before it picks the frame type for a message it sends.
#pragma once

#include <string_view>

namespace cdnlab::gateway::websocket {

// True for well-formed UTF-8: no overlong forms, no surrogates (U+D800..DFFF), nothing above U+10FFFF.
bool isValidUtf8(std::string_view s);

}  // namespace cdnlab::gateway::websocket
