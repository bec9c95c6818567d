#include "marketstate.h"

#include <algorithm>

namespace tickscope {

MarketState::MarketState(Handoff &handoff, std::size_t publishDepth, std::size_t tradeRingCapacity)
    : m_handoff(handoff)
    , m_publishDepth(publishDepth)
    , m_tradeRingCapacity(std::max<std::size_t>(tradeRingCapacity, 1))
{ }

void MarketState::setInstruments(const std::vector<Instrument> &instruments)
{
    std::vector<std::unique_ptr<Entry>> entries;
    entries.reserve(instruments.size());
    for (const auto &instrument : instruments) {
        const int existing = indexOf(instrument.symbol);
        if (existing >= 0 && m_entries[static_cast<std::size_t>(existing)]
            && m_entries[static_cast<std::size_t>(existing)]->instrument == instrument) {
            entries.push_back(std::move(m_entries[static_cast<std::size_t>(existing)]));
            continue;
        }
        auto entry = std::make_unique<Entry>();
        entry->instrument = instrument;
        entry->id = m_handoff.registerInstrument(instrument);
        entry->pending.reset(entry->id);
        entries.push_back(std::move(entry));
    }
    m_entries = std::move(entries);
    m_dirty.clear();
    for (auto &entry : m_entries)
        entry->dirty = false;
}

int MarketState::indexOf(const QString &symbol) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i] && m_entries[i]->instrument.symbol == symbol)
            return static_cast<int>(i);
    }
    return -1;
}

void MarketState::markDirty(Entry &entry, std::int64_t recvNs)
{
    if (recvNs > 0)
        entry.lastDataNs = recvNs;
    if (!entry.dirty) {
        entry.dirty = true;
        entry.oldestRecvNs = recvNs;
        m_dirty.push_back(&entry);
    }
}

ApplyResult MarketState::applySnapshot(const BookSnapshot &snapshot, std::int64_t recvNs)
{
    Entry &entry = *m_entries[snapshot.instrument];
    entry.book.applySnapshot(snapshot);
    if (m_maintainedDepth > 0)
        entry.book.truncate(m_maintainedDepth);
    markDirty(entry, recvNs);
    return entry.book.integrity() == BookIntegrity::Synced ? ApplyResult::Applied : ApplyResult::Crossed;
}

ApplyResult MarketState::applyDelta(const BookDelta &delta, std::int64_t recvNs)
{
    Entry &entry = *m_entries[delta.instrument];
    const ApplyResult result = entry.book.applyDelta(delta);
    if (m_maintainedDepth > 0 && (result == ApplyResult::Applied || result == ApplyResult::Crossed))
        entry.book.truncate(m_maintainedDepth);
    if (result != ApplyResult::Stale && result != ApplyResult::NotSynced)
        markDirty(entry, recvNs);
    return result;
}

void MarketState::applyTrade(const Trade &trade, std::int64_t recvNs, std::int64_t wallMs)
{
    Entry &entry = *m_entries[trade.instrument];
    const std::int64_t timeMs = trade.exchangeTimeUs > 0 ? trade.exchangeTimeUs / 1000 : wallMs;
    Quote &quote = entry.quote;
    if (quote.last != kNoPrice && trade.price != quote.last)
        quote.tickDirection = trade.price > quote.last ? 1 : -1;
    quote.last = trade.price;
    // Without a venue ticker the trades themselves extend the session range.
    if (quote.high24h == kNoPrice || trade.price > quote.high24h)
        quote.high24h = trade.price;
    if (quote.low24h == kNoPrice || trade.price < quote.low24h)
        quote.low24h = trade.price;
    if (quote.open24h == kNoPrice)
        quote.open24h = trade.price;

    const TradePrint print {trade.price, trade.qty,     trade.side,
                            timeMs,      trade.tradeId, entry.tradeGap && !entry.tradeRing.empty()};
    entry.tradeGap = false;
    if (entry.tradeRing.size() < m_tradeRingCapacity) {
        entry.tradeRing.push_back(print);
    } else {
        entry.tradeRing[entry.tradeHead] = print;
        entry.tradeHead = (entry.tradeHead + 1) % m_tradeRingCapacity;
    }
    // The pending list is bounded like the ring: between two publishes only the newest survive.
    if (entry.pending.trades.size() >= m_tradeRingCapacity) {
        entry.pending.trades.erase(entry.pending.trades.begin());
        ++entry.pending.droppedTrades;
    }
    entry.pending.trades.push_back(print);

    entry.candles.addTrade(timeMs, trade.price, trade.qty, print.afterGap);
    for (std::size_t i = 0; i < kCandleIntervalCount; ++i) {
        auto &touched = entry.pending.candles[i];
        const Candle &candle = entry.candles.last(static_cast<CandleInterval>(i));
        if (!touched.empty() && touched.back().openTimeMs == candle.openTimeMs)
            touched.back() = candle;
        else
            touched.push_back(candle);
    }
    markDirty(entry, recvNs);
}

