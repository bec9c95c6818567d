#include "candleseries.h"

#include <algorithm>

namespace tickscope {

CandleSeries::CandleSeries(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(capacity, 1))
{ }

std::size_t CandleSeries::size(CandleInterval interval) const
{
    return m_rings[static_cast<std::size_t>(interval)].candles.size();
}

const Candle &CandleSeries::at(CandleInterval interval, std::size_t i) const
{
    const Ring &ring = m_rings[static_cast<std::size_t>(interval)];
    return ring.candles[(ring.head + i) % ring.candles.size()];
}

const Candle &CandleSeries::last(CandleInterval interval) const
{
    return at(interval, size(interval) - 1);
}

void CandleSeries::addTrade(std::int64_t timeMs, std::int64_t price, std::int64_t qty, bool afterGap)
{
    for (std::size_t i = 0; i < kCandleIntervalCount; ++i) {
        const std::int64_t length = candleIntervalMs(static_cast<CandleInterval>(i));
        const std::int64_t open = timeMs - ((timeMs % length) + length) % length;
        Ring &ring = m_rings[i];
        if (!ring.candles.empty()) {
            Candle &current = ring.candles[(ring.head + ring.candles.size() - 1) % ring.candles.size()];
            if (open <= current.openTimeMs) {
                current.high = std::max(current.high, price);
                current.low = std::min(current.low, price);
                current.close = price;
                current.volume += qty;
                ++current.trades;
                current.afterGap = current.afterGap || afterGap;
                continue;
            }
        }
        const Candle candle {open, price, price, price, price, qty, 1, afterGap};
        if (ring.candles.size() < m_capacity) {
            ring.candles.push_back(candle);
        } else {
            ring.candles[ring.head] = candle;
            ring.head = (ring.head + 1) % m_capacity;
        }
    }
}

} // namespace tickscope
