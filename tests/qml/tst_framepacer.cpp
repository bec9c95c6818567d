// FramePacer (`tickscope --max-fps`): a window that asks for frames all the time renders no more
// than the cap, still renders (held requests are delivered, not dropped), and a lone change after a
// quiet spell renders at once.

#include "fatalwarnings.h"
#include "framepacer.h"

#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>
#include <QtTest>

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

} // namespace

class TestFramePacer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::installFatalWarnings(); }

    void capsTheFrameRate()
    {
        QQuickWindow window;
        window.resize(120, 80);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const int unpaced = framesWhileBusy(window, 1000);

        FramePacer pacer(&window, 10);
        const int paced = framesWhileBusy(window, 1000);
        // At most 10 a second (one more for a frame already on its way when the second began) …
        QVERIFY2(paced <= 11, qPrintable(QStringLiteral("%1 frames in 1 s at --max-fps 10").arg(paced)));
        // … yet it keeps rendering: held requests are delivered when the period is up.
        QVERIFY2(paced >= 5, qPrintable(QStringLiteral("only %1 frames in 1 s at --max-fps 10").arg(paced)));
        QVERIFY(pacer.heldRequests() > 0);
        // The window did render faster before (otherwise this test shows nothing).
        QVERIFY2(unpaced > 2 * paced, qPrintable(QStringLiteral("unpaced %1, paced %2").arg(unpaced).arg(paced)));
    }

    void aLoneChangeRendersAtOnce()
    {
        QQuickWindow window;
        window.resize(120, 80);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FramePacer pacer(&window, 2); // a 500 ms period
        QTest::qWait(600); // quiet for longer than a period

        bool rendered = false;
        connect(&window, &QQuickWindow::afterAnimating, this, [&rendered] { rendered = true; });
        QElapsedTimer clock;
        clock.start();
        window.update();
        QTRY_VERIFY_WITH_TIMEOUT(rendered, 2000);
        QVERIFY2(clock.elapsed() < 400, qPrintable(QStringLiteral("%1 ms").arg(clock.elapsed())));
        QCOMPARE(pacer.heldRequests(), 0);
    }
};

QTEST_MAIN(TestFramePacer)
#include "tst_framepacer.moc"
