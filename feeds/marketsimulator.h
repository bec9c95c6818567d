#pragma once

#include "instrument.h"
#include "orderbook.h"

#include <cstdint>
#include <random>
#include <vector>

namespace tickscope {

namespace demo {
class Envelope;
class BookSnapshot;
class Ticker;
class InstrumentList;
} // namespace demo

/// Parameters of the demo market.
struct SimConfig
{
    std::uint64_t seed = 1; ///< same seed, same market, event for event
    int symbols = 50; ///< number of instruments
    double rate = 2000; ///< mean total messages per second over all instruments (Poisson)
    int depth = 50; ///< levels kept on each side of every book
    /// Wall-clock time (µs since the epoch) of simulated time 0, for exchange timestamps; 0 keeps
    /// the output independent of when it runs.
    std::int64_t epochUs = 0;
};

/// A deterministic synthetic market: instruments of very different price scales (a BTC-like pair
/// near 60000.00, sub-cent tokens with 8 decimals, FX pairs with 5 decimals, …), a mid price per
/// instrument that random-walks with switching volatility regimes, and full-depth books that change
/// through level updates and trades at the touch arriving as a Poisson process.
///
/// The simulator knows nothing about time or sockets: next() yields the next event and
/// nextEventTimeUs() says when (on the simulated clock) it is due; the server paces it. The books it
/// keeps are exactly what a client has after applying every event next() produced.
class MarketSimulator
{
public:
    explicit MarketSimulator(SimConfig config);

    const SimConfig &config() const { return m_config; }
    const std::vector<Instrument> &instruments() const { return m_instruments; }

    /// Simulated time (microseconds since start) at which the next event is due.
    std::int64_t nextEventTimeUs() const { return m_nextEventUs; }
    /// Writes the next event (delta, trade or ticker) into `envelope` (its body only; sequence and
    /// send time are the server's) and advances the simulated clock. Returns the instrument id.
    std::uint32_t next(demo::Envelope &envelope);
    /// Restarts the clock at `timeUs` without producing the events in between (a server that fell
    /// behind skips ahead rather than bursting).
    void skipTo(std::int64_t timeUs);

    /// The current book of an instrument as a snapshot message (best first, all levels).
    void fillSnapshot(std::uint32_t id, demo::BookSnapshot &snapshot) const;
    /// The current 24 h statistics of an instrument.
    void fillTicker(std::uint32_t id, demo::Ticker &ticker) const;
    /// Every instrument as the InstrumentList message.
    void fillInstruments(demo::InstrumentList &list) const;

    const OrderBook &book(std::uint32_t id) const { return m_markets[id].book; }
    std::uint64_t bookSequence(std::uint32_t id) const { return m_markets[id].bookSeq; }
    std::uint64_t eventsProduced() const { return m_events; }

private:
    struct Market
    {
        OrderBook book;
        std::uint64_t bookSeq = 1;
        double mid = 0; // mantissa units at priceScale, continuous
        double anchor = 0; // the walk is weakly pulled back towards this
        double sigma = 0; // relative volatility per event in the normal regime
        int regime = 1; // 0 calm, 1 normal, 2 volatile
        std::int64_t grid = 1; // spacing of price levels, mantissa (a multiple of the tick size)
        std::int64_t lot = 1;
        std::int64_t typicalQty = 1; // mantissa at qtyScale
        double weight = 1; // share of the total message rate
        // 24 h statistics (since start)
        std::int64_t open = 0;
        std::int64_t high = 0;
        std::int64_t low = 0;
        std::int64_t last = 0;
        std::int64_t volume = 0;
        std::uint64_t nextTradeId = 1;
        // A trade consumes liquidity at the touch; the book change it causes is the next event.
        bool tradePending = false;
        BookSide pendingSide = BookSide::Bid;
        std::int64_t pendingPrice = 0;
        std::int64_t pendingQty = 0;
        std::int64_t lastTimeUs = 0;
    };

    void buildInstruments();
    void seedBook(Market &market);
    std::int64_t randomQty(const Market &market);
    std::uint32_t pickInstrument();
    void produceDelta(std::uint32_t id, demo::Envelope &envelope);
    void produceTrade(std::uint32_t id, demo::Envelope &envelope);
    void producePendingDelta(std::uint32_t id, demo::Envelope &envelope);
    void advanceClock();

    SimConfig m_config;
    std::mt19937_64 m_rng;
    std::vector<Instrument> m_instruments;
    std::vector<Market> m_markets;
    std::vector<double> m_cumulativeWeight;
    std::vector<std::uint32_t> m_pendingQueue; // instruments whose trade still owes a book delta
    std::int64_t m_nextEventUs = 0;
    double m_clockUs = 0;
    std::uint64_t m_events = 0;
};

} // namespace tickscope
