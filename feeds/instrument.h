#pragma once

#include <QString>

#include <cstdint>

namespace tickscope {

/// Index of an instrument within one feed (its protocol's instrument table), 0-based.
using LocalInstrument = std::uint32_t;
/// Process-wide instrument id assigned by the Handoff when a feed registers an instrument.
using InstrumentId = std::uint32_t;
inline constexpr InstrumentId kNoInstrument = 0xffffffffu;

/// What kind of market an instrument trades in.
enum class InstrumentKind : std::uint8_t { Spot, Perpetual, Future, Fx, Index };

/// Static description of a tradable instrument. Prices and quantities of this instrument are
/// integer mantissas at `priceScale` / `qtyScale` decimal digits.
struct Instrument
{
    QString venue; ///< feed/venue name, e.g. "demo", "binance"
    QString symbol; ///< the venue's own symbol, e.g. "BTC-USD"
    QString displayName; ///< human name, e.g. "Bitcoin / US Dollar"
    QString base; ///< base asset, e.g. "BTC"
    QString quote; ///< quote asset, e.g. "USD"
    int priceScale = 2; ///< digits after the point in prices
    int qtyScale = 8; ///< digits after the point in quantities
    std::int64_t tickSize = 1; ///< minimum price increment, as a mantissa at priceScale
    std::int64_t lotSize = 1; ///< minimum quantity increment, as a mantissa at qtyScale
    InstrumentKind kind = InstrumentKind::Spot;

    friend bool operator==(const Instrument &, const Instrument &) = default;
};

} // namespace tickscope