void MarketState::applyTicker(const Ticker &ticker, std::int64_t recvNs)
{
    Entry &entry = *m_entries[ticker.instrument];
    Quote &quote = entry.quote;
    if (ticker.last != kNoPrice) {
        if (quote.last != kNoPrice && ticker.last != quote.last)
            quote.tickDirection = ticker.last > quote.last ? 1 : -1;
        quote.last = ticker.last;
    }
    if (ticker.open24h != kNoPrice)
        quote.open24h = ticker.open24h;
    if (ticker.high24h != kNoPrice)
        quote.high24h = ticker.high24h;
    if (ticker.low24h != kNoPrice)
        quote.low24h = ticker.low24h;
    quote.volume24h = ticker.volume24h;
    markDirty(entry, recvNs);
}

void MarketState::applyBestQuote(const BestQuote &best, std::int64_t recvNs)
{
    Entry &entry = *m_entries[best.instrument];
    entry.quote.bid = best.bid;
    entry.quote.bidQty = best.bidQty;
    entry.quote.ask = best.ask;
    entry.quote.askQty = best.askQty;
    if (entry.book.integrity() != BookIntegrity::Synced) // otherwise nothing the GUI sees changed
        markDirty(entry, recvNs);
}

void MarketState::markResyncing(LocalInstrument local)
{
    Entry &entry = *m_entries[local];
    entry.book.markResyncing();
    entry.tradeGap = true;
    markDirty(entry, 0);
}

void MarketState::markAllResyncing()
{
    for (auto &entry : m_entries) {
        entry->book.markResyncing();
        entry->stale = true;
        entry->tradeGap = true;
        markDirty(*entry, 0);
    }
}

void MarketState::setStale(bool stale)
{
    for (auto &entry : m_entries) {
        if (entry->stale != stale) {
            entry->stale = stale;
            markDirty(*entry, 0);
        }
    }
}

int MarketState::booksSynced() const
{
    return static_cast<int>(std::count_if(m_entries.begin(), m_entries.end(), [](const auto &entry) {
        return entry->book.integrity() == BookIntegrity::Synced;
    }));
}

void MarketState::refreshTop(Entry &entry)
{
    InstrumentUpdate &update = entry.pending;
    update.id = entry.id;
    entry.book.top(BookSide::Bid, m_publishDepth, update.bids);
    entry.book.top(BookSide::Ask, m_publishDepth, update.asks);
    update.quote = entry.quote;
    // The touch comes from the book; the venue's own best quote (entry.quote.bid/ask, when it has
    // one) stands in only while the book is not synced.
    const bool venueTouch = entry.book.integrity() != BookIntegrity::Synced
        && (entry.quote.bid != kNoPrice || entry.quote.ask != kNoPrice);
    if (!venueTouch) {
        const Level bestBid = entry.book.best(BookSide::Bid);
        const Level bestAsk = entry.book.best(BookSide::Ask);
        update.quote.bid = bestBid.qty > 0 ? bestBid.price : kNoPrice;
        update.quote.bidQty = bestBid.qty;
        update.quote.ask = bestAsk.qty > 0 ? bestAsk.price : kNoPrice;
        update.quote.askQty = bestAsk.qty;
    }
    update.integrity = entry.book.integrity();
    update.crossed = entry.book.crossed();
    update.stale = entry.stale;
    update.bookSequence = entry.book.sequence();
    update.oldestRecvNs = entry.oldestRecvNs;
}

void MarketState::publish(const FeedSnapshot *feed)
{
    m_publishList.clear();
    for (Entry *entry : m_dirty) {
        refreshTop(*entry);
        m_publishList.push_back(&entry->pending);
    }
    m_handoff.publish(m_publishList, feed);
    for (Entry *entry : m_dirty) {
        entry->dirty = false;
        entry->oldestRecvNs = 0;
        entry->pending.trades.clear();
        entry->pending.droppedTrades = 0;
        for (auto &candles : entry->pending.candles)
            candles.clear();
    }
    m_dirty.clear();
}

std::vector<TradePrint> MarketState::recentTrades(LocalInstrument local) const
{
    const Entry &entry = *m_entries[local];
    std::vector<TradePrint> out;
    out.reserve(entry.tradeRing.size());
    for (std::size_t i = 0; i < entry.tradeRing.size(); ++i)
        out.push_back(entry.tradeRing[(entry.tradeHead + i) % entry.tradeRing.size()]);
    return out;
}

} // namespace tickscope
