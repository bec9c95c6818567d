#pragma once

#include "events.h"
#include "orderbook.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace tickscope {

/// Candle intervals kept per instrument.
enum class CandleInterval : std::uint8_t { S1, M1, M5, M15, H1, D1 };
inline constexpr std::size_t kCandleIntervalCount = 6;
/// Length of an interval in milliseconds.
std::int64_t candleIntervalMs(CandleInterval interval);
/// Short label: "1s", "1m", "5m", "15m", "1h", "1d".
QString candleIntervalName(CandleInterval interval);

/// One OHLCV candle; prices at the instrument's price scale, volume at its quantity scale.
struct Candle
{
    std::int64_t openTimeMs = 0; ///< start of the interval, ms since epoch
    std::int64_t open = 0;
    std::int64_t high = 0;
    std::int64_t low = 0;
    std::int64_t close = 0;
    std::int64_t volume = 0;
    std::uint32_t trades = 0;
    bool afterGap = false; ///< trades may be missing in or just before this candle (reconnect, stream gap)
    friend bool operator==(const Candle &, const Candle &) = default;
};

/// A trade as shown to the user (instrument resolved to the process-wide id).
struct TradePrint
{
    std::int64_t price = 0;
    std::int64_t qty = 0;
    Side side = Side::Buy;
    std::int64_t timeMs = 0; ///< exchange time (receive wall time when the venue gives none)
    std::uint64_t tradeId = 0;
    /// Trades may be missing just before this one: the connection was lost or the instrument's
    /// stream had a gap since the previous print.
    bool afterGap = false;
};

/// Top-of-book and 24 h statistics of one instrument. Absent prices are kNoPrice.
struct Quote
{
    std::int64_t last = kNoPrice;
    std::int64_t bid = kNoPrice;
    std::int64_t ask = kNoPrice;
    std::int64_t bidQty = 0;
    std::int64_t askQty = 0;
    std::int64_t open24h = kNoPrice;
    std::int64_t high24h = kNoPrice;
    std::int64_t low24h = kNoPrice;
    std::int64_t volume24h = 0;
    std::int8_t tickDirection = 0; ///< sign of the last change of `last`: -1, 0, +1
    friend bool operator==(const Quote &, const Quote &) = default;
};

/// Latest state of one instrument handed from the feed thread to the GUI thread.
struct InstrumentUpdate
{
    InstrumentId id = kNoInstrument;
    Quote quote;
    BookIntegrity integrity = BookIntegrity::Resyncing;
    bool crossed = false;
    bool stale = false; ///< the instrument's feed is not live
    std::uint64_t bookSequence = 0;
    std::vector<Level> bids; ///< top levels, best first
    std::vector<Level> asks; ///< top levels, best first
    std::vector<TradePrint> trades; ///< new since the last drain, oldest first, bounded
    std::uint32_t droppedTrades = 0; ///< trades that did not fit between two drains
    /// Candles touched since the last drain, per interval, oldest first; the last may still be open.
    std::array<std::vector<Candle>, kCandleIntervalCount> candles;
    std::int64_t oldestRecvNs = 0; ///< steady receive time of the oldest change included

    /// Folds a newer update of the same instrument into this one: state is replaced, trades and
    /// candles are appended (bounded).
    void merge(const InstrumentUpdate &newer);
    /// Empties the update while keeping its allocations.
    void reset(InstrumentId newId);
};

/// Connection state of one feed.
enum class FeedState : std::uint8_t { Idle, Connecting, Subscribing, Live, Stale, Reconnecting, Paused, Failed };
QString feedStateName(FeedState state);

/// Counters and state of one feed as shown to the user.
struct FeedSnapshot
{
    int feedIndex = 0;
    QString name;
    QString url;
    FeedState state = FeedState::Idle;
    QString detail; ///< reason of the last transition / last error
    int attempt = 0; ///< reconnect attempt (Reconnecting)
    std::int64_t retryAtMs = 0; ///< wall time of the next attempt (Reconnecting)
    std::uint64_t framesReceived = 0;
    std::uint64_t bytesReceived = 0;
    std::uint64_t framesDecoded = 0;
    std::uint64_t messagesApplied = 0;
    std::uint64_t decodeErrors = 0;
    std::uint64_t reconnects = 0;
    std::uint64_t gaps = 0;
    std::uint64_t resyncs = 0;
    std::uint64_t crossedBooks = 0;
    std::uint64_t checksumOk = 0;
    std::uint64_t checksumBad = 0;
    double messageRate = 0; ///< frames per second over the last second
    int booksTotal = 0;
    int booksSynced = 0;
    std::int64_t connectedSinceMs = 0; ///< wall time the current connection went live (0 = not)
    std::int64_t staleSinceMs = 0; ///< wall time of the last frame before the feed went Stale (Stale only)
};

} // namespace tickscope
