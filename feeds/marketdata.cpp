#include "marketdata.h"

#include <algorithm>

namespace tickscope {

namespace {
// Between two drains at most this many trades and candles per interval are kept per instrument;
// older ones are dropped (and counted for trades). Keeps the handoff bounded at any message rate.
constexpr std::size_t kMaxTradesPerDrain = 512;
constexpr std::size_t kMaxCandlesPerDrain = 64;

void appendCandle(std::vector<Candle> &candles, const Candle &candle)
{
    if (!candles.empty() && candles.back().openTimeMs == candle.openTimeMs) {
        candles.back() = candle;
        return;
    }
    if (!candles.empty() && candles.back().openTimeMs > candle.openTimeMs)
        return;
    if (candles.size() == kMaxCandlesPerDrain)
        candles.erase(candles.begin());
    candles.push_back(candle);
}
} // namespace

std::int64_t candleIntervalMs(CandleInterval interval)
{
    switch (interval) {
    case CandleInterval::S1:
        return 1000;
    case CandleInterval::M1:
        return 60 * 1000;
    case CandleInterval::M5:
        return 5 * 60 * 1000;
    case CandleInterval::M15:
        return 15 * 60 * 1000;
    case CandleInterval::H1:
        return 60 * 60 * 1000;
    case CandleInterval::D1:
        return 24 * 60 * 60 * 1000;
    }
    return 1000;
}

QString candleIntervalName(CandleInterval interval)
{
    switch (interval) {
    case CandleInterval::S1:
        return QStringLiteral("1s");
    case CandleInterval::M1:
        return QStringLiteral("1m");
    case CandleInterval::M5:
        return QStringLiteral("5m");
    case CandleInterval::M15:
        return QStringLiteral("15m");
    case CandleInterval::H1:
        return QStringLiteral("1h");
    case CandleInterval::D1:
        return QStringLiteral("1d");
    }
    return {};
}

QString feedStateName(FeedState state)
{
    switch (state) {
    case FeedState::Idle:
        return QStringLiteral("Idle");
    case FeedState::Connecting:
        return QStringLiteral("Connecting");
    case FeedState::Subscribing:
        return QStringLiteral("Subscribing");
    case FeedState::Live:
        return QStringLiteral("Live");
    case FeedState::Stale:
        return QStringLiteral("Stale");
    case FeedState::Reconnecting:
        return QStringLiteral("Reconnecting");
    case FeedState::Paused:
        return QStringLiteral("Paused");
    case FeedState::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

void InstrumentUpdate::merge(const InstrumentUpdate &newer)
{
    id = newer.id;
    quote = newer.quote;
    integrity = newer.integrity;
    crossed = newer.crossed;
    stale = newer.stale;
    bookSequence = newer.bookSequence;
    bids = newer.bids;
    asks = newer.asks;
    droppedTrades += newer.droppedTrades;
    for (const auto &trade : newer.trades) {
        if (trades.size() == kMaxTradesPerDrain) {
            trades.erase(trades.begin());
            ++droppedTrades;
        }
        trades.push_back(trade);
    }
    for (std::size_t i = 0; i < kCandleIntervalCount; ++i) {
        for (const auto &candle : newer.candles[i])
            appendCandle(candles[i], candle);
    }
    if (oldestRecvNs == 0 || (newer.oldestRecvNs != 0 && newer.oldestRecvNs < oldestRecvNs))
        oldestRecvNs = newer.oldestRecvNs;
}

void InstrumentUpdate::reset(InstrumentId newId)
{
    id = newId;
    quote = {};
    integrity = BookIntegrity::Resyncing;
    crossed = false;
    stale = false;
    bookSequence = 0;
    bids.clear();
    asks.clear();
    trades.clear();
    droppedTrades = 0;
    for (auto &c : candles)
        c.clear();
    oldestRecvNs = 0;
}

} // namespace tickscope
