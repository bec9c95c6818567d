#include "fatalwarnings.h"
#include "handoff.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace tickscope;

namespace {
Instrument makeInstrument(const QString &symbol)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    return i;
}

InstrumentUpdate makeUpdate(InstrumentId id, std::int64_t last, std::int64_t recvNs)
{
    InstrumentUpdate u;
    u.reset(id);
    u.quote.last = last;
    u.integrity = BookIntegrity::Synced;
    u.bids = {{last - 1, 10}};
    u.asks = {{last + 1, 20}};
    u.trades.push_back(TradePrint {last, 1, Side::Buy, 1000 + last, static_cast<std::uint64_t>(last)});
    u.candles[0].push_back(Candle {(last / 10) * 1000, last, last, last, last, 1, 1});
    u.oldestRecvNs = recvNs;
    return u;
}
} // namespace

class TestHandoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void registerAssignsSequentialIds()
    {
        Handoff h;
        QCOMPARE(h.registerInstrument(makeInstrument(QStringLiteral("A"))), 0u);
        QCOMPARE(h.registerInstrument(makeInstrument(QStringLiteral("B"))), 1u);
        QCOMPARE(h.instrumentCount(), 2u);
        DrainBatch batch;
        QVERIFY(h.drain(batch));
        QCOMPARE(batch.firstNewId, 0u);
        QCOMPARE(batch.newInstruments.size(), 2u);
        QCOMPARE(batch.newInstruments[1].symbol, QStringLiteral("B"));
        QVERIFY(!h.drain(batch));
        QVERIFY(batch.empty());
        h.registerInstrument(makeInstrument(QStringLiteral("C")));
        QVERIFY(h.drain(batch));
        QCOMPARE(batch.firstNewId, 2u);
        QCOMPARE(batch.newInstruments.size(), 1u);
    }

    void latestStateWinsAndTradesAccumulate()
    {
        Handoff h;
        const auto id = h.registerInstrument(makeInstrument(QStringLiteral("A")));
        for (int i = 1; i <= 100; ++i) {
            InstrumentUpdate u = makeUpdate(id, 100 + i, 1000 + i);
            h.publish({&u}, nullptr);
        }
        DrainBatch batch;
        QVERIFY(h.drain(batch));
        QCOMPARE(batch.updates.size(), 1u); // one slot per instrument, whatever the message count
        const auto &u = batch.updates.front();
        QCOMPARE(u.quote.last, 200);
        QCOMPARE(u.bids.front().price, 199);
        QCOMPARE(u.trades.size(), 100u);
        QCOMPARE(u.trades.front().price, 101);
        QCOMPARE(u.trades.back().price, 200);
        QCOMPARE(u.oldestRecvNs, 1001); // the oldest change included
        // Candles with equal open time replaced, new ones appended: opens at 10, 11, …, 20 (×1000).
        QCOMPARE(u.candles[0].size(), 11u);
        QCOMPARE(u.candles[0].back().close, 200);
    }

    void tradesBetweenDrainsAreBounded()
    {
        Handoff h;
        const auto id = h.registerInstrument(makeInstrument(QStringLiteral("A")));
        for (int i = 0; i < 5000; ++i) {
            InstrumentUpdate u = makeUpdate(id, i, 1);
            h.publish({&u}, nullptr);
        }
        DrainBatch batch;
        QVERIFY(h.drain(batch));
        const auto &u = batch.updates.front();
        QVERIFY(u.trades.size() <= 512);
        QCOMPARE(u.trades.size() + u.droppedTrades, 5000u);
        QCOMPARE(u.trades.back().price, 4999); // newest kept
        QVERIFY(u.candles[0].size() <= 64);
    }

    void feedSnapshotsKeepLatestPerFeed()
    {
        Handoff h;
        FeedSnapshot a;
        a.feedIndex = 0;
        a.framesReceived = 1;
        FeedSnapshot b;
        b.feedIndex = 1;
        h.publish({}, &a);
        h.publish({}, &b);
        a.framesReceived = 7;
        h.publish({}, &a);
        DrainBatch batch;
        QVERIFY(h.drain(batch));
        QCOMPARE(batch.feeds.size(), 2u);
        QCOMPARE(batch.feeds[0].framesReceived, 7u);
    }

    void wakesOnlyOnEmptyToNonEmpty()
    {
        Handoff h;
        int wakes = 0;
        h.setWakeCallback([&] { ++wakes; });
        const auto id = h.registerInstrument(makeInstrument(QStringLiteral("A")));
        QCOMPARE(wakes, 1);
        for (int i = 0; i < 10; ++i) {
            InstrumentUpdate u = makeUpdate(id, i, 1);
            h.publish({&u}, nullptr);
        }
        QCOMPARE(wakes, 1);
        DrainBatch batch;
        QVERIFY(h.drain(batch));
        QVERIFY(!h.hasPending());
        QCOMPARE(wakes, 1);
        InstrumentUpdate u = makeUpdate(id, 1, 1);
        h.publish({&u}, nullptr);
        QCOMPARE(wakes, 2);
        h.publish({}, nullptr); // nothing to publish: no wake, nothing pending beyond the update
        QCOMPARE(wakes, 2);
    }

    void concurrentPublishAndDrain()
    {
        Handoff h;
        constexpr int kInstruments = 8;
        for (int i = 0; i < kInstruments; ++i)
            h.registerInstrument(makeInstrument(QString::number(i)));
        std::atomic<bool> done {false};
        constexpr int kPerInstrument = 20000;
        std::thread producer([&] {
            for (int n = 1; n <= kPerInstrument; ++n) {
                for (InstrumentId id = 0; id < kInstruments; ++id) {
                    InstrumentUpdate u;
                    u.reset(id);
                    u.quote.last = n;
                    u.trades.push_back(TradePrint {n, 1, Side::Sell, n, static_cast<std::uint64_t>(n)});
                    h.publish({&u}, nullptr);
                }
            }
            done = true;
        });
        std::vector<std::int64_t> last(kInstruments, 0);
        std::vector<std::uint64_t> seen(kInstruments, 0);
        DrainBatch batch;
        while (!done || h.hasPending()) {
            if (!h.drain(batch))
                continue;
            for (const auto &u : batch.updates) {
                QVERIFY(u.quote.last >= last[u.id]); // never goes back in time
                last[u.id] = u.quote.last;
                seen[u.id] += u.trades.size() + u.droppedTrades;
                if (!u.trades.empty())
                    QCOMPARE(u.trades.back().price, u.quote.last);
            }
        }
        producer.join();
        for (int i = 0; i < kInstruments; ++i) {
            QCOMPARE(last[static_cast<std::size_t>(i)], kPerInstrument);
            QCOMPARE(seen[static_cast<std::size_t>(i)], std::uint64_t(kPerInstrument));
        }
    }
};

QTEST_GUILESS_MAIN(TestHandoff)
#include "tst_handoff.moc"
