#pragma once

#include "candleseries.h"
#include "events.h"
#include "handoff.h"
#include "marketdata.h"
#include "orderbook.h"

#include <QString>

#include <memory>
#include <vector>

namespace tickscope {

/// Everything one feed knows about its instruments, on the feed thread: books, last trades, 24 h
/// statistics, candles and a bounded trade ring per instrument. It marks instruments dirty as
/// events arrive and publishes only the dirty ones' latest state into the Handoff.
class MarketState
{
public:
    struct Entry
    {
        Instrument instrument;
        InstrumentId id = kNoInstrument;
        OrderBook book;
        Quote quote;
        CandleSeries candles;
        std::vector<TradePrint> tradeRing; // bounded, circular once full
        std::size_t tradeHead = 0;
        InstrumentUpdate pending; // new trades and touched candles since the last publish
        bool dirty = false;
        bool stale = true;
        bool tradeGap = false; // messages were lost since the last trade print
        std::int64_t lastDataNs = 0; // steady receive time of the instrument's last message (0 = none yet)
        std::int64_t oldestRecvNs = 0;
    };

    /// `publishDepth`: how many book levels per side are handed to the GUI.
    MarketState(Handoff &handoff, std::size_t publishDepth = 50, std::size_t tradeRingCapacity = 1000);
    /// Books are cut to this many levels per side after every snapshot and delta (0 = never).
    void setMaintainedDepth(std::size_t depth) { m_maintainedDepth = depth; }

    /// Installs the venue's instrument table. Instruments already known (same symbol) keep their
    /// process-wide id and state; new ones are registered with the handoff.
    void setInstruments(const std::vector<Instrument> &instruments);
    std::size_t size() const { return m_entries.size(); }
    bool contains(LocalInstrument local) const { return local < m_entries.size(); }
    const Entry &entry(LocalInstrument local) const { return *m_entries[local]; }
    /// Local index of a venue symbol, or -1.
    int indexOf(const QString &symbol) const;

    ApplyResult applySnapshot(const BookSnapshot &snapshot, std::int64_t recvNs);
    ApplyResult applyDelta(const BookDelta &delta, std::int64_t recvNs);
    void applyTrade(const Trade &trade, std::int64_t recvNs, std::int64_t wallMs);
    void applyTicker(const Ticker &ticker, std::int64_t recvNs);
    /// The venue's best bid/offer: shown as the instrument's bid and ask while its book is not
    /// synced (a synced book's own top always wins, so the row and the ladder agree).
    void applyBestQuote(const BestQuote &quote, std::int64_t recvNs);
    /// Marks one book as waiting for a snapshot (shown as resyncing until it arrives).
    void markResyncing(LocalInstrument local);
    /// Marks every book as waiting for a snapshot and every instrument stale (connection lost).
    void markAllResyncing();
    /// Marks every instrument live or stale (the feed's liveness) without touching books.
    void setStale(bool stale);

    /// Books currently Synced / total.
    int booksSynced() const;

    bool hasDirty() const { return !m_dirty.empty(); }
    /// Hands the latest state of every dirty instrument (and the feed snapshot, if given) to the
    /// handoff in one critical section, then clears the dirty set.
    void publish(const FeedSnapshot *feed);

    /// Trades kept in the ring of one instrument, oldest first.
    std::vector<TradePrint> recentTrades(LocalInstrument local) const;

private:
    void markDirty(Entry &entry, std::int64_t recvNs);
    void refreshTop(Entry &entry);

    Handoff &m_handoff;
    std::size_t m_publishDepth;
    std::size_t m_maintainedDepth = 0;
    std::size_t m_tradeRingCapacity;
    std::vector<std::unique_ptr<Entry>> m_entries;
    std::vector<Entry *> m_dirty;
    std::vector<InstrumentUpdate *> m_publishList;
};

} // namespace tickscope
