// CandleChartFeeder: the batch copy of candles into the chart series, the in-place patch of the
// open candle, the incremental append while following, panning back, and the OHLCV read-out.

#include "candlechartfeeder.h"
#include "fatalwarnings.h"

#include <QCandlestickSet>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QtTest>

using namespace tickscope;

namespace {

enum Role {
    Timestamp = Qt::UserRole + 1,
    Open,
    High,
    Low,
    Close,
    Volume,
    OpenText,
    HighText,
    LowText,
    CloseText,
    VolumeText,
    AfterGap,
};

constexpr double kStepMs = 1000;
constexpr double kT0 = 1'700'000'000'000.0;

/// A candle model with the same role names as CandleModel; row r is a candle at kT0 + r s whose
/// open is 100 + r, close 100.5 + r, high/low ±2, volume 10 + r.
class Candles : public QStandardItemModel
{
public:
    Candles()
    {
        setItemRoleNames({{Timestamp, "timestamp"},
                          {Open, "open"},
                          {High, "high"},
                          {Low, "low"},
                          {Close, "close"},
                          {Volume, "volume"},
                          {OpenText, "openText"},
                          {HighText, "highText"},
                          {LowText, "lowText"},
                          {CloseText, "closeText"},
                          {VolumeText, "volumeText"},
                          {AfterGap, "afterGap"}});
    }

    static QStandardItem *candle(int r)
    {
        auto *item = new QStandardItem;
        const double open = 100 + r;
        const QList<std::pair<int, double>> values = {{Timestamp, kT0 + r * kStepMs},
                                                      {Open, open},
                                                      {High, open + 2},
                                                      {Low, open - 2},
                                                      {Close, open + 0.5},
                                                      {Volume, 10 + r}};
        for (const auto &[role, value] : values)
            item->setData(value, role);
        item->setData(QString::number(open, 'f', 2), OpenText);
        item->setData(QString::number(open + 2, 'f', 2), HighText);
        item->setData(QString::number(open - 2, 'f', 2), LowText);
        item->setData(QString::number(open + 0.5, 'f', 2), CloseText);
        item->setData(QString::number(10 + r), VolumeText);
        item->setData(r == 12, AfterGap); // the connection was lost just before candle 12
        return item;
    }
    void appendCandles(int from, int count)
    {
        QList<QStandardItem *> items;
        for (int r = from; r < from + count; ++r)
            items.append(candle(r));
        invisibleRootItem()->appendRows(items); // one insert for the batch, as CandleModel does per drain
    }
};

} // namespace

class TestCandleChartFeeder : public QObject
{
    Q_OBJECT

private:
    Candles m_model;
    QCandlestickSeries *m_price = nullptr;
    QCandlestickSeries *m_volume = nullptr;
    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_priceAxis = nullptr;
    QValueAxis *m_volumeAxis = nullptr;
    std::unique_ptr<CandleChartFeeder> m_feeder;

private Q_SLOTS:
    void init()
    {
        tickscope::test::installFatalWarnings();
        m_model.clear();
        m_model.setItemRoleNames(Candles().roleNames());
        m_price = new QCandlestickSeries(this);
        m_volume = new QCandlestickSeries(this);
        m_time = new QDateTimeAxis(this);
        m_priceAxis = new QValueAxis(this);
        m_volumeAxis = new QValueAxis(this);
        m_feeder = std::make_unique<CandleChartFeeder>();
        m_feeder->setProperty("priceSeries", QVariant::fromValue(m_price));
        m_feeder->setProperty("volumeSeries", QVariant::fromValue(m_volume));
        m_feeder->setProperty("timeAxis", QVariant::fromValue(m_time));
        m_feeder->setProperty("priceAxis", QVariant::fromValue(m_priceAxis));
        m_feeder->setProperty("volumeAxis", QVariant::fromValue(m_volumeAxis));
        m_feeder->setVisibleCount(10); // the smallest zoom
    }
    void cleanup()
    {
        m_feeder.reset();
        delete m_price;
        delete m_volume;
        delete m_time;
        delete m_priceAxis;
        delete m_volumeAxis;
    }

