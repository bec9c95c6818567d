// FrameScheduler: what the data drain changes is polished in the same frame; with a render thread,
// a frame starts when the render thread is about to be free rather than blocking on it; the
// optional cap (`tickscope --max-fps`) holds frames back without losing them; a lone change after a
// quiet spell renders at once.
//
// The render-thread case needs Qt Quick's threaded render loop (OpenGL under Xvfb: the ctest
// tst_framescheduler_gl); under the offscreen platform frames render on the GUI thread and it skips.

#include "fatalwarnings.h"
#include "framescheduler.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QQuickItem>
#include <QQuickWindow>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <vector>

using namespace tickscope;

namespace {

/// Asks `window` for a frame every millisecond for `ms` and returns the frames it rendered.
int framesWhileBusy(QQuickWindow &window, int ms)
{
    int frames = 0;
    const QMetaObject::Connection counting
        = QObject::connect(&window, &QQuickWindow::afterAnimating, &window, [&frames] { ++frames; });
    QTimer busy;
    busy.setInterval(1);
    QObject::connect(&busy, &QTimer::timeout, &window, [&window] { window.update(); });
    busy.start();
    QTest::qWait(ms);
    busy.stop();
    QObject::disconnect(counting);
    return frames;
}

/// An item that remembers what `value` was when it was last polished.
class PolishProbe : public QQuickItem
{
public:
    int value = 0;
    int polishedValue = -1;

protected:
    void updatePolish() override { polishedValue = value; }
};

} // namespace

class TestFrameScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::installFatalWarnings(); }

    void drainIsPolishedInTheSameFrame()
    {
        QQuickWindow window;
        window.resize(120, 80);
        auto *probe = new PolishProbe;
        probe->setParentItem(window.contentItem());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        FrameScheduler scheduler(&window);
        // The "drain": changes the item and asks for its polish, as a model change does to a list.
        connect(
            &scheduler, &FrameScheduler::frameStarting, probe,
            [probe] {
                ++probe->value;
                probe->polish();
            },
            Qt::DirectConnection);
        std::vector<std::pair<int, int>> seen; // (value, polished value) at each frame's sync
        connect(
            &window, &QQuickWindow::afterAnimating, probe,
            [&seen, probe] { seen.emplace_back(probe->value, probe->polishedValue); }, Qt::DirectConnection);

        for (int i = 0; i < 5; ++i) {
            const std::size_t before = seen.size();
            scheduler.requestFrame();
            QTRY_VERIFY_WITH_TIMEOUT(seen.size() > before, 2000);
        }
        QVERIFY(scheduler.framesStarted() >= 5);
        for (const auto &[value, polished] : seen) {
            if (value > 0) // frames of the window's own (expose) before the first drain
                QCOMPARE(polished, value);
        }
    }

    void recentLatencyCountsFromTheFirstFrame()
    {
        MarketCache cache;
        DrainBatch announce;
        announce.newInstruments.resize(1);
        announce.newInstruments[0].venue = QStringLiteral("demo");
        announce.newInstruments[0].symbol = QStringLiteral("A");
        cache.apply(announce);
        // One drained update of instrument 0, received `ageMs` ago.
        const auto drainReceivedAgo = [&cache](int ageMs) {
            DrainBatch batch;
            batch.updates.emplace_back();
            batch.updates.back().reset(0);
            const std::int64_t now = steadyNowNs();
            batch.updates.back().oldestRecvNs = now - ageMs * std::int64_t {1'000'000};
            cache.recordLatencies(batch, now);
        };

        QQuickWindow window;
        window.resize(120, 80);
        countRecentLatencyFromFirstFrame(&window, cache);
        drainReceivedAgo(100); // drained before the window shows anything
        QCOMPARE(cache.venueLatencyP99Ms(QStringLiteral("demo")), 0.0);

        std::atomic<std::int64_t> firstSwapNs {0};
        connect(
            &window, &QQuickWindow::frameSwapped, this,
            [&firstSwapNs] {
                std::int64_t none = 0;
                firstSwapNs.compare_exchange_strong(none, steadyNowNs());
            },
            Qt::DirectConnection);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(firstSwapNs.load() != 0, 5000);
        QTest::qWait(20); // the cut-off is handed from the render thread to this one

        // Received before the first frame was on screen, drained after: not the feed's latency.
        const int sinceSwapMs = static_cast<int>((steadyNowNs() - firstSwapNs.load()) / 1'000'000);
        drainReceivedAgo(sinceSwapMs + 50);
        QCOMPARE(cache.venueLatencyP99Ms(QStringLiteral("demo")), 0.0);
        // Received after it: counted.
        drainReceivedAgo(0);
        drainReceivedAgo(3);
        QVERIFY(cache.venueLatencyP99Ms(QStringLiteral("demo")) > 0.0);
        QVERIFY2(cache.venueLatencyP99Ms(QStringLiteral("demo")) < 10.0,
                 qPrintable(QString::number(cache.venueLatencyP99Ms(QStringLiteral("demo")))));
        // The run's statistics keep all four.
        QCOMPARE(cache.latencyOverall().count(), 4u);
    }

    void capsTheFrameRate()
    {
        QQuickWindow window;
        window.resize(120, 80);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const int unpaced = framesWhileBusy(window, 1000);

        FrameScheduler scheduler(&window, 10);
        const int paced = framesWhileBusy(window, 1000);
        // At most 10 a second (one more for a frame already on its way when the second began) …
        QVERIFY2(paced <= 11, qPrintable(QStringLiteral("%1 frames in 1 s at --max-fps 10").arg(paced)));
        // … yet it keeps rendering: held requests are delivered when the period is up.
        QVERIFY2(paced >= 5, qPrintable(QStringLiteral("only %1 frames in 1 s at --max-fps 10").arg(paced)));
        QVERIFY(scheduler.heldRequests() > 0);
        // The window did render faster before (otherwise this test shows nothing).
        QVERIFY2(unpaced > 2 * paced, qPrintable(QStringLiteral("unpaced %1, paced %2").arg(unpaced).arg(paced)));
    }

    void aLoneChangeRendersAtOnce()
    {
        QQuickWindow window;
        window.resize(120, 80);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FrameScheduler scheduler(&window, 2); // a 500 ms period
        QTest::qWait(600); // quiet for longer than a period

        bool rendered = false;
        connect(&window, &QQuickWindow::afterAnimating, this, [&rendered] { rendered = true; });
        QElapsedTimer clock;
        clock.start();
        scheduler.requestFrame();
        QTRY_VERIFY_WITH_TIMEOUT(rendered, 2000);
        QVERIFY2(clock.elapsed() < 400, qPrintable(QStringLiteral("%1 ms").arg(clock.elapsed())));
        QCOMPARE(scheduler.heldRequests(), 0);
    }

    void framesStartWhenTheRenderThreadIsAboutToBeFree()
    {
        // Everything the render thread touches is set up before the window is shown, that is
        // before the render thread exists.
        QQuickWindow window;
        window.resize(120, 80);
        auto *item = new QQuickItem;
        item->setParentItem(window.contentItem());

        // A slow render thread: every frame takes 40 ms to draw.
        constexpr int kRenderMs = 40;
        std::atomic_bool threaded {false};
        connect(
            &window, &QQuickWindow::beforeRendering, item,
            [&threaded] {
                threaded = QThread::currentThread() != QCoreApplication::instance()->thread();
                QThread::msleep(kRenderMs);
            },
            Qt::DirectConnection);

        FrameScheduler scheduler(&window);
        // How long each frame's GUI thread waited for the render thread: from the frame's start to
        // the start of its sync (render thread).
        QMutex mutex;
        std::int64_t startedNs = 0;
        std::vector<double> waitsMs;
        connect(
            &scheduler, &FrameScheduler::frameStarting, item,
            [&] {
                QMutexLocker lock(&mutex);
                startedNs = steadyNowNs();
            },
            Qt::DirectConnection);
        connect(
            &window, &QQuickWindow::beforeSynchronizing, item,
            [&] {
                QMutexLocker lock(&mutex);
                if (startedNs != 0)
                    waitsMs.push_back(static_cast<double>(steadyNowNs() - startedNs) / 1e6);
                startedNs = 0;
            },
            Qt::DirectConnection);

        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(framesWhileBusy(window, 300) > 0);
        if (!threaded)
            QSKIP("frames render on the GUI thread here (no threaded render loop)");
        {
            QMutexLocker lock(&mutex);
            waitsMs.clear();
        }

        // New data all the time: the driver asks for a frame every millisecond.
        QTimer data;
        data.setInterval(1);
        connect(&data, &QTimer::timeout, &scheduler, [&scheduler, item] {
            item->update();
            scheduler.requestFrame();
        });
        data.start();
        QTest::qWait(1500);
        data.stop();

        QMutexLocker lock(&mutex);
        QVERIFY2(waitsMs.size() >= 15, qPrintable(QStringLiteral("%1 frames in 1.5 s").arg(waitsMs.size())));
        // The render time was measured …
        QVERIFY2(scheduler.renderEstimateNs() > (kRenderMs - 5) * 1'000'000LL,
                 qPrintable(QStringLiteral("render estimate %1 ms").arg(scheduler.renderEstimateNs() / 1e6)));
        QVERIFY(scheduler.heldRequests() > 0);
        // … and frames started late enough not to wait out most of a render: without the scheduler
        // each frame would start right after the previous sync and wait ~40 ms.
        std::sort(waitsMs.begin(), waitsMs.end());
        const double median = waitsMs[waitsMs.size() / 2];
        QVERIFY2(median < kRenderMs / 2.0, qPrintable(QStringLiteral("median wait %1 ms").arg(median)));
    }
};

QTEST_MAIN(TestFrameScheduler)
#include "tst_framescheduler.moc"
