#include "fatalwarnings.h"
#include "latencyhistogram.h"

#include <QtTest>

using namespace tickscope;

class TestLatencyHistogram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void emptyIsZero()
    {
        LatencyHistogram h;
        QCOMPARE(h.count(), 0u);
        QCOMPARE(h.quantileNs(0.5), 0);
        QCOMPARE(h.quantileNs(0.99), 0);
    }

    void quantiles_data()
    {
        QTest::addColumn<qint64>("scaleNs");
        QTest::newRow("microseconds") << qint64(1'000);
        QTest::newRow("milliseconds") << qint64(1'000'000);
        QTest::newRow("seconds") << qint64(1'000'000'000);
    }
    void quantiles()
    {
        QFETCH(qint64, scaleNs);
        LatencyHistogram h;
        // 1..1000 × scale: p50 ≈ 500, p99 ≈ 990 within the ~3 % bucket resolution.
        for (qint64 i = 1; i <= 1000; ++i)
            h.record(i * scaleNs);
        QCOMPARE(h.count(), 1000u);
        const double p50 = static_cast<double>(h.quantileNs(0.5)) / static_cast<double>(scaleNs);
        const double p99 = static_cast<double>(h.quantileNs(0.99)) / static_cast<double>(scaleNs);
        QVERIFY2(p50 >= 500 && p50 <= 500 * 1.04, qPrintable(QString::number(p50)));
        QVERIFY2(p99 >= 990 && p99 <= 990 * 1.04, qPrintable(QString::number(p99)));
        QCOMPARE(h.quantileNs(1.0), 1000 * scaleNs);
        QCOMPARE(h.maxNs(), 1000 * scaleNs);
    }

    void smallValuesAreExact()
    {
        LatencyHistogram h;
        for (int i = 0; i < 10; ++i)
            h.record(i);
        QCOMPARE(h.quantileNs(0.5), 4);
        QCOMPARE(h.quantileNs(0.0), 0);
    }

    void negativeAndHugeValuesAreClamped()
    {
        LatencyHistogram h;
        h.record(-5);
        h.record(std::numeric_limits<std::int64_t>::max() / 2);
        QCOMPARE(h.count(), 2u);
        QCOMPARE(h.quantileNs(0.5), 0);
        QVERIFY(h.quantileNs(1.0) > 0);
    }

    void mergeAndClear()
    {
        LatencyHistogram a;
        LatencyHistogram b;
        a.record(1000);
        b.record(3000);
        b.record(3000);
        a.merge(b);
        QCOMPARE(a.count(), 3u);
        QVERIFY(a.quantileNs(0.5) >= 3000);
        a.clear();
        QCOMPARE(a.count(), 0u);
        QCOMPARE(a.quantileNs(0.5), 0);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
