#include "fatalwarnings.h"
#include "handoff.h"
#include "marketcache.h"
#include "tradesmodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QtTest>

using namespace tickscope;

namespace {
constexpr std::int64_t kBaseMs = 1'700'000'000'123;

Instrument instrument(const QString &symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

TradePrint trade(std::uint64_t id, std::int64_t timeMs, Side side = Side::Buy, std::int64_t price = 6'000'000,
                 std::int64_t qty = 1234)
{
    TradePrint t;
    t.tradeId = id;
    t.timeMs = timeMs;
    t.side = side;
    t.price = price;
    t.qty = qty;
    return t;
}

/// An update of `id` carrying trades with ids first..first+count-1, one ms apart.
InstrumentUpdate trades(InstrumentId id, std::uint64_t first, int count, std::int64_t startMs = kBaseMs)
{
    InstrumentUpdate u;
    u.reset(id);
    for (int i = 0; i < count; ++i)
        u.trades.push_back(
            trade(first + static_cast<std::uint64_t>(i), startMs + static_cast<std::int64_t>(first) + i));
    return u;
}

void deliver(MarketCache &cache, DrainListener &listener, const DrainBatch &batch)
{
    cache.apply(batch);
    listener.drained(batch);
}

void deliverUpdates(MarketCache &cache, DrainListener &listener, std::vector<InstrumentUpdate> updates)
{
    DrainBatch batch;
    batch.updates = std::move(updates);
    deliver(cache, listener, batch);
}

QList<qint64> tradeIds(const QAbstractItemModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data(TradesModel::TradeIdRole).toLongLong();
    return ids;
}

/// BTC-USD (price scale 2, qty scale 8) and PEPE-USDT (price scale 8, qty scale 0).
struct Fixture
{
    MarketCache cache;
    PipelineStats stats;
    TradesModel model {cache, &stats};
    QAbstractItemModelTester tester {&model, QAbstractItemModelTester::FailureReportingMode::QtTest};

    Fixture()
    {
        DrainBatch batch;
        batch.newInstruments
            = {instrument(QStringLiteral("BTC-USD"), 2, 8), instrument(QStringLiteral("PEPE-USDT"), 8, 0)};
        deliver(cache, model, batch);
    }
};
} // namespace

class TestTradesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void newestFirstOneInsertPerDrainBounded_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<QList<int>>("drains"); // trades per drain
        QTest::addColumn<QList<int>>("insertedCounts"); // rows inserted per drain
        QTest::addColumn<QList<int>>("removedCounts"); // rows removed per drain (0 = no signal)
        QTest::addColumn<QList<qint64>>("expectedIds"); // newest first

