#include "jsonfields.h"

#include <cstring>

namespace tickscope::json {

simdjson::simdjson_result<simdjson::ondemand::document> FrameParser::parse(const QByteArray &frame)
{
    const auto size = static_cast<std::size_t>(frame.size());
    if (size > m_capacity) {
        m_capacity = std::max(size, 2 * m_capacity);
        m_buffer = simdjson::padded_string(m_capacity);
    }
    std::memcpy(m_buffer.data(), frame.constData(), size);
    std::memset(m_buffer.data() + size, 0, simdjson::SIMDJSON_PADDING); // no stale bytes of a longer frame
    // Only `size` bytes are the frame; the rest of the buffer is padding simdjson may read.
    return m_parser.iterate(m_buffer.data(), size, m_buffer.size() + simdjson::SIMDJSON_PADDING);
}

std::optional<std::string_view> decimalText(simdjson::ondemand::value value)
{
    simdjson::ondemand::json_type type;
    if (value.type().get(type))
        return std::nullopt;
    if (type == simdjson::ondemand::json_type::string) {
        std::string_view text;
        if (value.get_string().get(text))
            return std::nullopt;
        return text;
    }
    if (type == simdjson::ondemand::json_type::number) {
        // The token as written (e.g. 0.5660 stays 0.5660): never converted to binary floating point.
        std::string_view token = value.raw_json_token();
        while (!token.empty()
               && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
            token.remove_suffix(1);
        return token;
    }
    return std::nullopt;
}

DecimalParse decimalAt(simdjson::ondemand::value value, int scale)
{
    const std::optional<std::string_view> text = decimalText(value);
    if (!text)
        return {0, DecimalError::Syntax};
    return parseDecimal(*text, scale);
}

} // namespace tickscope::json