    void showsTheNewestCandles()
    {
        m_model.appendCandles(0, 15);
        m_feeder->setModel(&m_model);
        QCOMPARE(m_price->count(), 10);
        QCOMPARE(m_volume->count(), 10);
        QCOMPARE(m_price->sets().first()->open(), 105.0); // rows 5…14
        QCOMPARE(m_price->sets().last()->close(), 114.5);
        QCOMPARE(m_price->sets().last()->timestamp(), kT0 + 14 * kStepMs);
        QCOMPARE(m_volume->sets().last()->high(), 24.0); // a rising candle's volume bar: 0 → volume
        QCOMPARE(m_volume->sets().last()->close(), 24.0);
        QCOMPARE(m_feeder->lastClose(), 114.5);
        // The axes hold every shown candle, with the newest one not at the very edge.
        QVERIFY(m_priceAxis->min() < 103.0 && m_priceAxis->max() > 116.0);
        QVERIFY(m_time->max().toMSecsSinceEpoch() > kT0 + 14 * kStepMs);
        QVERIFY(m_time->min().toMSecsSinceEpoch() < kT0 + 5 * kStepMs);
        QCOMPARE(m_volumeAxis->min(), 0.0);
        QVERIFY(m_volumeAxis->max() >= 24.0);
    }

    void patchesTheOpenCandleInPlace()
    {
        m_model.appendCandles(0, 15);
        m_feeder->setModel(&m_model);
        const int rebuilds = m_feeder->rebuilds();
        QCandlestickSet *newest = m_price->sets().last();
        m_model.item(14)->setData(130.0, High); // the first change shows at once
        QCOMPARE(m_price->sets().last(), newest); // the same set, updated
        QCOMPARE(newest->high(), 130.0);
        QVERIFY(m_priceAxis->max() > 130.0); // the axis follows the new high

        // Further changes within the patch interval are gathered and shown together, once.
        m_model.item(14)->setData(129.0, Close);
        m_model.item(14)->setData(131.0, High);
        QCOMPARE(newest->close(), 114.5);
        QTRY_COMPARE_WITH_TIMEOUT(newest->close(), 129.0, 1000);
        QCOMPARE(newest->high(), 131.0);
        QCOMPARE(m_feeder->lastClose(), 129.0);
        QCOMPARE(m_feeder->rebuilds(), rebuilds);
    }

    void everyChangeAtOnceWithoutInterval()
    {
        m_feeder->setProperty("patchInterval", 0);
        m_model.appendCandles(0, 15);
        m_feeder->setModel(&m_model);
        for (double close : {120.0, 121.0, 119.5}) {
            m_model.item(14)->setData(close, Close);
            QCOMPARE(m_price->sets().last()->close(), close);
        }
    }

    void aNewCandleFlushesThePendingPatch()
    {
        m_model.appendCandles(0, 15);
        m_feeder->setModel(&m_model);
        m_model.item(14)->setData(125.0, Close); // shown at once
        m_model.item(14)->setData(126.0, Close); // pending
        QCandlestickSet *closed = m_price->sets().last();
        m_model.appendCandles(15, 1);
        QCOMPARE(closed->close(), 126.0); // the closed candle keeps its final close
        QCOMPARE(m_price->sets().last()->open(), 115.0);
    }

    void appendsNewCandlesWithoutRebuilding()
    {
        m_model.appendCandles(0, 15);
        m_feeder->setModel(&m_model);
        const int rebuilds = m_feeder->rebuilds();
        QCandlestickSet *kept = m_price->sets().at(2); // row 7
        m_model.appendCandles(15, 2);
        QCOMPARE(m_feeder->rebuilds(), rebuilds);
        QCOMPARE(m_price->count(), 10);
        QCOMPARE(m_volume->count(), 10);
        QCOMPARE(m_price->sets().first(), kept); // rows 7…16: the two oldest dropped, the rest kept
        QCOMPARE(m_price->sets().last()->open(), 116.0);
        QCOMPARE(m_feeder->lastClose(), 116.5);
        QVERIFY(m_time->max().toMSecsSinceEpoch() > kT0 + 16 * kStepMs);

        // The model trims its oldest rows: nothing shown changes, and later appends still line up.
        m_model.removeRows(0, 3);
        QCOMPARE(m_price->sets().first(), kept);
        m_model.appendCandles(17, 1);
        QCOMPARE(m_feeder->rebuilds(), rebuilds);
        QCOMPARE(m_price->sets().last()->open(), 117.0);
        QCOMPARE(m_price->sets().first()->open(), 108.0);
        m_model.item(m_model.rowCount() - 1)->setData(111.0, Close);
        QTRY_COMPARE(m_price->sets().last()->close(), 111.0); // the patch finds the right set after the shift
    }

