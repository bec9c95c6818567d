#include "candleseries.h"
#include "fatalwarnings.h"
#include "handoff.h"
#include "marketstate.h"

#include <QtTest>

using namespace tickscope;

namespace {
std::vector<Instrument> twoInstruments()
{
    Instrument btc;
    btc.venue = QStringLiteral("demo");
    btc.symbol = QStringLiteral("BTC-USD");
    btc.priceScale = 2;
    btc.qtyScale = 8;
    Instrument pepe = btc;
    pepe.symbol = QStringLiteral("PEPE-USDT");
    pepe.priceScale = 8;
    pepe.qtyScale = 0;
    return {btc, pepe};
}

BookSnapshot snapshot(LocalInstrument id, std::uint64_t seq, std::int64_t mid, int levels)
{
    BookSnapshot s;
    s.instrument = id;
    s.sequence = seq;
    for (int i = 1; i <= levels; ++i) {
        s.bids.push_back({mid - i, i * 10});
        s.asks.push_back({mid + i, i * 10});
    }
    return s;
}
} // namespace

class TestMarketState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void instrumentsRegisterOnceAndKeepIds()
    {
        Handoff handoff;
        MarketState state(handoff);
        state.setInstruments(twoInstruments());
        QCOMPARE(state.size(), 2u);
        QCOMPARE(handoff.instrumentCount(), 2u);
        QCOMPARE(state.entry(1).id, 1u);
        // The venue announcing the same list again (reconnect) keeps ids and registers nothing new.
        state.setInstruments(twoInstruments());
        QCOMPARE(handoff.instrumentCount(), 2u);
        QCOMPARE(state.indexOf(QStringLiteral("PEPE-USDT")), 1);
        QCOMPARE(state.indexOf(QStringLiteral("nope")), -1);
    }

    void publishesOnlyDirtyInstrumentsWithTopLevels()
    {
        Handoff handoff;
        MarketState state(handoff, 5);
        state.setInstruments(twoInstruments());
        DrainBatch batch;
        handoff.drain(batch);
        QVERIFY(!state.hasDirty());

        QCOMPARE(state.applySnapshot(snapshot(0, 10, 6'000'000, 20), 111), ApplyResult::Applied);
        BookDelta delta;
        delta.instrument = 0;
        delta.sequence = 11;
        delta.bids = {{5'999'999, 0}, {6'000'000, 3}};
        QCOMPARE(state.applyDelta(delta, 222), ApplyResult::Applied);
        QVERIFY(state.hasDirty());
        state.publish(nullptr);
        QVERIFY(!state.hasDirty());

        QVERIFY(handoff.drain(batch));
        QCOMPARE(batch.updates.size(), 1u);
        const InstrumentUpdate &u = batch.updates.front();
        QCOMPARE(u.id, 0u);
        QCOMPARE(u.bids.size(), 5u);
        QCOMPARE(u.bids.front(), (Level {6'000'000, 3}));
        QCOMPARE(u.bids[1], (Level {5'999'998, 20}));
        QCOMPARE(u.asks.front(), (Level {6'000'001, 10}));
        QCOMPARE(u.quote.bid, 6'000'000);
        QCOMPARE(u.quote.ask, 6'000'001);
        QCOMPARE(u.integrity, BookIntegrity::Synced);
        QCOMPARE(u.bookSequence, 11u);
        QCOMPARE(u.oldestRecvNs, 111); // age of the oldest change made visible
    }

    void gapAndResync()
    {
        Handoff handoff;
        MarketState state(handoff);
        state.setInstruments(twoInstruments());
        state.applySnapshot(snapshot(1, 5, 1234, 3), 1);
        BookDelta delta;
        delta.instrument = 1;
        delta.sequence = 7; // 6 is missing
        QCOMPARE(state.applyDelta(delta, 2), ApplyResult::Gap);
        QCOMPARE(state.entry(1).book.integrity(), BookIntegrity::Gap);
        QCOMPARE(state.entry(0).book.integrity(), BookIntegrity::Resyncing); // untouched, never had a snapshot
        state.markResyncing(1);
        QCOMPARE(state.entry(1).book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(state.booksSynced(), 0);
        state.applySnapshot(snapshot(1, 9, 1234, 3), 3);
        QCOMPARE(state.booksSynced(), 1);
    }

    void tradesFeedQuoteRingAndCandles()
    {
        Handoff handoff;
        MarketState state(handoff, 10, 4);
        state.setInstruments(twoInstruments());
        const std::int64_t t0 = 1'700'000'000'000'000; // µs
        for (int i = 0; i < 6; ++i) {
            Trade t;
            t.instrument = 0;
            t.price = 100 + (i % 2 ? 5 : -5) * i;
            t.qty = 1 + i;
            t.side = i % 2 ? Side::Sell : Side::Buy;
            t.exchangeTimeUs = t0 + i * 400'000; // 0.4 s apart → 1 s candles: 3 of them
            state.applyTrade(t, 10 + i, 0);
        }
        const auto recent = state.recentTrades(0);
        QCOMPARE(recent.size(), 4u); // ring bounded
        QCOMPARE(recent.front().price, 100 - 5 * 2);
        QCOMPARE(recent.back().price, 100 + 5 * 5);
        const auto &entry = state.entry(0);
        QCOMPARE(entry.quote.last, 125);
        QCOMPARE(entry.quote.tickDirection, 1);
        QCOMPARE(entry.quote.high24h, 125);
        QCOMPARE(entry.quote.low24h, 80);
        QCOMPARE(entry.candles.size(CandleInterval::S1), 3u);
        QCOMPARE(entry.candles.size(CandleInterval::D1), 1u);
        const Candle &day = entry.candles.last(CandleInterval::D1);
        QCOMPARE(day.open, 100);
        QCOMPARE(day.close, 125);
        QCOMPARE(day.high, 125);
        QCOMPARE(day.low, 80);
        QCOMPARE(day.volume, 1 + 2 + 3 + 4 + 5 + 6);
        QCOMPARE(day.trades, 6u);

        state.publish(nullptr);
        DrainBatch batch;
        QVERIFY(handoff.drain(batch));
        const InstrumentUpdate &u = batch.updates.front();
        QCOMPARE(u.trades.size(), 4u);
        QCOMPARE(u.droppedTrades, 2u);
        QCOMPARE(u.candles[static_cast<int>(CandleInterval::S1)].size(), 3u);
        QCOMPARE(u.candles[static_cast<int>(CandleInterval::D1)].size(), 1u);
        QCOMPARE(u.quote.last, 125);
    }

    void tradesAfterAGapAreMarked()
    {
        Handoff handoff;
        MarketState state(handoff, 10, 100);
        state.setInstruments(twoInstruments());
        const auto trade = [&](LocalInstrument instrument, std::int64_t price) {
            Trade t;
            t.instrument = instrument;
            t.price = price;
            t.qty = 1;
            state.applyTrade(t, 1, 1000);
        };
        state.markAllResyncing(); // a first connection: nothing was shown before, nothing is missing
        trade(0, 100);
        trade(0, 101);
        state.markAllResyncing(); // the connection is lost and comes back
        trade(0, 102);
        trade(0, 103);
        trade(1, 200); // instrument 1's first print ever: no gap to mark
        state.markResyncing(1); // a gap in instrument 1's stream only
        trade(1, 201);
        trade(0, 104);

        const auto flags = [&](LocalInstrument instrument) {
            QList<bool> out;
            for (const TradePrint &print : state.recentTrades(instrument))
                out.append(print.afterGap);
            return out;
        };
        QCOMPARE(flags(0), (QList<bool> {false, false, true, false, false}));
        QCOMPARE(flags(1), (QList<bool> {false, true}));
        // The candles that hold a print after a gap say so too (the chart marks them).
        QVERIFY(state.entry(0).candles.last(CandleInterval::D1).afterGap);
        QVERIFY(state.entry(1).candles.last(CandleInterval::D1).afterGap);
        state.publish(nullptr);
        DrainBatch batch;
        QVERIFY(handoff.drain(batch));
        for (const InstrumentUpdate &u : batch.updates) {
            const auto gaps
                = std::count_if(u.trades.begin(), u.trades.end(), [](const TradePrint &p) { return p.afterGap; });
            QCOMPARE(gaps, 1); // the mark reaches the GUI with the print
        }
    }

    void tickerOverridesSessionStats()
    {
        Handoff handoff;
        MarketState state(handoff);
        state.setInstruments(twoInstruments());
        Ticker t;
        t.instrument = 0;
        t.last = 500;
        t.open24h = 400;
        t.high24h = 600;
        t.low24h = 300;
        t.volume24h = 12345;
        state.applyTicker(t, 1);
        const Quote &q = state.entry(0).quote;
        QCOMPARE(q.last, 500);
        QCOMPARE(q.open24h, 400);
        QCOMPARE(q.high24h, 600);
        QCOMPARE(q.low24h, 300);
        QCOMPARE(q.volume24h, 12345);
    }

    void venueTouchStandsInOnlyWhileTheBookIsNotSynced()
    {
        Handoff handoff;
        MarketState state(handoff);
        state.setInstruments(twoInstruments());
        state.publish(nullptr);
        DrainBatch batch;
        QVERIFY(handoff.drain(batch));
        BestQuote touch;
        touch.instrument = 0;
        touch.bid = 990;
        touch.bidQty = 5;
        touch.ask = 1010;
        touch.askQty = 7;
        // No book yet: the venue's touch is what the row shows.
        state.applyBestQuote(touch, 1);
        state.publish(nullptr);
        QVERIFY(handoff.drain(batch));
        QCOMPARE(batch.updates.size(), 1u);
        QCOMPARE(batch.updates[0].quote.bid, 990);
        QCOMPARE(batch.updates[0].quote.askQty, 7);
        // A synced book's own top wins, and a touch arriving then changes nothing on screen.
        BookSnapshot snapshot;
        snapshot.instrument = 0;
        snapshot.sequence = 1;
        snapshot.bids = {{1000, 3}};
        snapshot.asks = {{1002, 4}};
        state.applySnapshot(snapshot, 2);
        state.publish(nullptr);
        QVERIFY(handoff.drain(batch));
        QCOMPARE(batch.updates[0].quote.bid, 1000);
        QCOMPARE(batch.updates[0].quote.ask, 1002);
        state.applyBestQuote(touch, 3);
        state.publish(nullptr);
        QVERIFY(!handoff.drain(batch) || batch.updates.empty());
        // Book out of sync: the venue's latest touch again.
        state.markResyncing(0);
        state.publish(nullptr);
        QVERIFY(handoff.drain(batch));
        QCOMPARE(batch.updates[0].quote.bid, 990);
        QCOMPARE(batch.updates[0].quote.ask, 1010);
    }

    void staleFlagReachesTheGui()
    {
        Handoff handoff;
        MarketState state(handoff);
        state.setInstruments(twoInstruments());
        state.setStale(false);
        state.publish(nullptr);
        DrainBatch batch;
        QVERIFY(handoff.drain(batch));
        QCOMPARE(batch.updates.size(), 2u);
        QVERIFY(!batch.updates[0].stale);
        state.markAllResyncing();
        state.publish(nullptr);
        QVERIFY(handoff.drain(batch));
        QVERIFY(batch.updates[0].stale);
        QCOMPARE(batch.updates[0].integrity, BookIntegrity::Resyncing);
    }

    void candleRingIsBounded()
    {
        CandleSeries series(3);
        for (int i = 0; i < 10; ++i)
            series.addTrade(i * 1000, 10 + i, 1);
        QCOMPARE(series.size(CandleInterval::S1), 3u);
        QCOMPARE(series.at(CandleInterval::S1, 0).open, 17);
        QCOMPARE(series.last(CandleInterval::S1).open, 19);
        // A late trade folds into the current candle instead of reopening the past.
        series.addTrade(500, 1, 1);
        QCOMPARE(series.size(CandleInterval::S1), 3u);
        QCOMPARE(series.last(CandleInterval::S1).low, 1);
    }
};

QTEST_GUILESS_MAIN(TestMarketState)
#include "tst_marketstate.moc"
