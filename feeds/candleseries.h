#pragma once

#include "marketdata.h"

#include <array>
#include <cstdint>
#include <vector>

namespace tickscope {

/// OHLCV candles of one instrument for every CandleInterval, built from trades, each interval a
/// bounded ring (oldest candles fall off). Feed-thread only.
class CandleSeries
{
public:
    explicit CandleSeries(std::size_t capacity = 1000);

    /// Folds a trade into the current candle of every interval (opening new candles as time moves).
    /// A trade older than an interval's current candle is folded into that current candle, so the
    /// series never goes back in time.
    void addTrade(std::int64_t timeMs, std::int64_t price, std::int64_t qty, bool afterGap = false);

    /// Number of candles kept for an interval.
    std::size_t size(CandleInterval interval) const;
    /// Candle i (0 = oldest kept) of an interval.
    const Candle &at(CandleInterval interval, std::size_t i) const;
    /// The newest candle of an interval; only valid when size() > 0.
    const Candle &last(CandleInterval interval) const;
    std::size_t capacity() const { return m_capacity; }

private:
    struct Ring
    {
        std::vector<Candle> candles; // circular once full
        std::size_t head = 0; // index of the oldest when full
    };
    std::size_t m_capacity;
    std::array<Ring, kCandleIntervalCount> m_rings;
};

} // namespace tickscope
