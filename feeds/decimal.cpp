#include "decimal.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <limits>

namespace tickscope {

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

constexpr std::array<std::int64_t, kMaxDecimalScale + 1> kPow10 = [] {
    std::array<std::int64_t, kMaxDecimalScale + 1> table {};
    table[0] = 1;
    for (std::size_t i = 1; i < table.size(); ++i)
        table[i] = table[i - 1] * 10;
    return table;
}();

// Exponents are clamped to this magnitude while scanning. Any non-zero digit string shifted that far
// overflows or needs rounding anyway, and a zero stays zero, so the clamp never changes a result;
// it only keeps "1e99999999999999999999" from overflowing the exponent itself.
constexpr std::int64_t kExponentClamp = 1'000'000;

/// The pieces of a syntactically valid decimal text, as views into that text.
struct DecimalText
{
    bool negative = false;
    std::string_view intDigits;
    std::string_view fracDigits;
    std::int64_t exponent = 0;
};

constexpr bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// Splits text into sign, integer digits, fractional digits and exponent; grammar:
/// [+-]? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?
DecimalError scan(std::string_view text, DecimalText &out)
{
    if (text.empty())
        return DecimalError::Empty;
    std::size_t pos = 0;
    const std::size_t size = text.size();
    if (text[pos] == '+' || text[pos] == '-') {
        out.negative = text[pos] == '-';
        ++pos;
    }
    std::size_t start = pos;
    while (pos < size && isDigit(text[pos]))
        ++pos;
    out.intDigits = text.substr(start, pos - start);
    if (pos < size && text[pos] == '.') {
        ++pos;
        start = pos;
        while (pos < size && isDigit(text[pos]))
            ++pos;
        out.fracDigits = text.substr(start, pos - start);
    }
    if (out.intDigits.empty() && out.fracDigits.empty())
        return DecimalError::Syntax; // "", "+", ".", "-.", "e5", "nan", " 1"
    if (pos < size && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool negativeExponent = false;
        if (pos < size && (text[pos] == '+' || text[pos] == '-')) {
            negativeExponent = text[pos] == '-';
            ++pos;
        }
        if (pos == size || !isDigit(text[pos]))
            return DecimalError::Syntax; // "1e", "1e+", "1ex"
        std::int64_t exponent = 0;
        while (pos < size && isDigit(text[pos])) {
            exponent = std::min(exponent * 10 + (text[pos] - '0'), kExponentClamp);
            ++pos;
        }
        out.exponent = negativeExponent ? -exponent : exponent;
    }
    if (pos != size)
        return DecimalError::Syntax; // "1.2.3", "--1", "1 ", "1x"
    return DecimalError::None;
}

/// Digit `i` of the concatenation intDigits + fracDigits.
char digitAt(const DecimalText &parts, std::size_t i)
{
    return i < parts.intDigits.size() ? parts.intDigits[i] : parts.fracDigits[i - parts.intDigits.size()];
}

/// Exact value of the scanned text times 10^scale, as a mantissa.
DecimalParse toMantissa(const DecimalText &parts, int scale)
{
    // value = D × 10^(exponent − fracDigits), so mantissa = D × 10^shift with shift as below,
    // where D is the integer written by all digits. A negative shift drops the last −shift digits,
    // which must all be zero.
    const auto digitCount = static_cast<std::int64_t>(parts.intDigits.size() + parts.fracDigits.size());
    const std::int64_t shift = parts.exponent - static_cast<std::int64_t>(parts.fracDigits.size()) + scale;
    const std::int64_t kept = shift >= 0 ? digitCount : std::max<std::int64_t>(digitCount + shift, 0);

    DecimalParse result;
    for (std::int64_t i = kept; i < digitCount; ++i) {
        if (digitAt(parts, static_cast<std::size_t>(i)) != '0') {
            result.error = DecimalError::TooPrecise;
            return result;
        }
    }
    std::int64_t magnitude = 0;
    for (std::int64_t i = 0; i < kept; ++i) {
        const int digit = digitAt(parts, static_cast<std::size_t>(i)) - '0';
        if (magnitude > (kInt64Max - digit) / 10) {
            result.error = DecimalError::Overflow;
            return result;
        }
        magnitude = magnitude * 10 + digit;
    }
    if (shift > 0 && magnitude != 0) {
        if (shift > kMaxDecimalScale || magnitude > kInt64Max / kPow10[static_cast<std::size_t>(shift)]) {
            result.error = DecimalError::Overflow;
            return result;
        }
        magnitude *= kPow10[static_cast<std::size_t>(shift)];
    }
    // |mantissa| <= INT64_MAX, so INT64_MIN is never produced and negation is always defined.
    result.mantissa = parts.negative ? -magnitude : magnitude;
    return result;
}

int clampScale(int scale)
{
    Q_ASSERT(scale >= 0 && scale <= kMaxDecimalScale);
    return std::clamp(scale, 0, kMaxDecimalScale);
}

} // namespace

