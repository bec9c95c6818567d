#pragma once

#include "handoff.h"
#include "instrument.h"
#include "latencyhistogram.h"
#include "marketdata.h"

#include <QHash>
#include <QLoggingCategory>
#include <QString>

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcModels) // tickscope.models

namespace tickscope {

/// The GUI thread's mirror of the market: every instrument the handoff announced, its latest
/// quote and top of book, bounded histories of trades and candles, the latest status of every
/// feed, and receive→model latency statistics.
///
/// Filled once per frame by the FrameDriver (apply(), then the models' drained(), then
/// recordLatencies()); models read it to fill rows. GUI thread only; not a QObject.
class MarketCache
{
public:
    /// Everything known about one instrument on the GUI side.
    struct InstrumentState
    {
        Quote quote;
        BookIntegrity integrity = BookIntegrity::Resyncing;
        bool crossed = false;
        bool stale = false; ///< the instrument's feed is not live
        std::uint64_t bookSequence = 0;
        std::vector<Level> bids; ///< top levels, best first
        std::vector<Level> asks; ///< top levels, best first
        std::deque<TradePrint> trades; ///< oldest first, at most tradeCapacity()
        std::uint64_t tradesSeen = 0; ///< trades ever received (including those that fell off)
        std::uint64_t droppedTrades = 0; ///< trades lost in the handoff between two drains
        /// Candles per CandleInterval, oldest first, at most candleCapacity() each.
        std::array<std::deque<Candle>, kCandleIntervalCount> candles;

        const std::deque<Candle> &candleHistory(CandleInterval interval) const
        {
            return candles[static_cast<std::size_t>(interval)];
        }
    };

    /// Rolling window of the per-venue latency statistics: percentiles cover the current window
    /// and the one before, i.e. between one and two windows of recent samples.
    static constexpr std::int64_t kLatencyWindowNs = 5'000'000'000;

    explicit MarketCache(std::size_t tradeCapacity = 1000, std::size_t candleCapacity = 2000);

    /// Applies one drained batch: new instruments, instrument updates and feed snapshots.
    void apply(const DrainBatch &batch);
    /// Records `nowNs - oldestRecvNs` of every update of the batch (steady clock) into the overall
    /// and the per-venue latency statistics. Also rotates the per-venue windows.
    void recordLatencies(const DrainBatch &batch, std::int64_t nowNs);

    /// Trades kept per instrument; lowering it trims the existing histories.
    std::size_t tradeCapacity() const { return m_tradeCapacity; }
    void setTradeCapacity(std::size_t capacity);
    /// Candles kept per instrument and interval; lowering it trims the existing histories.
    std::size_t candleCapacity() const { return m_candleCapacity; }
    void setCandleCapacity(std::size_t capacity);

    std::size_t instrumentCount() const { return m_instruments.size(); }
    bool contains(InstrumentId id) const { return id < m_instruments.size(); }
    /// Static description of an instrument; `id` must be < instrumentCount().
    const Instrument &instrument(InstrumentId id) const { return m_instruments[id]; }
    /// Latest state of an instrument; `id` must be < instrumentCount().
    const InstrumentState &state(InstrumentId id) const { return m_states[id]; }
    /// Id of the instrument with this venue and venue symbol, or kNoInstrument.
    InstrumentId find(const QString &venue, const QString &symbol) const;

    /// Latest snapshot of every feed that reported, ordered by feedIndex.
    const std::vector<FeedSnapshot> &feeds() const { return m_feeds; }
    /// Latest snapshot of the feed with this feedIndex, or nullptr when it never reported.
    const FeedSnapshot *feed(int feedIndex) const;

    /// Venues seen so far (Instrument::venue, which is the feed name); indexes are stable.
    std::size_t venueCount() const { return m_venues.size(); }
    const QString &venueName(int venueIndex) const { return m_venues[static_cast<std::size_t>(venueIndex)].name; }
    /// Index of a venue, or -1 when no instrument of it is known.
    int venueIndex(const QString &venue) const;
    /// Venue index of an instrument; `id` must be < instrumentCount().
    int venueIndexOf(InstrumentId id) const { return m_venueOf[id]; }
    /// Instruments of a venue whose book is currently in `integrity` (as last reported).
    int venueBookCount(int venueIndex, BookIntegrity integrity) const;

    /// Cumulative receive→model latency of every update since start (for --stats).
    const LatencyHistogram &latencyOverall() const { return m_latencyOverall; }
    /// Recent receive→model latency of one venue at quantile q, in milliseconds; 0 without samples.
    double venueLatencyMs(int venueIndex, double q) const;
    double venueLatencyP50Ms(const QString &venue) const { return venueLatencyMs(venueIndex(venue), 0.5); }
    double venueLatencyP99Ms(const QString &venue) const { return venueLatencyMs(venueIndex(venue), 0.99); }
    /// The recent per-venue statistics count only data received at or after `steadyNs` (the overall
    /// histogram counts everything). The app sets it to the time its window showed its first frame
    /// (and to the largest value until then): data that arrived while the window was still being
    /// built waited for the app's start-up, not for the feed, and would otherwise hold the feed's
    /// p99 up for the first 5–10 s.
    void setRecentLatencyFromNs(std::int64_t steadyNs) { m_recentFromNs = steadyNs; }

private:
    struct Venue
    {
        QString name;
        LatencyHistogram current; // samples since windowStartNs
        LatencyHistogram previous; // the window before
        std::int64_t windowStartNs = 0;
        std::array<int, 3> books {}; // instruments per BookIntegrity value
    };

    void applyUpdate(const InstrumentUpdate &update);
    void appendCandles(std::deque<Candle> &history, const std::vector<Candle> &incoming);
    int addVenue(const QString &name);
    static QString key(const QString &venue, const QString &symbol);

    std::size_t m_tradeCapacity;
    std::size_t m_candleCapacity;
    std::vector<Instrument> m_instruments;
    std::vector<InstrumentState> m_states;
    std::vector<int> m_venueOf; // instrument id → venue index
    QHash<QString, InstrumentId> m_byKey; // "venue\nsymbol" → id
    std::vector<Venue> m_venues;
    std::vector<FeedSnapshot> m_feeds; // sorted by feedIndex
    LatencyHistogram m_latencyOverall;
    std::int64_t m_recentFromNs = 0;
};

} // namespace tickscope
