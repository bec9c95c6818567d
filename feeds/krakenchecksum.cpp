#include "krakenchecksum.h"

#include <array>
#include <charconv>

namespace tickscope::kraken {

namespace {

constexpr std::array<std::uint32_t, 256> makeCrcTable()
{
    std::array<std::uint32_t, 256> table {};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> kCrcTable = makeCrcTable();
constexpr std::size_t kChecksumDepth = 10;

void appendDigits(std::string &out, std::int64_t value)
{
    // A mantissa at the instrument's precision is the number's digits without the point; its
    // decimal text has no leading zeros (0 itself is "0", which Kraken never sends for a level).
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendSide(std::string &out, std::span<const ChecksumLevel> levels)
{
    const std::size_t n = std::min(levels.size(), kChecksumDepth);
    for (std::size_t i = 0; i < n; ++i) {
        appendDigits(out, levels[i].price);
        appendDigits(out, levels[i].qty);
    }
}

} // namespace

std::uint32_t crc32(std::string_view data)
{
    std::uint32_t c = 0xFFFFFFFFu;
    for (const char ch : data)
        c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::string checksumInput(std::span<const ChecksumLevel> asks, std::span<const ChecksumLevel> bids)
{
    std::string out;
    out.reserve(2 * kChecksumDepth * 2 * 12);
    appendSide(out, asks);
    appendSide(out, bids);
    return out;
}

std::uint32_t bookChecksum(std::span<const ChecksumLevel> asks, std::span<const ChecksumLevel> bids)
{
    return crc32(checksumInput(asks, bids));
}

} // namespace tickscope::kraken