QString decimalErrorText(DecimalError error)
{
    switch (error) {
    case DecimalError::None:
        return QCoreApplication::translate("tickscope::Decimal", "no error");
    case DecimalError::Empty:
        return QCoreApplication::translate("tickscope::Decimal", "empty number");
    case DecimalError::Syntax:
        return QCoreApplication::translate("tickscope::Decimal", "not a decimal number");
    case DecimalError::TooPrecise:
        return QCoreApplication::translate("tickscope::Decimal", "more decimal places than the instrument allows");
    case DecimalError::Overflow:
        return QCoreApplication::translate("tickscope::Decimal", "number too large");
    }
    return QCoreApplication::translate("tickscope::Decimal", "unknown decimal error");
}

DecimalParse parseDecimal(std::string_view text, int scale)
{
    DecimalText parts;
    if (const DecimalError error = scan(text, parts); error != DecimalError::None)
        return DecimalParse {0, error};
    return toMantissa(parts, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view text)
{
    DecimalText parts;
    if (scan(text, parts) != DecimalError::None)
        return std::nullopt;
    // Keep every written fractional digit; a positive exponent consumes them first ("1.5e3" → 1500,
    // scale 0). Beyond kMaxDecimalScale only zeros may follow, which toMantissa checks.
    const std::int64_t written = static_cast<std::int64_t>(parts.fracDigits.size()) - parts.exponent;
    const int scale = static_cast<int>(std::clamp<std::int64_t>(written, 0, kMaxDecimalScale));
    const DecimalParse parsed = toMantissa(parts, scale);
    if (!parsed)
        return std::nullopt;
    return Decimal {parsed.mantissa, scale};
}

std::string Decimal::toString() const
{
    return formatDecimal(mantissa, scale);
}

std::optional<std::int64_t> Decimal::mantissaAt(int otherScale) const
{
    const int diff = otherScale - scale;
    if (diff == 0 || mantissa == 0)
        return mantissa;
    if (diff > 0) {
        if (diff > kMaxDecimalScale)
            return std::nullopt;
        const std::int64_t factor = kPow10[static_cast<std::size_t>(diff)];
        if (mantissa > kInt64Max / factor || mantissa < -(kInt64Max / factor))
            return std::nullopt;
        return mantissa * factor;
    }
    // Every int64 is below 10^19 in magnitude, so only 0 (handled above) survives a larger division.
    if (-diff > kMaxDecimalScale)
        return std::nullopt;
    const std::int64_t divisor = kPow10[static_cast<std::size_t>(-diff)];
    if (mantissa % divisor != 0)
        return std::nullopt;
    return mantissa / divisor;
}

std::int64_t pow10(int n)
{
    Q_ASSERT(n >= 0 && n <= kMaxDecimalScale);
    return kPow10[static_cast<std::size_t>(std::clamp(n, 0, kMaxDecimalScale))];
}

int formatDecimal(std::int64_t mantissa, int scale, char *out)
{
    scale = clampScale(scale);
    // Unsigned magnitude so INT64_MIN formats too.
    std::uint64_t magnitude
        = mantissa < 0 ? 0 - static_cast<std::uint64_t>(mantissa) : static_cast<std::uint64_t>(mantissa);
    // Digits least significant first; at least scale + 1 of them so there is always an integer digit.
    std::array<char, 20 + kMaxDecimalScale> digits;
    int count = 0;
    do {
        digits[static_cast<std::size_t>(count++)] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    while (count <= scale)
        digits[static_cast<std::size_t>(count++)] = '0';

    char *p = out;
    if (mantissa < 0)
        *p++ = '-';
    for (int i = count - 1; i >= 0; --i) {
        if (i == scale - 1)
            *p++ = '.';
        *p++ = digits[static_cast<std::size_t>(i)];
    }
    return static_cast<int>(p - out);
}

std::string formatDecimal(std::int64_t mantissa, int scale)
{
    char buffer[24];
    const int length = formatDecimal(mantissa, scale, buffer);
    return std::string(buffer, static_cast<std::size_t>(length));
}

QString formatDecimalQ(std::int64_t mantissa, int scale)
{
    char buffer[24];
    const int length = formatDecimal(mantissa, scale, buffer);
    return QString::fromLatin1(buffer, length);
}

std::string formatDecimalTrimmed(std::int64_t mantissa, int scale)
{
    char buffer[24];
    int length = formatDecimal(mantissa, scale, buffer);
    if (clampScale(scale) > 0) {
        while (buffer[length - 1] == '0')
            --length;
        if (buffer[length - 1] == '.')
            --length;
    }
    return std::string(buffer, static_cast<std::size_t>(length));
}

} // namespace tickscope
