#pragma once

#include "instrument.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace tickscope {

/// One price level: integer mantissas at the instrument's price and quantity scales.
/// In a delta, qty == 0 removes the level.
struct Level
{
    std::int64_t price = 0;
    std::int64_t qty = 0;
    friend bool operator==(const Level &, const Level &) = default;
};

/// Aggressor side of a trade.
enum class Side : std::uint8_t { Buy, Sell };

/// Full replacement of one instrument's book. Reused between frames by decoders (clear(), then fill).
struct BookSnapshot
{
    LocalInstrument instrument = 0;
    std::uint64_t sequence = 0; ///< book sequence after this snapshot; 0 = venue has none
    std::vector<Level> bids; ///< any order; the book sorts
    std::vector<Level> asks;
    std::int64_t exchangeTimeUs = 0; ///< venue time, microseconds since epoch (0 = unknown)
    std::optional<std::uint32_t> checksum; ///< venue checksum of the book after this snapshot
    void clear()
    {
        bids.clear();
        asks.clear();
        sequence = 0;
        exchangeTimeUs = 0;
        checksum.reset();
    }
};

/// Incremental change of one instrument's book.
struct BookDelta
{
    LocalInstrument instrument = 0;
    std::uint64_t sequence = 0; ///< sequence of this delta; 0 = venue has none (no check)
    /// Sequence the book must be at before this delta. 0 = the venue uses "sequence - 1".
    std::uint64_t prevSequence = 0;
    std::vector<Level> bids; ///< absolute level quantities; qty 0 removes
    std::vector<Level> asks;
    std::optional<std::uint32_t> checksum; ///< venue checksum of the book after this delta
    std::int64_t exchangeTimeUs = 0;
    void clear()
    {
        bids.clear();
        asks.clear();
        sequence = prevSequence = 0;
        checksum.reset();
        exchangeTimeUs = 0;
    }
};

/// One executed trade.
struct Trade
{
    LocalInstrument instrument = 0;
    std::int64_t price = 0;
    std::int64_t qty = 0;
    Side side = Side::Buy;
    std::uint64_t tradeId = 0;
    std::int64_t exchangeTimeUs = 0;
};

/// Marker for an absent price in tickers and quotes.
inline constexpr std::int64_t kNoPrice = INT64_MIN;

/// Rolling 24 h statistics of one instrument.
struct Ticker
{
    LocalInstrument instrument = 0;
    std::int64_t last = kNoPrice;
    std::int64_t open24h = kNoPrice;
    std::int64_t high24h = kNoPrice;
    std::int64_t low24h = kNoPrice;
    std::int64_t volume24h = 0; ///< base volume, mantissa at qtyScale
    std::int64_t exchangeTimeUs = 0;
};

/// The venue's own best bid and offer (e.g. Binance `bookTicker`): the touch as the venue states it,
/// independent of the local book. The GUI shows it while the book is not synced.
struct BestQuote
{
    LocalInstrument instrument = 0;
    std::int64_t bid = kNoPrice;
    std::int64_t bidQty = 0;
    std::int64_t ask = kNoPrice;
    std::int64_t askQty = 0;
};

/// Something the venue says about the connection itself.
struct VenueStatus
{
    enum class Kind : std::uint8_t {
        Heartbeat, ///< venue heartbeat; proves liveness only
        Error, ///< venue reported an error (message, code)
        SequenceGap, ///< connection-level sequence skipped (frames lost)
        Info,
    };
    Kind kind = Kind::Info;
    int code = 0;
    QString message;
    std::uint64_t expected = 0; ///< for SequenceGap
    std::uint64_t received = 0; ///< for SequenceGap
};

/// Receives the normalized events a VenueProtocol decodes from one frame. References passed to
/// the callbacks are only valid during the call (decoders reuse them).
class EventSink
{
public:
    virtual ~EventSink() = default;
    /// The venue's instrument table; LocalInstrument ids index into it. May be sent again (replaces).
    virtual void onInstruments(const std::vector<Instrument> &instruments) = 0;
    virtual void onSnapshot(const BookSnapshot &snapshot) = 0;
    virtual void onDelta(const BookDelta &delta) = 0;
    virtual void onTrade(const Trade &trade) = 0;
    virtual void onTicker(const Ticker &ticker) = 0;
    /// Only venues with a separate top-of-book stream send it; replays and tools may ignore it.
    virtual void onBestQuote(const BestQuote & /*quote*/) { }
    virtual void onStatus(const VenueStatus &status) = 0;
};

} // namespace tickscope