        QTest::newRow("under capacity") << 10 << QList<int> {3, 2} << QList<int> {3, 2} << QList<int> {0, 0}
                                        << QList<qint64> {5, 4, 3, 2, 1};
        QTest::newRow("trims the tail") << 5 << QList<int> {3, 4} << QList<int> {3, 4} << QList<int> {0, 2}
                                        << QList<qint64> {7, 6, 5, 4, 3};
        QTest::newRow("one drain above capacity")
            << 4 << QList<int> {2, 9} << QList<int> {2, 4} << QList<int> {0, 2} << QList<qint64> {11, 10, 9, 8};
    }

    void newestFirstOneInsertPerDrainBounded()
    {
        QFETCH(int, capacity);
        QFETCH(QList<int>, drains);
        QFETCH(QList<int>, insertedCounts);
        QFETCH(QList<int>, removedCounts);
        QFETCH(QList<qint64>, expectedIds);

        Fixture f;
        f.model.setInstrument(0);
        f.model.setCapacity(capacity);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        std::uint64_t next = 1;
        int expectedRemovals = 0;
        for (int d = 0; d < drains.size(); ++d) {
            inserted.clear();
            removed.clear();
            deliverUpdates(f.cache, f.model, {trades(0, next, drains[d])});
            next += static_cast<std::uint64_t>(drains[d]);
            QCOMPARE(inserted.size(), 1);
            QCOMPARE(inserted.at(0).at(1).toInt(), 0);
            QCOMPARE(inserted.at(0).at(2).toInt(), insertedCounts[d] - 1);
            QCOMPARE(removed.size(), removedCounts[d] > 0 ? 1 : 0);
            if (removedCounts[d] > 0) {
                QCOMPARE(removed.at(0).at(1).toInt(), capacity);
                QCOMPARE(removed.at(0).at(2).toInt(), capacity + removedCounts[d] - 1);
                ++expectedRemovals;
            }
        }
        QCOMPARE(tradeIds(f.model), expectedIds);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals),
                 static_cast<std::uint64_t>(drains.size() + expectedRemovals));
    }

    void rolesAreExact()
    {
        Fixture f;
        f.model.setInstrument(1);
        InstrumentUpdate u;
        u.reset(1);
        u.trades = {trade(7, kBaseMs, Side::Sell, 1234, 5'000'000), trade(8, kBaseMs + 1, Side::Buy, 1300, 1)};
        deliverUpdates(f.cache, f.model, {u});

        const QModelIndex newest = f.model.index(0, 0);
        const QModelIndex older = f.model.index(1, 0);
        QCOMPARE(newest.data(TradesModel::PriceRole).toString(), QStringLiteral("0.00001300"));
        QCOMPARE(older.data(TradesModel::PriceRole).toString(), QStringLiteral("0.00001234"));
        QCOMPARE(older.data(TradesModel::SizeRole).toString(), QStringLiteral("5000000"));
        QCOMPARE(older.data(TradesModel::SideRole).toString(), QStringLiteral("sell"));
        QVERIFY(!older.data(TradesModel::IsBuyRole).toBool());
        QCOMPARE(newest.data(TradesModel::SideRole).toString(), QStringLiteral("buy"));
        QVERIFY(newest.data(TradesModel::IsBuyRole).toBool());
        QCOMPARE(newest.data(TradesModel::SymbolRole).toString(), QStringLiteral("PEPE-USDT"));
        QCOMPARE(newest.data(TradesModel::InstrumentIdRole).toInt(), 1);
        QCOMPARE(older.data(TradesModel::TimeMsRole).toLongLong(), kBaseMs);
        QCOMPARE(older.data(TradesModel::TimeRole).toDateTime(), QDateTime::fromMSecsSinceEpoch(kBaseMs));
        const QString timeText = older.data(TradesModel::TimeTextRole).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.123$")).match(timeText).hasMatch(),
                 qPrintable(timeText));
        QCOMPARE(timeText, QDateTime::fromMSecsSinceEpoch(kBaseMs).toString(QStringLiteral("HH:mm:ss.zzz")));
        QCOMPARE(older.data(TradesModel::PriceValueRole).toDouble(), 0.00001234);
    }

    // The time text caches the local minute: it must read exactly as QDateTime's local time, across
    // minute and hour boundaries and across a daylight-saving change (zone set for the test).
    void timeTextIsLocalTimeAcrossMinutesAndZoneChanges()
    {
        const QByteArray oldTz = qgetenv("TZ");
        // Restored even when a comparison fails, so later tests keep the machine's zone.
        const auto restoreTz = qScopeGuard([&oldTz] {
            if (oldTz.isNull())
                qunsetenv("TZ");
            else
                qputenv("TZ", oldTz);
        });
        qputenv("TZ", "Europe/Berlin");
        Fixture f;
        f.model.setInstrument(1);
        // 2026-03-29 01:00:00 UTC: Berlin goes from 02:00 CET to 03:00 CEST.
        constexpr std::int64_t kChangeMs = 1'774'746'000'000;
        const std::vector<std::int64_t> times {kBaseMs,   kBaseMs + 59'999,   kBaseMs + 60'000,         kChangeMs - 1,
                                               kChangeMs, kChangeMs + 61'001, kChangeMs - 60'000 + 999, 0,
                                               59'999};
        InstrumentUpdate u;
        u.reset(1);
        std::uint64_t id = 100;
        for (std::int64_t t : times)
            u.trades.push_back(trade(id++, t));
        deliverUpdates(f.cache, f.model, {u});
        QCOMPARE(f.model.rowCount(), static_cast<int>(times.size()));
        QStringList aroundTheChange;
        for (int row = 0; row < f.model.rowCount(); ++row) {
            const QModelIndex index = f.model.index(row, 0);
            const qint64 ms = index.data(TradesModel::TimeMsRole).toLongLong();
            const QString text = index.data(TradesModel::TimeTextRole).toString();
            QCOMPARE(text, QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz")));
            if (ms == kChangeMs - 1 || ms == kChangeMs)
                aroundTheChange.append(text);
        }
        // The zone really changed under the cache: the clock jumps from 01:59:59.999 to 03:00:00.000.
        aroundTheChange.sort();
        QCOMPARE(aroundTheChange, (QStringList {QStringLiteral("01:59:59.999"), QStringLiteral("03:00:00.000")}));
    }

    void instrumentFilter()
    {
        Fixture f;
        QCOMPARE(f.model.instrument(), -1); // all instruments by default
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        // Two instruments in one drain: one insert, interleaved by time, newest first.
        InstrumentUpdate btc;
        btc.reset(0);
        btc.trades = {trade(1, kBaseMs + 1), trade(3, kBaseMs + 3)};
        InstrumentUpdate pepe;
        pepe.reset(1);
        pepe.trades = {trade(2, kBaseMs + 2), trade(4, kBaseMs + 4)};
        deliverUpdates(f.cache, f.model, {btc, pepe});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {4, 3, 2, 1}));
        QCOMPARE(f.model.index(0, 0).data(TradesModel::SymbolRole).toString(), QStringLiteral("PEPE-USDT"));

        // Switching to one instrument is a source swap: reset, filled from the cache's history.
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.model.setInstrument(0);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {3, 1}));

        // Trades of other instruments do not touch it.
        inserted.clear();
        pepe.trades = {trade(5, kBaseMs + 5)};
        deliverUpdates(f.cache, f.model, {pepe});
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {3, 1}));

        // Back to all: history of both, merged by time.
        f.model.setInstrument(-1);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {5, 4, 3, 2, 1}));
        f.model.setCapacity(2);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {5, 4}));
    }

    void fullTapeShiftsRowsInPlace()
    {
        Fixture f;
        f.model.setInstrument(0);
        f.model.setCapacity(4);
        deliverUpdates(f.cache, f.model, {trades(0, 1, 4)});
        QCOMPARE(tradeIds(f.model), (QList<qint64> {4, 3, 2, 1}));
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        const std::uint64_t signalsBefore = PipelineStats::get(f.stats.modelSignals);

        // Full: the rows stay, each shows a newer trade (one dataChanged over all of them).
        deliverUpdates(f.cache, f.model, {trades(0, 5, 2)});
        QCOMPARE(tradeIds(f.model), (QList<qint64> {6, 5, 4, 3}));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 3);
        QCOMPARE(f.model.index(0, 0).data(TradesModel::PriceRole).toString(), QStringLiteral("60000.00"));

        // More new trades than rows: the newest fill the tape.
        deliverUpdates(f.cache, f.model, {trades(0, 7, 9)});
        QCOMPARE(tradeIds(f.model), (QList<qint64> {15, 14, 13, 12}));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals), signalsBefore + 2);
    }

    void pausedRowsHoldAndCatchUpOnResume()
    {
        Fixture f;
        f.model.setInstrument(0);
        f.model.setCapacity(4);
        deliverUpdates(f.cache, f.model, {trades(0, 1, 3)});
        QSignalSpy pausedChanged(&f.model, &TradesModel::pausedChanged);
        QSignalSpy missedChanged(&f.model, &TradesModel::missedChanged);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);

        // Pausing and resuming with nothing new changes nothing.
        f.model.setPaused(true);
        f.model.setPaused(false);
        QCOMPARE(pausedChanged.size(), 2);
        QCOMPARE(reset.size(), 0);

        f.model.setPaused(true);
        QVERIFY(f.model.paused());
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        // Another instrument's trades are not this tape's: not counted.
        deliverUpdates(f.cache, f.model, {trades(0, 4, 2), trades(1, 100, 5)});
        deliverUpdates(f.cache, f.model, {trades(0, 6, 5)});
        QCOMPARE(tradeIds(f.model), (QList<qint64> {3, 2, 1}));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(f.model.missed(), 7);
        QCOMPARE(missedChanged.size(), 2);

        // Resuming shows the newest trades at once, from the cache.
        f.model.setPaused(false);
        QVERIFY(!f.model.paused());
        QCOMPARE(reset.size(), 1);
        QCOMPARE(tradeIds(f.model), (QList<qint64> {10, 9, 8, 7}));
        QCOMPARE(f.model.missed(), 0);
        deliverUpdates(f.cache, f.model, {trades(0, 11, 1)});
        QCOMPARE(tradeIds(f.model), (QList<qint64> {11, 10, 9, 8}));
    }

    void drainsWithoutTradesEmitNothing()
    {
        Fixture f;
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        InstrumentUpdate quote;
        quote.reset(0);
        quote.quote.last = 5;
        deliverUpdates(f.cache, f.model, {quote});
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals), 0u);
    }
};

QTEST_GUILESS_MAIN(TestTradesModel)
#include "tst_tradesmodel.moc"
