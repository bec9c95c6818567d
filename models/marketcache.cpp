#include "marketcache.h"

#include <algorithm>

Q_LOGGING_CATEGORY(lcModels, "tickscope.models", QtInfoMsg)

namespace tickscope {

namespace {
template<typename T> void trimFront(std::deque<T> &ring, std::size_t capacity)
{
    if (ring.size() > capacity)
        ring.erase(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(ring.size() - capacity));
}

std::size_t integrityIndex(BookIntegrity integrity)
{
    return static_cast<std::size_t>(integrity);
}
} // namespace

MarketCache::MarketCache(std::size_t tradeCapacity, std::size_t candleCapacity)
    : m_tradeCapacity(std::max<std::size_t>(tradeCapacity, 1))
    , m_candleCapacity(std::max<std::size_t>(candleCapacity, 1))
{ }

void MarketCache::setTradeCapacity(std::size_t capacity)
{
    m_tradeCapacity = std::max<std::size_t>(capacity, 1);
    for (InstrumentState &state : m_states)
        trimFront(state.trades, m_tradeCapacity);
}

void MarketCache::setCandleCapacity(std::size_t capacity)
{
    m_candleCapacity = std::max<std::size_t>(capacity, 1);
    for (InstrumentState &state : m_states) {
        for (auto &history : state.candles)
            trimFront(history, m_candleCapacity);
    }
}

QString MarketCache::key(const QString &venue, const QString &symbol)
{
    return venue + QLatin1Char('\n') + symbol;
}

int MarketCache::addVenue(const QString &name)
{
    const int existing = venueIndex(name);
    if (existing >= 0)
        return existing;
    m_venues.push_back(Venue {name, {}, {}, 0, {}});
    return static_cast<int>(m_venues.size()) - 1;
}

int MarketCache::venueIndex(const QString &venue) const
{
    // A handful of venues at most: a linear scan beats hashing.
    for (std::size_t i = 0; i < m_venues.size(); ++i) {
        if (m_venues[i].name == venue)
            return static_cast<int>(i);
    }
    return -1;
}

int MarketCache::venueBookCount(int venueIndex, BookIntegrity integrity) const
{
    if (venueIndex < 0 || static_cast<std::size_t>(venueIndex) >= m_venues.size())
        return 0;
    return m_venues[static_cast<std::size_t>(venueIndex)].books[integrityIndex(integrity)];
}

void MarketCache::apply(const DrainBatch &batch)
{
    if (!batch.newInstruments.empty()) {
        if (batch.firstNewId != m_instruments.size()) {
            // Ids are assigned densely by the Handoff; a hole means a drain was lost.
            qCWarning(lcModels) << "instrument ids out of order: expected" << m_instruments.size() << "got"
                                << batch.firstNewId;
        }
        for (std::size_t i = 0; i < batch.newInstruments.size(); ++i) {
            const InstrumentId id = batch.firstNewId + static_cast<InstrumentId>(i);
            if (id < m_instruments.size())
                continue; // already known
            while (m_instruments.size() < id) {
                // Fill a hole so that ids keep indexing the vectors.
                m_instruments.emplace_back();
                m_states.emplace_back();
                m_venueOf.push_back(addVenue(QString()));
                ++m_venues[static_cast<std::size_t>(m_venueOf.back())].books[integrityIndex(BookIntegrity::Resyncing)];
            }
            const Instrument &instrument = batch.newInstruments[i];
            m_instruments.push_back(instrument);
            m_states.emplace_back();
            const int venue = addVenue(instrument.venue);
            m_venueOf.push_back(venue);
            ++m_venues[static_cast<std::size_t>(venue)].books[integrityIndex(BookIntegrity::Resyncing)];
            m_byKey.insert(key(instrument.venue, instrument.symbol), id);
        }
    }

    for (const InstrumentUpdate &update : batch.updates)
        applyUpdate(update);

    for (const FeedSnapshot &snapshot : batch.feeds) {
        auto it = std::lower_bound(m_feeds.begin(), m_feeds.end(), snapshot.feedIndex,
                                   [](const FeedSnapshot &feed, int index) { return feed.feedIndex < index; });
        if (it != m_feeds.end() && it->feedIndex == snapshot.feedIndex)
            *it = snapshot;
        else
            m_feeds.insert(it, snapshot);
    }
}

void MarketCache::applyUpdate(const InstrumentUpdate &update)
{
    if (update.id >= m_states.size()) {
        qCWarning(lcModels) << "update for unknown instrument" << update.id;
        return;
    }
    InstrumentState &state = m_states[update.id];
    if (state.integrity != update.integrity) {
        auto &books = m_venues[static_cast<std::size_t>(m_venueOf[update.id])].books;
        --books[integrityIndex(state.integrity)];
        ++books[integrityIndex(update.integrity)];
    }
    state.quote = update.quote;
    state.integrity = update.integrity;
    state.crossed = update.crossed;
    state.stale = update.stale;
    state.bookSequence = update.bookSequence;
    state.bids = update.bids;
    state.asks = update.asks;

    state.droppedTrades += update.droppedTrades;
    state.tradesSeen += update.trades.size() + update.droppedTrades;
    if (update.trades.size() >= m_tradeCapacity) {
        state.trades.assign(update.trades.end() - static_cast<std::ptrdiff_t>(m_tradeCapacity), update.trades.end());
    } else {
        state.trades.insert(state.trades.end(), update.trades.begin(), update.trades.end());
        trimFront(state.trades, m_tradeCapacity);
    }

    for (std::size_t i = 0; i < kCandleIntervalCount; ++i)
        appendCandles(state.candles[i], update.candles[i]);
}

void MarketCache::appendCandles(std::deque<Candle> &history, const std::vector<Candle> &incoming)
{
    for (const Candle &candle : incoming) {
        if (!history.empty()) {
            if (candle.openTimeMs == history.back().openTimeMs) {
                history.back() = candle; // the open candle grew
                continue;
            }
            if (candle.openTimeMs < history.back().openTimeMs)
                continue; // never go back in time
        }
        history.push_back(candle);
    }
    trimFront(history, m_candleCapacity);
}

InstrumentId MarketCache::find(const QString &venue, const QString &symbol) const
{
    return m_byKey.value(key(venue, symbol), kNoInstrument);
}

const FeedSnapshot *MarketCache::feed(int feedIndex) const
{
    auto it = std::lower_bound(m_feeds.begin(), m_feeds.end(), feedIndex,
                               [](const FeedSnapshot &feed, int index) { return feed.feedIndex < index; });
    return it != m_feeds.end() && it->feedIndex == feedIndex ? &*it : nullptr;
}

void MarketCache::recordLatencies(const DrainBatch &batch, std::int64_t nowNs)
{
    for (Venue &venue : m_venues) {
        if (venue.windowStartNs == 0) {
            venue.windowStartNs = nowNs;
            continue;
        }
        const std::int64_t elapsed = nowNs - venue.windowStartNs;
        if (elapsed < kLatencyWindowNs)
            continue;
        // Two windows or more without a rotation: the previous window holds nothing recent either.
        if (elapsed >= 2 * kLatencyWindowNs)
            venue.previous.clear();
        else
            venue.previous = venue.current;
        venue.current.clear();
        venue.windowStartNs = nowNs;
    }
    for (const InstrumentUpdate &update : batch.updates) {
        if (update.oldestRecvNs <= 0 || update.id >= m_venueOf.size())
            continue;
        const std::int64_t latency = std::max<std::int64_t>(nowNs - update.oldestRecvNs, 0);
        m_latencyOverall.record(latency);
        if (update.oldestRecvNs >= m_recentFromNs)
            m_venues[static_cast<std::size_t>(m_venueOf[update.id])].current.record(latency);
    }
}

double MarketCache::venueLatencyMs(int venueIndex, double q) const
{
    if (venueIndex < 0 || static_cast<std::size_t>(venueIndex) >= m_venues.size())
        return 0;
    const Venue &venue = m_venues[static_cast<std::size_t>(venueIndex)];
    if (venue.previous.count() == 0)
        return venue.current.quantileMs(q);
    LatencyHistogram recent = venue.previous;
    recent.merge(venue.current);
    return recent.quantileMs(q);
}

} // namespace tickscope
