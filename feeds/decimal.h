#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickscope {

/// Largest decimal scale (digits after the point) a price or quantity may use.
inline constexpr int kMaxDecimalScale = 18;

/// Why a decimal text could not be turned into a mantissa.
enum class DecimalError : std::uint8_t {
    None,
    Empty, ///< no digits at all
    Syntax, ///< a character that is not part of a decimal number
    TooPrecise, ///< non-zero digits beyond the requested scale (would need rounding)
    Overflow, ///< the mantissa does not fit in 63 bits
};

/// Human-readable text for a DecimalError.
QString decimalErrorText(DecimalError error);

/// Result of parsing decimal text at a fixed scale: the integer mantissa, or an error.
struct DecimalParse
{
    std::int64_t mantissa = 0;
    DecimalError error = DecimalError::None;
    explicit operator bool() const { return error == DecimalError::None; }
};

/// Parses exact decimal text ("-123.4500", "1e-5", "0.00012") into an integer mantissa at `scale`
/// digits after the point, without ever going through a floating-point type. Extra fractional
/// digits are accepted only when they are zeros; anything that would need rounding is an error.
DecimalParse parseDecimal(std::string_view text, int scale);

/// A decimal number whose scale was taken from its text ("1.250" → mantissa 1250, scale 3).
struct Decimal
{
    std::int64_t mantissa = 0;
    int scale = 0;

    /// Parses text keeping every written fractional digit (exponents are folded into the scale).
    static std::optional<Decimal> parse(std::string_view text);
    /// Exact text with exactly `scale` fractional digits.
    std::string toString() const;
    /// The same value at another scale, if it is representable exactly.
    std::optional<std::int64_t> mantissaAt(int otherScale) const;
    friend bool operator==(const Decimal &, const Decimal &) = default;
};

/// 10^n for 0 <= n <= 18.
std::int64_t pow10(int n);

/// Writes `mantissa` at `scale` as exact text with exactly `scale` fractional digits
/// (12345, 2 → "123.45"; -5, 3 → "-0.005") into `out`, which must hold at least 24 chars.
/// Returns the number of characters written. Never allocates.
int formatDecimal(std::int64_t mantissa, int scale, char *out);
/// Allocating convenience form of formatDecimal.
std::string formatDecimal(std::int64_t mantissa, int scale);
/// QString form of formatDecimal, for models.
QString formatDecimalQ(std::int64_t mantissa, int scale);
/// Exact text with trailing fractional zeros removed ("1.2300" → "1.23", "5.000" → "5").
std::string formatDecimalTrimmed(std::int64_t mantissa, int scale);

} // namespace tickscope
