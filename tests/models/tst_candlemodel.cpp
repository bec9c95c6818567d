#include "candlemodel.h"
#include "fatalwarnings.h"
#include "handoff.h"
#include "marketcache.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace tickscope;
using Roles = QList<int>;

namespace {
constexpr std::int64_t kMinute = 60'000;

Instrument instrument(const QString &symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

Candle candle(std::int64_t openTimeMs, std::int64_t open, std::int64_t high, std::int64_t low, std::int64_t close,
              std::int64_t volume = 1, std::uint32_t trades = 1)
{
    return Candle {openTimeMs, open, high, low, close, volume, trades};
}

void deliver(MarketCache &cache, DrainListener &listener, const DrainBatch &batch)
{
    cache.apply(batch);
    listener.drained(batch);
}

void deliverCandles(MarketCache &cache, DrainListener &listener, InstrumentId id, CandleInterval interval,
                    std::vector<Candle> candles)
{
    DrainBatch batch;
    InstrumentUpdate u;
    u.reset(id);
    u.candles[static_cast<std::size_t>(interval)] = std::move(candles);
    batch.updates.push_back(u);
    deliver(cache, listener, batch);
}

Roles sortedRoles(const QVariant &roles)
{
    Roles list = roles.value<Roles>();
    std::sort(list.begin(), list.end());
    return list;
}

QList<qint64> timestamps(const QAbstractItemModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(CandleModel::TimestampRole).toLongLong();
    return out;
}

/// BTC-USD (price scale 2, qty scale 8) and PEPE-USDT (price scale 8, qty scale 0), with two M1
/// candles of BTC in the cache before the model looks at it.
struct Fixture
{
    MarketCache cache;
    PipelineStats stats;
    CandleModel model {cache, &stats};
    QAbstractItemModelTester tester {&model, QAbstractItemModelTester::FailureReportingMode::QtTest};

    Fixture()
    {
        DrainBatch batch;
        batch.newInstruments
            = {instrument(QStringLiteral("BTC-USD"), 2, 8), instrument(QStringLiteral("PEPE-USDT"), 8, 0)};
        deliver(cache, model, batch);
        deliverCandles(cache, model, 0, CandleInterval::M1,
                       {candle(kMinute, 6'000'000, 6'010'000, 5'990'000, 6'005'000, 150'000'000),
                        candle(2 * kMinute, 6'005'000, 6'006'000, 6'004'000, 6'004'500, 1234)});
    }
};
} // namespace

class TestCandleModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void resetsFromHistoryWithExactText()
    {
        Fixture f;
        QCOMPARE(f.model.rowCount(), 0);
        QCOMPARE(f.model.interval(), CandleModel::M1);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.model.setInstrument(0);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(timestamps(f.model), (QList<qint64> {kMinute, 2 * kMinute}));
        const QModelIndex first = f.model.index(0, 0);
        QCOMPARE(first.data(CandleModel::OpenTextRole).toString(), QStringLiteral("60000.00"));
        QCOMPARE(first.data(CandleModel::HighTextRole).toString(), QStringLiteral("60100.00"));
        QCOMPARE(first.data(CandleModel::LowTextRole).toString(), QStringLiteral("59900.00"));
        QCOMPARE(first.data(CandleModel::CloseTextRole).toString(), QStringLiteral("60050.00"));
        QCOMPARE(first.data(CandleModel::VolumeTextRole).toString(), QStringLiteral("1.50000000"));
        QCOMPARE(first.data(CandleModel::OpenRole).toDouble(), 60000.0);
        QCOMPARE(first.data(CandleModel::VolumeRole).toDouble(), 1.5);
        QVERIFY(first.data(CandleModel::IsUpRole).toBool());
        QCOMPARE(f.model.index(1, 0).data(CandleModel::VolumeTextRole).toString(), QStringLiteral("0.00001234"));
        QVERIFY(!f.model.index(1, 0).data(CandleModel::IsUpRole).toBool());
        QCOMPARE(f.model.priceRange(0, 10), QPointF(59900.0, 60100.0));
        QCOMPARE(f.model.priceRange(1, 1), QPointF(60040.0, 60060.0));

        // Another interval of the same instrument: a different source, so a reset.
        f.model.setInterval(CandleModel::H1);
        QCOMPARE(reset.size(), 2);
        QCOMPARE(f.model.rowCount(), 0);
    }

