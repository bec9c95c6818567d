#include "fatalwarnings.h"
#include "handoff.h"
#include "marketcache.h"

#include <QtTest>

using namespace tickscope;

namespace {
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

Instrument instrument(const QString &venue, const QString &symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = venue;
    i.symbol = symbol;
    i.displayName = symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

DrainBatch announce(InstrumentId firstId, std::vector<Instrument> instruments)
{
    DrainBatch batch;
    batch.firstNewId = firstId;
    batch.newInstruments = std::move(instruments);
    return batch;
}

InstrumentUpdate update(InstrumentId id)
{
    InstrumentUpdate u;
    u.reset(id);
    return u;
}

TradePrint trade(std::uint64_t tradeId, std::int64_t timeMs = 0)
{
    TradePrint t;
    t.tradeId = tradeId;
    t.price = 100 + static_cast<std::int64_t>(tradeId);
    t.qty = 1;
    t.timeMs = timeMs;
    return t;
}

Candle candle(std::int64_t openTimeMs, std::int64_t close)
{
    return Candle {openTimeMs, close, close, close, close, 1, 1};
}

/// Records one latency sample per call for instrument `id` (an update carries one oldestRecvNs).
void recordSample(MarketCache &cache, InstrumentId id, std::int64_t nowNs, std::int64_t latencyNs)
{
    DrainBatch batch;
    InstrumentUpdate u = update(id);
    u.oldestRecvNs = nowNs - latencyNs;
    batch.updates.push_back(u);
    cache.recordLatencies(batch, nowNs);
}
} // namespace

class TestMarketCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void instrumentsAndFind()
    {
        MarketCache cache;
        QCOMPARE(cache.instrumentCount(), 0u);
        cache.apply(announce(0,
                             {instrument(QStringLiteral("demo"), QStringLiteral("BTC-USD"), 2, 8),
                              instrument(QStringLiteral("demo"), QStringLiteral("PEPE-USDT"), 8, 0)}));
        cache.apply(announce(2, {instrument(QStringLiteral("binance"), QStringLiteral("BTC-USD"), 2, 5)}));
        QCOMPARE(cache.instrumentCount(), 3u);
        QCOMPARE(cache.instrument(1).symbol, QStringLiteral("PEPE-USDT"));
        QCOMPARE(cache.instrument(2).qtyScale, 5);
        QCOMPARE(cache.find(QStringLiteral("demo"), QStringLiteral("BTC-USD")), 0u);
        QCOMPARE(cache.find(QStringLiteral("binance"), QStringLiteral("BTC-USD")), 2u);
        QCOMPARE(cache.find(QStringLiteral("demo"), QStringLiteral("PEPE-USDT")), 1u);
        QCOMPARE(cache.find(QStringLiteral("kraken"), QStringLiteral("BTC-USD")), kNoInstrument);
        QCOMPARE(cache.find(QStringLiteral("demo"), QStringLiteral("ETH-USD")), kNoInstrument);
        QCOMPARE(cache.state(2).quote.last, kNoPrice);
        QCOMPARE(cache.state(2).integrity, BookIntegrity::Resyncing);
        QCOMPARE(cache.venueCount(), 2u);
        QCOMPARE(cache.venueIndexOf(2), cache.venueIndex(QStringLiteral("binance")));
        QCOMPARE(cache.venueIndex(QStringLiteral("nope")), -1);
    }

    void updateReplacesState()
    {
        MarketCache cache;
        cache.apply(announce(0, {instrument(QStringLiteral("demo"), QStringLiteral("BTC-USD"), 2, 8)}));
        const int venue = cache.venueIndex(QStringLiteral("demo"));
        QCOMPARE(cache.venueBookCount(venue, BookIntegrity::Resyncing), 1);

        DrainBatch batch;
        InstrumentUpdate u = update(0);
        u.quote.last = 6'000'000;
        u.quote.bid = 5'999'999;
        u.quote.ask = 6'000'001;
        u.integrity = BookIntegrity::Synced;
        u.crossed = false;
        u.stale = true;
        u.bookSequence = 42;
        u.bids = {{5'999'999, 10}, {5'999'998, 20}};
        u.asks = {{6'000'001, 5}};
        batch.updates.push_back(u);
        cache.apply(batch);

        const MarketCache::InstrumentState &state = cache.state(0);
        QCOMPARE(state.quote.last, 6'000'000);
        QCOMPARE(state.quote.bid, 5'999'999);
        QCOMPARE(state.integrity, BookIntegrity::Synced);
        QVERIFY(state.stale);
        QCOMPARE(state.bookSequence, 42u);
        QCOMPARE(state.bids.size(), 2u);
        QCOMPARE(state.bids[1], (Level {5'999'998, 20}));
        QCOMPARE(state.asks.size(), 1u);
        QCOMPARE(cache.venueBookCount(venue, BookIntegrity::Resyncing), 0);
        QCOMPARE(cache.venueBookCount(venue, BookIntegrity::Synced), 1);

        // The book shrinks: the state follows (top levels are replaced, not merged).
        batch.updates[0].bids = {{5'999'990, 1}};
        batch.updates[0].integrity = BookIntegrity::Gap;
        cache.apply(batch);
        QCOMPARE(cache.state(0).bids.size(), 1u);
        QCOMPARE(cache.venueBookCount(venue, BookIntegrity::Synced), 0);
        QCOMPARE(cache.venueBookCount(venue, BookIntegrity::Gap), 1);
    }

