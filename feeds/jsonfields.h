#pragma once

// Helpers for the JSON venues (simdjson on-demand): one reusable parser per connection, exact
// decimals read from number tokens or strings without ever going through a double, and the field
// readers the venue decoders share. Internal to the feeds layer (includes simdjson).

#include "decimal.h"
#include "events.h"

#include <QByteArray>
#include <QString>

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tickscope::json {

/// Parses one frame at a time, reusing its buffers: the returned document is valid until the next
/// parse(). Frames are copied once into a padded buffer (simdjson reads a little past the end).
///
/// The frame's structure is checked as a whole before the on-demand document is handed out. On-demand
/// parsing checks structure only where it walks, and a structural error met mid-walk (a frame cut
/// short, a missing colon) leaves the document unusable: a decoder that then looked up another
/// field would read through a dead iterator. After validation only type and missing-field errors
/// remain, which every decoder handles field by field.
class FrameParser
{
public:
    /// The document of `frame`, or an error (empty, not JSON, unbalanced, too deep, …).
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

/// UTF-8 text from the wire (simdjson strings are views into the frame) as a QString.
QString qstring(std::string_view text);

/// The string under `key`; empty when the key is absent or its value is not a string.
std::string_view stringOf(simdjson::ondemand::object &object, std::string_view key);

/// A field that may be absent: absent, present and valid, or present but unusable.
template<typename T> struct Field
{
    bool present = false;
    bool valid = false;
    T value {};
};

/// An integer given as a JSON number or as a string of digits ("1652459225464"); not valid when it
/// has anything else (a sign for an unsigned T, a fraction, an exponent) or does not fit in T.
template<typename T> Field<T> integerField(simdjson::ondemand::object &object, std::string_view key)
{
    Field<T> out;
    simdjson::ondemand::value v;
    if (object[key].get(v))
        return out;
    out.present = true;
    const std::optional<std::string_view> text = decimalText(v);
    if (!text || text->empty())
        return out;
    const char *end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, out.value);
    out.valid = ec == std::errc() && ptr == end;
    return out;
}

/// A string field; present but not valid when the value is not a string.
Field<std::string_view> stringField(simdjson::ondemand::object &object, std::string_view key);

/// A price or size at `scale`: absent or "" (how OKX and Bybit write a value they do not have) →
/// not present; otherwise valid only as an exact decimal at `scale`.
Field<std::int64_t> decimalField(simdjson::ondemand::object &object, std::string_view key, int scale);

/// Book levels written as arrays [["price","size",…],…] at the instrument's scales, appended to
/// `out`; fields after the size (order counts and the like) are skipped. False when `levels` is not
/// an array or a level is malformed.
bool readLevels(simdjson::ondemand::value levels, const Instrument &instrument, std::vector<Level> &out);
/// The same for the levels under `key` of `book`; false when the key is absent.
bool readLevels(simdjson::ondemand::object &book, std::string_view key, const Instrument &instrument,
                std::vector<Level> &out);

/// ISO 8601 UTC time ("2021-04-17T16:43:37.078325Z", any number of fractional digits, only the
/// first six used) in microseconds since the epoch; 0 when absent or unreadable.
std::int64_t isoMicros(std::string_view text);

} // namespace tickscope::json
