#include "fatalwarnings.h"
#include "handoff.h"
#include "marketcache.h"
#include "orderbookmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace tickscope;
using Roles = QList<int>;
using Levels = std::vector<Level>;

namespace {
Instrument instrument(const QString &symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

InstrumentUpdate book(InstrumentId id, Levels bids, Levels asks)
{
    InstrumentUpdate u;
    u.reset(id);
    u.integrity = BookIntegrity::Synced;
    u.bids = std::move(bids);
    u.asks = std::move(asks);
    return u;
}

void deliver(MarketCache &cache, DrainListener &listener, const DrainBatch &batch)
{
    cache.apply(batch);
    listener.drained(batch);
}

void deliverBook(MarketCache &cache, DrainListener &listener, InstrumentId id, Levels bids, Levels asks = {})
{
    DrainBatch batch;
    batch.updates.push_back(book(id, std::move(bids), std::move(asks)));
    deliver(cache, listener, batch);
}

Roles sortedRoles(const QVariant &roles)
{
    Roles list = roles.value<Roles>();
    std::sort(list.begin(), list.end());
    return list;
}

QStringList ranges(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out << QStringLiteral("%1-%2").arg(args.at(0).toModelIndex().row()).arg(args.at(1).toModelIndex().row());
    return out;
}

QStringList column(const QAbstractItemModel &model, int role)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(role).toString();
    return out;
}

/// BTC-USD (price scale 2, qty scale 8) and PEPE-USDT (price scale 8, qty scale 0).
struct Fixture
{
    MarketCache cache;
    PipelineStats stats;
    OrderBookModel model {cache, &stats};
    QAbstractItemModelTester tester {&model, QAbstractItemModelTester::FailureReportingMode::QtTest};

    Fixture()
    {
        DrainBatch batch;
        batch.newInstruments
            = {instrument(QStringLiteral("BTC-USD"), 2, 8), instrument(QStringLiteral("PEPE-USDT"), 8, 0)};
        deliver(cache, model, batch);
        model.setDepth(5);
    }
};
} // namespace

class TestOrderBookModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void ladderWithCumulativeSizesAndRatios()
    {
        Fixture f;
        QCOMPARE(f.model.rowCount(), 0); // no instrument yet
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.model.setInstrument(0);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(f.model.rowCount(), 5);
        QVERIFY(f.model.index(0, 0).data(OrderBookModel::EmptyRole).toBool());

        deliverBook(f.cache, f.model, 0, {{6'000'000, 100'000'000}, {5'999'900, 200'000'000}, {5'999'800, 1234}},
                    {{6'000'100, 5}});
        QCOMPARE(column(f.model, OrderBookModel::PriceRole),
                 (QStringList {QStringLiteral("60000.00"), QStringLiteral("59999.00"), QStringLiteral("59998.00"),
                               QString(), QString()}));
        QCOMPARE(column(f.model, OrderBookModel::SizeRole),
                 (QStringList {QStringLiteral("1.00000000"), QStringLiteral("2.00000000"), QStringLiteral("0.00001234"),
                               QString(), QString()}));
        QCOMPARE(column(f.model, OrderBookModel::CumulativeSizeRole),
                 (QStringList {QStringLiteral("1.00000000"), QStringLiteral("3.00000000"), QStringLiteral("3.00001234"),
                               QString(), QString()}));
        const double total = 300'001'234.0;
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 100'000'000.0 / total);
        QCOMPARE(f.model.index(1, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 300'000'000.0 / total);
        QCOMPARE(f.model.index(2, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 1.0);
        QCOMPARE(f.model.index(3, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 0.0);
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::SizeRatioRole).toDouble(), 0.5);
        QCOMPARE(f.model.index(1, 0).data(OrderBookModel::SizeRatioRole).toDouble(), 1.0);
        QVERIFY(f.model.index(0, 0).data(OrderBookModel::IsBestRole).toBool());
        QVERIFY(!f.model.index(1, 0).data(OrderBookModel::IsBestRole).toBool());
        QVERIFY(!f.model.index(2, 0).data(OrderBookModel::EmptyRole).toBool());
        QVERIFY(f.model.index(3, 0).data(OrderBookModel::EmptyRole).toBool());
        QCOMPARE(f.model.index(4, 0).data(OrderBookModel::SizeValueRole).toDouble(), 0.0);
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::PriceValueRole).toDouble(), 60000.0);
        QCOMPARE(reset.size(), 1); // never per tick

        // The ask side of the same instrument.
        f.model.setSide(OrderBookModel::Ask);
        QCOMPARE(reset.size(), 2);
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::PriceRole).toString(), QStringLiteral("60001.00"));
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::SizeRole).toString(), QStringLiteral("0.00000005"));
        QVERIFY(f.model.index(1, 0).data(OrderBookModel::EmptyRole).toBool());
    }

    void viewsReadNewValuesInsideDataChanged()
    {
        // A view calls data() from its dataChanged slot: the model must already hold the new rows.
        Fixture f;
        f.model.setInstrument(0);
        deliverBook(f.cache, f.model, 0, {{300, 1}, {200, 2}});
        QStringList seen;
        connect(&f.model, &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                        seen << f.model.index(row, 0).data(OrderBookModel::PriceRole).toString();
                });
        deliverBook(f.cache, f.model, 0, {{400, 1}, {300, 1}, {200, 2}});
        QCOMPARE(seen, (QStringList {QStringLiteral("4.00"), QStringLiteral("3.00"), QStringLiteral("2.00")}));
    }

    void groupingSumsLevelsIntoTickBuckets_data()
    {
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("grouping");
        QTest::addColumn<QStringList>("prices");
        QTest::addColumn<QStringList>("sizes");
        // Levels 1.05, 1.03, 0.99, 0.91 (bids) / 1.06, 1.10, 1.11, 1.25 (asks) at tick 0.01.
        QTest::newRow("bids 1x") << int(OrderBookModel::Bid) << 1
                                 << QStringList {QStringLiteral("1.05"), QStringLiteral("1.03"), QStringLiteral("0.99"),
                                                 QStringLiteral("0.91"), QString()}
                                 << QStringList {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                                 QStringLiteral("4"), QString()};
        QTest::newRow("bids 10x") << int(OrderBookModel::Bid) << 10
                                  << QStringList {QStringLiteral("1.00"), QStringLiteral("0.90"), QString(), QString(),
                                                  QString()}
                                  << QStringList {QStringLiteral("3"), QStringLiteral("7"), QString(), QString(),
                                                  QString()};
        QTest::newRow("asks 10x") << int(OrderBookModel::Ask) << 10
                                  << QStringList {QStringLiteral("1.10"), QStringLiteral("1.20"),
                                                  QStringLiteral("1.30"), QString(), QString()}
                                  << QStringList {QStringLiteral("3"), QStringLiteral("3"), QStringLiteral("4"),
                                                  QString(), QString()};
        QTest::newRow("asks 100x") << int(OrderBookModel::Ask) << 100
                                   << QStringList {QStringLiteral("2.00"), QString(), QString(), QString(), QString()}
                                   << QStringList {QStringLiteral("10"), QString(), QString(), QString(), QString()};
    }

    void groupingSumsLevelsIntoTickBuckets()
    {
        QFETCH(int, side);
        QFETCH(int, grouping);
        QFETCH(QStringList, prices);
        QFETCH(QStringList, sizes);
        MarketCache cache;
        OrderBookModel model(cache);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DrainBatch batch;
        batch.newInstruments = {instrument(QStringLiteral("X-USD"), 2, 0)};
        deliver(cache, model, batch);
        model.setDepth(5);
        model.setSide(OrderBookModel::Side(side));
        model.setInstrument(0);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setGrouping(grouping);
        QCOMPARE(reset.size(), grouping == 1 ? 0 : 1);
        QCOMPARE(model.grouping(), grouping);
        deliverBook(cache, model, 0, {{105, 1}, {103, 2}, {99, 3}, {91, 4}}, {{106, 1}, {110, 2}, {111, 3}, {125, 4}});
        QCOMPARE(column(model, OrderBookModel::PriceRole), prices);
        QCOMPARE(column(model, OrderBookModel::SizeRole), sizes);
    }

    void sizeChangeUpdatesDependentRowsOnly()
    {
        Fixture f;
        f.model.setInstrument(0);
        deliverBook(f.cache, f.model, 0, {{300, 1}, {200, 2}, {100, 1}});
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        const std::uint64_t signalsBefore = PipelineStats::get(f.stats.modelSignals);

        // Level 1 grows 2 → 3: its size and every cumulative figure below it, all depth ratios
        // (the total moved) and the size ratios of the other levels (the largest moved) change;
        // the empty rows 3 and 4 do not.
        deliverBook(f.cache, f.model, 0, {{300, 1}, {200, 3}, {100, 1}});
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("0-2")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)),
                 (Roles {OrderBookModel::SizeRole, OrderBookModel::CumulativeSizeRole, OrderBookModel::SizeValueRole,
                         OrderBookModel::DepthRatioRole, OrderBookModel::SizeRatioRole}));
        QCOMPARE(column(f.model, OrderBookModel::CumulativeSizeRole),
                 (QStringList {QStringLiteral("0.00000001"), QStringLiteral("0.00000004"), QStringLiteral("0.00000005"),
                               QString(), QString()}));
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 0.2);
        QCOMPARE(f.model.index(2, 0).data(OrderBookModel::SizeRatioRole).toDouble(), 1.0 / 3.0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals) - signalsBefore, 1u);
    }

    void roleSetsAreHonest_data()
    {
        QTest::addColumn<QList<qint64>>("newPrices"); // sizes stay 1, 2, 1
        QTest::addColumn<QStringList>("expectedRanges");
        QTest::addColumn<QList<Roles>>("expectedRoles");

        const Roles price {OrderBookModel::PriceRole, OrderBookModel::PriceValueRole};
        QTest::newRow("worst price moves")
            << QList<qint64> {300, 200, 50} << QStringList {QStringLiteral("2-2")} << QList<Roles> {price};
        QTest::newRow("non-contiguous prices")
            << QList<qint64> {301, 200, 50} << QStringList {QStringLiteral("0-0"), QStringLiteral("2-2")}
            << QList<Roles> {price, price};
        QTest::newRow("same book") << QList<qint64> {300, 200, 100} << QStringList {} << QList<Roles> {};
    }

    void roleSetsAreHonest()
    {
        QFETCH(QList<qint64>, newPrices);
        QFETCH(QStringList, expectedRanges);
        QFETCH(QList<Roles>, expectedRoles);

        Fixture f;
        f.model.setInstrument(0);
        deliverBook(f.cache, f.model, 0, {{300, 1}, {200, 2}, {100, 1}});
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        deliverBook(f.cache, f.model, 0, {{newPrices[0], 1}, {newPrices[1], 2}, {newPrices[2], 1}});
        QCOMPARE(ranges(changed), expectedRanges);
        for (int i = 0; i < expectedRoles.size(); ++i)
            QCOMPARE(sortedRoles(changed.at(i).at(2)), expectedRoles.at(i));
    }

    void levelsAppearAndDisappear()
    {
        Fixture f;
        f.model.setInstrument(1);
        deliverBook(f.cache, f.model, 1, {{1234, 10}, {1233, 20}, {1232, 30}});
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QCOMPARE(f.model.index(0, 0).data(OrderBookModel::PriceRole).toString(), QStringLiteral("0.00001234"));
        QCOMPARE(f.model.index(2, 0).data(OrderBookModel::CumulativeSizeRole).toString(), QStringLiteral("60"));

        // The worst level goes: row 2 empties, the totals (and so the depth ratios of rows 0, 1) move.
        deliverBook(f.cache, f.model, 1, {{1234, 10}, {1233, 20}});
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("0-2")});
        const Roles emptied {OrderBookModel::PriceRole,          OrderBookModel::SizeRole,
                             OrderBookModel::CumulativeSizeRole, OrderBookModel::PriceValueRole,
                             OrderBookModel::SizeValueRole,      OrderBookModel::DepthRatioRole,
                             OrderBookModel::SizeRatioRole,      OrderBookModel::EmptyRole};
        QCOMPARE(sortedRoles(changed.at(0).at(2)), emptied);
        QVERIFY(f.model.index(2, 0).data(OrderBookModel::EmptyRole).toBool());
        QCOMPARE(f.model.index(1, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 1.0);
        QCOMPARE(f.model.rowCount(), 5); // fixed row count
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);

        // The book empties completely: row 0 stops being the best.
        changed.clear();
        deliverBook(f.cache, f.model, 1, {});
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("0-1")});
        QVERIFY(sortedRoles(changed.at(0).at(2)).contains(OrderBookModel::IsBestRole));
        QVERIFY(!f.model.index(0, 0).data(OrderBookModel::IsBestRole).toBool());
    }

    void emptyWhileNoRowHoldsALevel()
    {
        // The row count is fixed, so a view cannot tell an unsynced book by its count: `empty` says.
        Fixture f;
        QSignalSpy emptyChanged(&f.model, &OrderBookModel::emptyChanged);
        QVERIFY(f.model.isEmpty()); // no instrument
        f.model.setInstrument(0);
        QCOMPARE(f.model.rowCount(), 5);
        QVERIFY(f.model.isEmpty()); // an instrument, no book yet
        QCOMPARE(emptyChanged.size(), 0);

        deliverBook(f.cache, f.model, 0, {{100, 1}});
        QVERIFY(!f.model.isEmpty());
        QCOMPARE(emptyChanged.size(), 1);
        deliverBook(f.cache, f.model, 0, {{100, 2}, {99, 1}});
        QCOMPARE(emptyChanged.size(), 1); // still levels: no signal

        f.model.setSide(OrderBookModel::Ask); // no asks
        QVERIFY(f.model.isEmpty());
        QCOMPARE(emptyChanged.size(), 2);
        f.model.setSide(OrderBookModel::Bid);
        QVERIFY(!f.model.isEmpty());
        deliverBook(f.cache, f.model, 0, {}); // a resync clears the book
        QVERIFY(f.model.isEmpty());
        QCOMPARE(emptyChanged.size(), 4);
    }

    void otherInstrumentsAndSidesAreIgnored()
    {
        Fixture f;
        f.model.setInstrument(0);
        deliverBook(f.cache, f.model, 0, {{300, 1}}, {{400, 1}});
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        deliverBook(f.cache, f.model, 1, {{1, 1}}); // another instrument
        deliverBook(f.cache, f.model, 0, {{300, 1}}, {{401, 7}}); // the other side
        QCOMPARE(changed.size(), 0);
    }

    void depthAndInstrumentSwitchReset()
    {
        Fixture f;
        deliverBook(f.cache, f.model, 0, {{300, 1}, {200, 1}, {100, 1}});
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        QSignalSpy instrumentChanged(&f.model, &OrderBookModel::instrumentChanged);
        f.model.setInstrument(0);
        f.model.setInstrument(0); // no-op
        QCOMPARE(reset.size(), 1);
        QCOMPARE(instrumentChanged.size(), 1);
        QCOMPARE(f.model.index(2, 0).data(OrderBookModel::PriceRole).toString(), QStringLiteral("1.00"));
        f.model.setDepth(2);
        QCOMPARE(reset.size(), 2);
        QCOMPARE(f.model.rowCount(), 2);
        QCOMPARE(f.model.index(1, 0).data(OrderBookModel::DepthRatioRole).toDouble(), 1.0);
        f.model.setInstrument(-1);
        QCOMPARE(f.model.rowCount(), 0);
        QCOMPARE(f.model.instrument(), -1);
    }
};

QTEST_GUILESS_MAIN(TestOrderBookModel)
#include "tst_orderbookmodel.moc"
