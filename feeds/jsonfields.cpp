#include "jsonfields.h"

#include <QDateTime>
#include <QTimeZone>

#include <bitset>
#include <cstring>

namespace tickscope::json {

namespace {

constexpr std::size_t kMaxDepth = simdjson::DEFAULT_MAX_DEPTH;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool endsScalar(char c)
{
    return isSpace(c) || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"';
}

/// Whether `text` is one JSON value with a sound structure: brackets balanced and matched, strings
/// terminated, keys that are strings, colons and commas where the grammar puts them, nothing after
/// the value but white space. Scalars (numbers, true, false, null) are only delimited here; the
/// decoders read them and report a bad one as a field error, which leaves the document usable.
bool wellFormed(std::string_view text)
{
    enum class Expect : std::uint8_t { Value, KeyOrClose, Key, Colon, CommaOrClose };
    std::bitset<kMaxDepth> isObject; // per open level: '{' (true) or '[' (false)
    std::size_t depth = 0;
    Expect expect = Expect::Value;
    bool closeAllowed = false; // for Value: right after '[' (empty array)
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (true) {
        while (i < n && isSpace(text[i]))
            ++i;
        if (i == n)
            return false; // ended inside the value
        const char c = text[i];
        switch (expect) {
        case Expect::Value:
        case Expect::Key:
        case Expect::KeyOrClose: {
            if (c == ']' && expect == Expect::Value && closeAllowed) {
                --depth;
                ++i;
                break;
            }
            if (c == '}' && expect == Expect::KeyOrClose) {
                --depth;
                ++i;
                break;
            }
            if (c == '"') {
                ++i;
                while (i < n && text[i] != '"') {
                    if (static_cast<unsigned char>(text[i]) < 0x20)
                        return false;
                    i += text[i] == '\\' ? 2 : 1;
                }
                if (i >= n)
                    return false; // unterminated string
                ++i;
                if (expect != Expect::Value) {
                    expect = Expect::Colon;
                    continue;
                }
            } else if (expect != Expect::Value) {
                return false; // keys are strings
            } else if (c == '{' || c == '[') {
                if (depth == kMaxDepth)
                    return false;
                isObject[depth++] = c == '{';
                ++i;
                expect = c == '{' ? Expect::KeyOrClose : Expect::Value;
                closeAllowed = c == '[';
                continue;
            } else if (endsScalar(c)) {
                return false; // ',', ':', or a close where a value belongs
            } else {
                while (i < n && !endsScalar(text[i]))
                    ++i;
            }
            break; // a value is complete
        }
        case Expect::Colon:
            if (c != ':')
                return false;
            ++i;
            expect = Expect::Value;
            closeAllowed = false;
            continue;
        case Expect::CommaOrClose:
            if (c == ',') {
                ++i;
                expect = isObject[depth - 1] ? Expect::Key : Expect::Value;
                closeAllowed = false;
                continue;
            }
            if (c == (isObject[depth - 1] ? '}' : ']')) {
                --depth;
                ++i;
                break; // the container is a complete value
            }
            return false;
        }
        // A value just ended.
        if (depth == 0) {
            while (i < n && isSpace(text[i]))
                ++i;
            return i == n;
        }
        expect = Expect::CommaOrClose;
    }
}

} // namespace

simdjson::simdjson_result<simdjson::ondemand::document> FrameParser::parse(const QByteArray &frame)
{
    const auto size = static_cast<std::size_t>(frame.size());
    if (size == 0) // nothing to copy, and no buffer yet on a parser's first frame
        return simdjson::EMPTY;
    if (size > m_capacity) {
        m_capacity = std::max(size, 2 * m_capacity);
        m_buffer = simdjson::padded_string(m_capacity);
    }
    std::memcpy(m_buffer.data(), frame.constData(), size);
    std::memset(m_buffer.data() + size, 0, simdjson::SIMDJSON_PADDING); // no stale bytes of a longer frame
    if (!wellFormed(std::string_view(m_buffer.data(), size)))
        return simdjson::TAPE_ERROR;
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

QString qstring(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::string_view stringOf(simdjson::ondemand::object &object, std::string_view key)
{
    std::string_view out;
    if (object[key].get_string().get(out))
        return {};
    return out;
}

Field<std::string_view> stringField(simdjson::ondemand::object &object, std::string_view key)
{
    Field<std::string_view> out;
    simdjson::ondemand::value v;
    if (object[key].get(v))
        return out;
    out.present = true;
    out.valid = !v.get_string().get(out.value);
    return out;
}

Field<std::int64_t> decimalField(simdjson::ondemand::object &object, std::string_view key, int scale)
{
    Field<std::int64_t> out;
    simdjson::ondemand::value v;
    if (object[key].get(v))
        return out;
    const std::optional<std::string_view> text = decimalText(v);
    if (text && text->empty())
        return out;
    out.present = true;
    if (!text)
        return out;
    const DecimalParse parsed = parseDecimal(*text, scale);
    out.valid = static_cast<bool>(parsed);
    out.value = parsed.mantissa;
    return out;
}

bool readLevels(simdjson::ondemand::value levels, const Instrument &instrument, std::vector<Level> &out)
{
    simdjson::ondemand::array list;
    if (levels.get_array().get(list))
        return false;
    for (auto element : list) {
        simdjson::ondemand::array fields;
        if (element.get_array().get(fields))
            return false;
        Level level;
        int index = 0;
        for (auto field : fields) {
            simdjson::ondemand::value v;
            if (field.get(v))
                return false;
            if (index < 2) {
                const DecimalParse parsed = decimalAt(v, index == 0 ? instrument.priceScale : instrument.qtyScale);
                if (!parsed)
                    return false;
                (index == 0 ? level.price : level.qty) = parsed.mantissa;
            }
            ++index;
        }
        if (index < 2)
            return false;
        out.push_back(level);
    }
    return true;
}

bool readLevels(simdjson::ondemand::object &book, std::string_view key, const Instrument &instrument,
                std::vector<Level> &out)
{
    simdjson::ondemand::value levels;
    if (book[key].get(levels))
        return false;
    return readLevels(levels, instrument, out);
}

std::int64_t isoMicros(std::string_view text)
{
    if (text.size() < 20)
        return 0;
    const QDateTime local
        = QDateTime::fromString(QString::fromLatin1(text.data(), 19), QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
    if (!local.isValid())
        return 0;
    const QDateTime utc(local.date(), local.time(), QTimeZone::utc());
    std::int64_t micros = 0;
    int digits = 0;
    if (text[19] == '.') {
        for (std::size_t i = 20; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 6; ++i, ++digits)
            micros = micros * 10 + (text[i] - '0');
    }
    for (; digits < 6; ++digits)
        micros *= 10;
    return utc.toMSecsSinceEpoch() * 1000 + micros;
}

} // namespace tickscope::json
