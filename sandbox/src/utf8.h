#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace prospect_sandbox {

// The code points of `text`, or nothing when it is not well-formed UTF-8
// (overlong forms, surrogates and values above U+10FFFF are refused).
std::optional<std::u32string> decode_utf8(std::string_view text);

// Unicode general category Cc: U+0000-U+001F and U+007F-U+009F.
bool is_control(char32_t c);

// Unicode White_Space.
bool is_white_space(char32_t c);

// ASCII-only lower-casing; other bytes are kept as they are.
std::string ascii_lower(std::string_view text);

}  // namespace prospect_sandbox
