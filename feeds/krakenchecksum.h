#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tickscope::kraken {

/// One book level as exact mantissas at the instrument's price and quantity precisions.
struct ChecksumLevel
{
    std::int64_t price = 0;
    std::int64_t qty = 0;
};

/// CRC-32 (IEEE 802.3, the zlib one) of `data`.
std::uint32_t crc32(std::string_view data);

/// The text Kraken's book checksum is computed over (v1 and v2 alike): the best 10 asks, lowest
/// first, then the best 10 bids, highest first; each level as its price then its quantity, each
/// written at the instrument's precision with the decimal point and leading zeros removed — which
/// is exactly the decimal digits of the mantissa. Fewer than 10 levels: those there are.
std::string checksumInput(std::span<const ChecksumLevel> asks, std::span<const ChecksumLevel> bids);

/// CRC-32 of checksumInput(): the value Kraken sends as the book's checksum.
std::uint32_t bookChecksum(std::span<const ChecksumLevel> asks, std::span<const ChecksumLevel> bids);

} // namespace tickscope::kraken
