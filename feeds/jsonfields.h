#pragma once

// Helpers for the JSON venues (simdjson on-demand): one reusable parser per connection, and exact
// decimals read from number tokens or strings without ever going through a double. Internal to
// the feeds layer (includes simdjson).

#include "decimal.h"

#include <QByteArray>

#include <simdjson.h>

#include <optional>
#include <string_view>

namespace tickscope::json {

/// Parses one frame at a time, reusing its buffers: the returned document is valid until the next
/// parse(). Frames are copied once into a padded buffer (simdjson reads a little past the end).
class FrameParser
{
public:
    /// The document of `frame`, or an error (empty, not JSON, too deep, …).
    simdjson::simdjson_result<simdjson::ondemand::document> parse(const QByteArray &frame);

private:
    simdjson::ondemand::parser m_parser;
    simdjson::padded_string m_buffer;
    std::size_t m_capacity = 0;
};

/// The exact text of a decimal given as a JSON number (its raw token) or as a string; nothing for
/// any other type.
std::optional<std::string_view> decimalText(simdjson::ondemand::value value);

/// The value as a mantissa at `scale` (exact; anything needing rounding or out of range is an error).
DecimalParse decimalAt(simdjson::ondemand::value value, int scale);

} // namespace tickscope::json