    void panningBackHoldsTheView()
    {
        m_model.appendCandles(0, 30);
        m_feeder->setModel(&m_model);
        m_feeder->setOffset(10);
        QVERIFY(!m_feeder->follow());
        QCOMPARE(m_price->count(), 10);
        QCOMPARE(m_price->sets().last()->open(), 119.0); // rows 10…19
        m_feeder->setFollow(true);
        QCOMPARE(m_feeder->offset(), 0);
        QCOMPARE(m_price->sets().last()->open(), 129.0);
    }

    void zoomChangesTheCount()
    {
        m_model.appendCandles(0, 30);
        m_feeder->setModel(&m_model);
        m_feeder->setVisibleCount(12);
        QCOMPARE(m_price->count(), 12);
        QCOMPARE(m_price->sets().first()->open(), 118.0);
    }

    void readOutGivesTheExactCandle()
    {
        m_model.appendCandles(0, 8);
        m_feeder->setModel(&m_model);
        const QVariantMap c = m_feeder->candleAt(kT0 + 4 * kStepMs + 300); // inside candle 4
        QCOMPARE(c.value(QStringLiteral("open")).toString(), QStringLiteral("104.00"));
        QCOMPARE(c.value(QStringLiteral("high")).toString(), QStringLiteral("106.00"));
        QCOMPARE(c.value(QStringLiteral("low")).toString(), QStringLiteral("102.00"));
        QCOMPARE(c.value(QStringLiteral("close")).toString(), QStringLiteral("104.50"));
        QCOMPARE(c.value(QStringLiteral("volume")).toString(), QStringLiteral("14"));
        QCOMPARE(c.value(QStringLiteral("time")).toDouble(), kT0 + 4 * kStepMs);
        QVERIFY(m_feeder->candleAt(kT0 - 1).isEmpty()); // before the first candle: nothing
    }

    void gapsAreMarkedWhileShown()
    {
        m_model.appendCandles(0, 15); // rows 5…14 shown
        m_feeder->setModel(&m_model);
        QCOMPARE(m_feeder->gapTimes(), (QVariantList {kT0 + 12 * kStepMs}));
        QSignalSpy changed(m_feeder.get(), &CandleChartFeeder::gapTimesChanged);
        m_model.appendCandles(15, 3); // rows 8…17: still shown
        QCOMPARE(m_feeder->gapTimes(), (QVariantList {kT0 + 12 * kStepMs}));
        QCOMPARE(changed.size(), 0);
        m_model.appendCandles(18, 5); // rows 13…22: scrolled out
        QVERIFY(m_feeder->gapTimes().isEmpty());
        QCOMPARE(changed.size(), 1);
        m_model.item(22)->setData(true, AfterGap); // the open candle gets a gap
        QTRY_COMPARE(m_feeder->gapTimes(), (QVariantList {kT0 + 22 * kStepMs}));
    }

    void emptyModelShowsNothing()
    {
        m_feeder->setModel(&m_model);
        QCOMPARE(m_price->count(), 0);
        QVERIFY(std::isnan(m_feeder->lastClose()));
        m_model.appendCandles(0, 1);
        QCOMPARE(m_price->count(), 1);
        QCOMPARE(m_feeder->lastClose(), 100.5);
    }
};

QTEST_MAIN(TestCandleChartFeeder)
#include "tst_candlechartfeeder.moc"