    void tradeRingIsBounded_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<QList<int>>("batchSizes");
        QTest::addColumn<int>("expectedSize");
        QTest::addColumn<int>("expectedOldestId");

        QTest::newRow("fits") << 10 << QList<int> {3, 4} << 7 << 1;
        QTest::newRow("wraps across drains") << 5 << QList<int> {3, 4} << 5 << 3;
        QTest::newRow("one drain larger than capacity") << 5 << QList<int> {12} << 5 << 8;
        QTest::newRow("many drains") << 4 << QList<int> {1, 1, 1, 1, 1, 1} << 4 << 3;
    }

    void tradeRingIsBounded()
    {
        QFETCH(int, capacity);
        QFETCH(QList<int>, batchSizes);
        QFETCH(int, expectedSize);
        QFETCH(int, expectedOldestId);

        MarketCache cache(static_cast<std::size_t>(capacity));
        cache.apply(announce(0, {instrument(QStringLiteral("demo"), QStringLiteral("A"), 2, 2)}));
        std::uint64_t nextId = 1;
        for (int size : batchSizes) {
            DrainBatch batch;
            InstrumentUpdate u = update(0);
            for (int i = 0; i < size; ++i)
                u.trades.push_back(trade(nextId++));
            batch.updates.push_back(u);
            cache.apply(batch);
        }
        const auto &trades = cache.state(0).trades;
        QCOMPARE(static_cast<int>(trades.size()), expectedSize);
        QCOMPARE(static_cast<int>(trades.front().tradeId), expectedOldestId);
        QCOMPARE(trades.back().tradeId, nextId - 1); // the newest is always kept
        QCOMPARE(cache.state(0).tradesSeen, nextId - 1);
        for (std::size_t i = 1; i < trades.size(); ++i)
            QCOMPARE(trades[i].tradeId, trades[i - 1].tradeId + 1); // oldest first, no holes
    }

    void candleHistoryReplacesAppendsAndIgnoresOlder()
    {
        MarketCache cache(1000, 3);
        cache.apply(announce(0, {instrument(QStringLiteral("demo"), QStringLiteral("A"), 2, 2)}));
        const auto applyCandles = [&cache](CandleInterval interval, std::vector<Candle> candles) {
            DrainBatch batch;
            InstrumentUpdate u = update(0);
            u.candles[static_cast<std::size_t>(interval)] = std::move(candles);
            batch.updates.push_back(u);
            cache.apply(batch);
        };
        const auto &m1 = cache.state(0).candleHistory(CandleInterval::M1);

        applyCandles(CandleInterval::M1, {candle(60'000, 10), candle(120'000, 11)});
        QCOMPARE(m1.size(), 2u);
        QCOMPARE(m1.back().close, 11);

        // Same open time as the last stored: replaces it.
        applyCandles(CandleInterval::M1, {candle(120'000, 15)});
        QCOMPARE(m1.size(), 2u);
        QCOMPARE(m1.back().close, 15);

        // Older than the last stored: ignored.
        applyCandles(CandleInterval::M1, {candle(60'000, 99)});
        QCOMPARE(m1.size(), 2u);
        QCOMPARE(m1.front().close, 10);

        // Update of the open one followed by newer ones; bounded to 3, oldest fall off.
        applyCandles(CandleInterval::M1, {candle(120'000, 16), candle(180'000, 17), candle(240'000, 18)});
        QCOMPARE(m1.size(), 3u);
        QCOMPARE(m1[0].openTimeMs, 120'000);
        QCOMPARE(m1[0].close, 16);
        QCOMPARE(m1[2].openTimeMs, 240'000);

        // Other intervals are independent.
        QVERIFY(cache.state(0).candleHistory(CandleInterval::S1).empty());
        applyCandles(CandleInterval::H1, {candle(3'600'000, 1)});
        QCOMPARE(cache.state(0).candleHistory(CandleInterval::H1).size(), 1u);
        QCOMPARE(m1.size(), 3u);

        cache.setCandleCapacity(2);
        QCOMPARE(m1.size(), 2u);
        QCOMPARE(m1.front().openTimeMs, 180'000);
    }

    void feedsKeepLatestPerIndex()
    {
        MarketCache cache;
        QCOMPARE(cache.feed(0), nullptr);
        DrainBatch batch;
        FeedSnapshot b;
        b.feedIndex = 1;
        b.name = QStringLiteral("binance");
        b.state = FeedState::Connecting;
        FeedSnapshot d;
        d.feedIndex = 0;
        d.name = QStringLiteral("demo");
        d.state = FeedState::Live;
        batch.feeds = {b, d};
        cache.apply(batch);
        QCOMPARE(cache.feeds().size(), 2u);
        QCOMPARE(cache.feeds()[0].name, QStringLiteral("demo")); // ordered by feedIndex
        QCOMPARE(cache.feeds()[1].name, QStringLiteral("binance"));

        b.state = FeedState::Live;
        b.gaps = 3;
        batch.feeds = {b};
        cache.apply(batch);
        QCOMPARE(cache.feeds().size(), 2u);
        QVERIFY(cache.feed(1));
        QCOMPARE(cache.feed(1)->state, FeedState::Live);
        QCOMPARE(cache.feed(1)->gaps, 3u);
        QCOMPARE(cache.feed(0)->state, FeedState::Live);
        QCOMPARE(cache.feed(7), nullptr);
    }

    void latencyPercentiles()
    {
        MarketCache cache;
        cache.apply(announce(0,
                             {instrument(QStringLiteral("demo"), QStringLiteral("A"), 2, 2),
                              instrument(QStringLiteral("binance"), QStringLiteral("B"), 2, 2)}));
        QCOMPARE(cache.venueLatencyP50Ms(QStringLiteral("demo")), 0.0);
        std::int64_t now = 100 * kSecond;
        for (int ms = 1; ms <= 100; ++ms)
            recordSample(cache, 0, now, ms * kMs);
        recordSample(cache, 1, now, 500 * kMs);

        // Histogram buckets are about 3 % wide.
        QVERIFY2(qAbs(cache.venueLatencyP50Ms(QStringLiteral("demo")) - 50.0) < 2.0,
                 qPrintable(QString::number(cache.venueLatencyP50Ms(QStringLiteral("demo")))));
        QVERIFY(qAbs(cache.venueLatencyP99Ms(QStringLiteral("demo")) - 99.0) < 3.5);
        QVERIFY(qAbs(cache.venueLatencyP50Ms(QStringLiteral("binance")) - 500.0) < 16.0);
        QCOMPARE(cache.latencyOverall().count(), 101u);
        QCOMPARE(cache.venueLatencyP50Ms(QStringLiteral("nope")), 0.0);

        // Updates without a receive time (oldestRecvNs = 0) are not samples.
        DrainBatch noTime;
        noTime.updates.push_back(update(0));
        cache.recordLatencies(noTime, now);
        QCOMPARE(cache.latencyOverall().count(), 101u);

        // The per-venue figures are rolling; the overall histogram is cumulative.
        MarketCache rolling;
        rolling.apply(announce(0, {instrument(QStringLiteral("demo"), QStringLiteral("A"), 2, 2)}));
        now = 10 * kSecond;
        for (int i = 0; i < 10; ++i)
            recordSample(rolling, 0, now, 10 * kMs);
        now += 6 * kSecond; // one window later: the 10 ms samples are the previous window
        for (int i = 0; i < 10; ++i)
            recordSample(rolling, 0, now, 1 * kMs);
        QVERIFY(rolling.venueLatencyP99Ms(QStringLiteral("demo")) > 9.0);
        now += 6 * kSecond; // another window: only the 1 ms samples are recent
        rolling.recordLatencies(DrainBatch {}, now);
        QVERIFY(rolling.venueLatencyP99Ms(QStringLiteral("demo")) < 1.1);
        QVERIFY(rolling.venueLatencyP50Ms(QStringLiteral("demo")) > 0.9);
        now += 30 * kSecond; // long silence: nothing recent at all
        rolling.recordLatencies(DrainBatch {}, now);
        QCOMPARE(rolling.venueLatencyP99Ms(QStringLiteral("demo")), 0.0);
        QCOMPARE(rolling.latencyOverall().count(), 20u);
    }

    void startUpDataLeavesTheRecentFigures()
    {
        MarketCache cache;
        cache.apply(announce(0, {instrument(QStringLiteral("demo"), QStringLiteral("A"), 2, 2)}));
        const std::int64_t firstFrame = 20 * kSecond;
        cache.setRecentLatencyFromNs(firstFrame);
        // Received while the window was being built, drained with the first frames.
        recordSample(cache, 0, firstFrame + 5 * kMs, 120 * kMs);
        recordSample(cache, 0, firstFrame + 80 * kMs, 81 * kMs);
        QCOMPARE(cache.venueLatencyP99Ms(QStringLiteral("demo")), 0.0);
        // Received at or after the first frame: counted.
        recordSample(cache, 0, firstFrame + 90 * kMs, 10 * kMs);
        for (int i = 0; i < 50; ++i)
            recordSample(cache, 0, firstFrame + 100 * kMs, 4 * kMs);
        QVERIFY2(cache.venueLatencyP99Ms(QStringLiteral("demo")) < 10.5,
                 qPrintable(QString::number(cache.venueLatencyP99Ms(QStringLiteral("demo")))));
        QVERIFY(cache.venueLatencyP99Ms(QStringLiteral("demo")) > 9.0);
        // The run's own statistics (--stats) keep every sample.
        QCOMPARE(cache.latencyOverall().count(), 53u);
        QVERIFY(cache.latencyOverall().quantileMs(1.0) > 110.0);
    }
};

QTEST_GUILESS_MAIN(TestMarketCache)
#include "tst_marketcache.moc"