    void updateInPlaceVersusAppend_data()
    {
        QTest::addColumn<QList<Candle>>("incoming");
        QTest::addColumn<Roles>("changedRoles"); // of the last row; empty = no dataChanged
        QTest::addColumn<int>("appended");
        QTest::addColumn<QString>("lastClose");

        const Candle open = candle(2 * kMinute, 6'005'000, 6'006'000, 6'004'000, 6'004'500, 1234);
        Candle grew = open;
        grew.close = 6'007'000;
        grew.high = 6'007'000;
        grew.volume = 2000;
        grew.trades = 2;
        Candle sameClose = open;
        sameClose.volume = 9999;
        sameClose.trades = 5;

        QTest::newRow("open candle grows")
            << QList<Candle> {grew}
            << Roles {CandleModel::HighRole,     CandleModel::CloseRole,     CandleModel::VolumeRole,
                      CandleModel::HighTextRole, CandleModel::CloseTextRole, CandleModel::VolumeTextRole,
                      CandleModel::TradesRole,   CandleModel::IsUpRole}
            << 0 << QStringLiteral("60070.00");
        QTest::newRow("only volume and trades")
            << QList<Candle> {sameClose}
            << Roles {CandleModel::VolumeRole, CandleModel::VolumeTextRole, CandleModel::TradesRole} << 0
            << QStringLiteral("60045.00");
        QTest::newRow("identical") << QList<Candle> {open} << Roles {} << 0 << QStringLiteral("60045.00");
        QTest::newRow("close and open two new")
            << QList<Candle> {grew, candle(3 * kMinute, 1, 1, 1, 1), candle(4 * kMinute, 2, 3, 1, 2)}
            << Roles {CandleModel::HighRole,     CandleModel::CloseRole,     CandleModel::VolumeRole,
                      CandleModel::HighTextRole, CandleModel::CloseTextRole, CandleModel::VolumeTextRole,
                      CandleModel::TradesRole,   CandleModel::IsUpRole}
            << 2 << QStringLiteral("0.02");
        QTest::newRow("older ignored") << QList<Candle> {candle(kMinute, 1, 1, 1, 1)} << Roles {} << 0
                                       << QStringLiteral("60045.00");
        QTest::newRow("new only") << QList<Candle> {candle(5 * kMinute, 7, 7, 7, 7)} << Roles {} << 1
                                  << QStringLiteral("0.07");
    }

    void updateInPlaceVersusAppend()
    {
        QFETCH(QList<Candle>, incoming);
        QFETCH(Roles, changedRoles);
        QFETCH(int, appended);
        QFETCH(QString, lastClose);

        Fixture f;
        f.model.setInstrument(0);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        deliverCandles(f.cache, f.model, 0, CandleInterval::M1, std::vector<Candle>(incoming.begin(), incoming.end()));

        if (changedRoles.isEmpty()) {
            QCOMPARE(changed.size(), 0);
        } else {
            QCOMPARE(changed.size(), 1);
            QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
            QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
            QCOMPARE(sortedRoles(changed.at(0).at(2)), changedRoles);
        }
        QCOMPARE(inserted.size(), appended > 0 ? 1 : 0);
        if (appended > 0) {
            QCOMPARE(inserted.at(0).at(1).toInt(), 2);
            QCOMPARE(inserted.at(0).at(2).toInt(), 1 + appended);
        }
        QCOMPARE(f.model.rowCount(), 2 + appended);
        QCOMPARE(f.model.index(f.model.rowCount() - 1, 0).data(CandleModel::CloseTextRole).toString(), lastClose);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals),
                 static_cast<std::uint64_t>((changedRoles.isEmpty() ? 0 : 1) + (appended > 0 ? 1 : 0)));
    }

    void boundedTrimsFrontOnce()
    {
        Fixture f;
        f.model.setCapacity(3);
        f.model.setInstrument(0);
        QCOMPARE(f.model.rowCount(), 2);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        deliverCandles(
            f.cache, f.model, 0, CandleInterval::M1,
            {candle(3 * kMinute, 1, 1, 1, 1), candle(4 * kMinute, 1, 1, 1, 1), candle(5 * kMinute, 1, 1, 1, 1)});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 1);
        QCOMPARE(timestamps(f.model), (QList<qint64> {3 * kMinute, 4 * kMinute, 5 * kMinute}));

        // More new candles in one drain than the capacity: only the newest are inserted.
        inserted.clear();
        removed.clear();
        std::vector<Candle> many;
        for (int i = 6; i <= 12; ++i)
            many.push_back(candle(i * kMinute, i, i, i, i));
        deliverCandles(f.cache, f.model, 0, CandleInterval::M1, many);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(2).toInt() - inserted.at(0).at(1).toInt() + 1, 3);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(timestamps(f.model), (QList<qint64> {10 * kMinute, 11 * kMinute, 12 * kMinute}));
    }

    void otherIntervalsAndInstrumentsAreIgnored()
    {
        Fixture f;
        f.model.setInstrument(0);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        deliverCandles(f.cache, f.model, 0, CandleInterval::S1, {candle(1000, 1, 1, 1, 1)});
        deliverCandles(f.cache, f.model, 1, CandleInterval::M1, {candle(9 * kMinute, 1, 1, 1, 1)});
        QCOMPARE(changed.size(), 0);
        QCOMPARE(inserted.size(), 0);

        // PEPE at scale 8: the same model shows its history after a switch.
        f.model.setInstrument(1);
        QCOMPARE(f.model.rowCount(), 1);
        QCOMPARE(f.model.index(0, 0).data(CandleModel::CloseTextRole).toString(), QStringLiteral("0.00000001"));
        QCOMPARE(f.model.index(0, 0).data(CandleModel::VolumeTextRole).toString(), QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TestCandleModel)
#include "tst_candlemodel.moc"
