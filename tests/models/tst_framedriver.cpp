#include "drainlistener.h"
#include "fatalwarnings.h"
#include "framedriver.h"
#include "handoff.h"
#include "marketcache.h"

#include <QSignalSpy>
#include <QtTest>

#include <thread>

using namespace tickscope;

namespace {
struct CountingListener : DrainListener
{
    int drains = 0;
    std::size_t updates = 0;
    void drained(const DrainBatch &batch) override
    {
        ++drains;
        updates += batch.updates.size();
    }
};

Instrument instrument(const QString &symbol)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    return i;
}

void publishQuote(Handoff &handoff, InstrumentId id, std::int64_t last)
{
    InstrumentUpdate update;
    update.reset(id);
    update.quote.last = last;
    update.oldestRecvNs = steadyNowNs();
    handoff.publish({&update}, nullptr);
}
} // namespace

class TestFrameDriver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void timerModeCoalescesAndIdles()
    {
        Handoff handoff;
        MarketCache cache;
        PipelineStats stats;
        FrameDriver driver(handoff, cache, stats);
        driver.setFrameInterval(30);
        CountingListener listener;
        driver.addListener(&listener);
        QSignalSpy drained(&driver, &FrameDriver::drained);

        const auto id = handoff.registerInstrument(instrument(QStringLiteral("A")));
        // A burst from another thread between two frames: one drain, one update for the instrument.
        std::thread producer([&] {
            for (int i = 1; i <= 10000; ++i)
                publishQuote(handoff, id, i);
        });
        producer.join();
        QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, 2000);
        QCOMPARE(listener.updates, 1u);
        QCOMPARE(cache.instrumentCount(), 1u);
        QCOMPARE(cache.state(id).quote.last, 10000);
        QCOMPARE(PipelineStats::get(stats.drains), 1u);
        QVERIFY(cache.latencyOverall().count() >= 1);

        // Idle: nothing published → no drain, no timer left running.
        QTest::qWait(150);
        QCOMPARE(drained.size(), 1);
        QCOMPARE(listener.drains, 1);

        publishQuote(handoff, id, 5);
        QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 2, 2000);
        QCOMPARE(cache.state(id).quote.last, 5);
    }

    void externalModeRequestsOneFrame()
    {
        Handoff handoff;
        MarketCache cache;
        PipelineStats stats;
        FrameDriver driver(handoff, cache, stats);
        driver.setMode(FrameDriver::Mode::External);
        QSignalSpy requested(&driver, &FrameDriver::frameRequested);
        const auto id = handoff.registerInstrument(instrument(QStringLiteral("A")));
        for (int i = 0; i < 100; ++i)
            publishQuote(handoff, id, i);
        QTRY_COMPARE_WITH_TIMEOUT(requested.size(), 1, 2000);
        QTest::qWait(50);
        QCOMPARE(requested.size(), 1); // one request until the frame drains
        QVERIFY(driver.drainNow());
        QVERIFY(!driver.drainNow()); // nothing new: nothing done
        QCOMPARE(PipelineStats::get(stats.drains), 1u);
        publishQuote(handoff, id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(requested.size(), 2, 2000);
    }
};

QTEST_GUILESS_MAIN(TestFrameDriver)
#include "tst_framedriver.moc"
