#include "fatalwarnings.h"
#include "handoff.h"
#include "marketcache.h"
#include "watchlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace tickscope;
using Roles = QList<int>;

namespace {
Instrument instrument(const QString &symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = symbol;
    i.displayName = symbol + QStringLiteral(" name");
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

/// A synced, live update with a full quote.
InstrumentUpdate quoted(InstrumentId id, std::int64_t last, std::int64_t bid, std::int64_t ask)
{
    InstrumentUpdate u;
    u.reset(id);
    u.integrity = BookIntegrity::Synced;
    u.quote.last = last;
    u.quote.bid = bid;
    u.quote.ask = ask;
    u.quote.open24h = last;
    u.quote.high24h = last;
    u.quote.low24h = last;
    u.quote.volume24h = 1;
    return u;
}

/// What the FrameDriver does with one batch.
void deliver(MarketCache &cache, DrainListener &listener, const DrainBatch &batch)
{
    cache.apply(batch);
    listener.drained(batch);
}

Roles sortedRoles(const QVariant &roles)
{
    Roles list = roles.value<Roles>();
    std::sort(list.begin(), list.end());
    return list;
}

/// "first-last" of each dataChanged emission, for compact comparisons.
QStringList ranges(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out << QStringLiteral("%1-%2").arg(args.at(0).toModelIndex().row()).arg(args.at(1).toModelIndex().row());
    return out;
}

/// Five instruments: BTC (price scale 2, qty 8), PEPE (8, 0), ETH, SOL, XRP (2, 4).
struct Fixture
{
    MarketCache cache;
    PipelineStats stats;
    WatchlistModel model {cache, &stats};
    QAbstractItemModelTester tester {&model, QAbstractItemModelTester::FailureReportingMode::QtTest};

    void announceAndQuote()
    {
        DrainBatch batch;
        batch.firstNewId = 0;
        batch.newInstruments
            = {instrument(QStringLiteral("BTC-USD"), 2, 8), instrument(QStringLiteral("PEPE-USDT"), 8, 0),
               instrument(QStringLiteral("ETH-USD"), 2, 4), instrument(QStringLiteral("SOL-USD"), 2, 4),
               instrument(QStringLiteral("XRP-USD"), 2, 4)};
        for (InstrumentId id = 0; id < 5; ++id)
            batch.updates.push_back(quoted(id, 10'000 + id, 9'999 + id, 10'001 + id));
        deliver(cache, model, batch);
    }
};
} // namespace

class TestWatchlistModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void followAllInsertsOncePerDrain()
    {
        Fixture f;
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.announceAndQuote();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);
        QCOMPARE(changed.size(), 0); // new rows already show the batch's values
        QCOMPARE(f.model.rowCount(), 5);
        QCOMPARE(f.model.data(f.model.index(1), WatchlistModel::SymbolRole).toString(), QStringLiteral("PEPE-USDT"));

        DrainBatch more;
        more.firstNewId = 5;
        more.newInstruments
            = {instrument(QStringLiteral("ADA-USD"), 4, 0), instrument(QStringLiteral("DOT-USD"), 3, 1)};
        deliver(f.cache, f.model, more);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 5);
        QCOMPARE(inserted.at(1).at(2).toInt(), 6);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals), 2u);

        f.model.setFollowAll(false);
        DrainBatch unfollowed;
        unfollowed.firstNewId = 7;
        unfollowed.newInstruments = {instrument(QStringLiteral("LTC-USD"), 2, 2)};
        deliver(f.cache, f.model, unfollowed);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(f.model.rowCount(), 7);
        QVERIFY(f.model.addInstrument(7));
        QVERIFY(!f.model.addInstrument(7)); // already listed
        QVERIFY(!f.model.addInstrument(99)); // unknown
        QCOMPARE(f.model.rowCount(), 8);
        QCOMPARE(f.model.rowOf(7), 7);
    }

    void textIsExact_data()
    {
        QTest::addColumn<int>("priceScale");
        QTest::addColumn<int>("qtyScale");
        QTest::addColumn<qint64>("last");
        QTest::addColumn<qint64>("open");
        QTest::addColumn<qint64>("bid");
        QTest::addColumn<qint64>("ask");
        QTest::addColumn<qint64>("volume");
        QTest::addColumn<QString>("lastText");
        QTest::addColumn<QString>("changeText");
        QTest::addColumn<QString>("changePercentText");
        QTest::addColumn<QString>("spreadText");
        QTest::addColumn<QString>("volumeText");

        QTest::newRow("scale 2") << 2 << 8 << qint64(6'000'000) << qint64(5'925'000) << qint64(5'999'999)
                                 << qint64(6'000'001) << qint64(123'456'789) << QStringLiteral("60000.00")
                                 << QStringLiteral("750.00") << QStringLiteral("1.27") << QStringLiteral("0.02")
                                 << QStringLiteral("1.23456789");
        QTest::newRow("scale 8") << 8 << 0 << qint64(1234) << qint64(1300) << qint64(1233) << qint64(1235)
                                 << qint64(987'654'321) << QStringLiteral("0.00001234") << QStringLiteral("-0.00000066")
                                 << QStringLiteral("-5.08") << QStringLiteral("0.00000002")
                                 << QStringLiteral("987654321");
        // +0.005 % and -0.005 %: exactly half a hundredth, rounded away from zero.
        QTest::newRow("half up") << 0 << 0 << qint64(20'001) << qint64(20'000) << qint64(20'000) << qint64(20'002)
                                 << qint64(0) << QStringLiteral("20001") << QStringLiteral("1")
                                 << QStringLiteral("0.01") << QStringLiteral("2") << QStringLiteral("0");
        QTest::newRow("half down") << 0 << 0 << qint64(19'999) << qint64(20'000) << qint64(19'998) << qint64(19'999)
                                   << qint64(0) << QStringLiteral("19999") << QStringLiteral("-1")
                                   << QStringLiteral("-0.01") << QStringLiteral("1") << QStringLiteral("0");
        QTest::newRow("unchanged") << 2 << 2 << qint64(100) << qint64(100) << qint64(99) << qint64(101) << qint64(5)
                                   << QStringLiteral("1.00") << QStringLiteral("0.00") << QStringLiteral("0.00")
                                   << QStringLiteral("0.02") << QStringLiteral("0.05");
    }

    void textIsExact()
    {
        QFETCH(int, priceScale);
        QFETCH(int, qtyScale);
        QFETCH(qint64, last);
        QFETCH(qint64, open);
        QFETCH(qint64, bid);
        QFETCH(qint64, ask);
        QFETCH(qint64, volume);
        QFETCH(QString, lastText);
        QFETCH(QString, changeText);
        QFETCH(QString, changePercentText);
        QFETCH(QString, spreadText);
        QFETCH(QString, volumeText);

        MarketCache cache;
        WatchlistModel model(cache);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DrainBatch batch;
        batch.newInstruments = {instrument(QStringLiteral("X"), priceScale, qtyScale)};
        InstrumentUpdate u = quoted(0, last, bid, ask);
        u.quote.open24h = open;
        u.quote.volume24h = volume;
        batch.updates.push_back(u);
        deliver(cache, model, batch);

        const QModelIndex row = model.index(0);
        QCOMPARE(row.data(WatchlistModel::LastRole).toString(), lastText);
        QCOMPARE(row.data(WatchlistModel::ChangeRole).toString(), changeText);
        QCOMPARE(row.data(WatchlistModel::ChangePercentRole).toString(), changePercentText);
        QCOMPARE(row.data(WatchlistModel::SpreadRole).toString(), spreadText);
        QCOMPARE(row.data(WatchlistModel::VolumeRole).toString(), volumeText);
        QCOMPARE(row.data(WatchlistModel::HighRole).toString(), lastText);
        QCOMPARE(row.data(WatchlistModel::ChangePercentValueRole).toDouble(), changePercentText.toDouble());
    }

    void missingPricesAreEmptyText()
    {
        MarketCache cache;
        WatchlistModel model(cache);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DrainBatch batch;
        batch.newInstruments = {instrument(QStringLiteral("X"), 2, 2)};
        deliver(cache, model, batch);
        const QModelIndex row = model.index(0);
        QCOMPARE(row.data(WatchlistModel::LastRole).toString(), QString());
        QCOMPARE(row.data(WatchlistModel::ChangeRole).toString(), QString());
        QCOMPARE(row.data(WatchlistModel::ChangePercentRole).toString(), QString());
        QCOMPARE(row.data(WatchlistModel::SpreadRole).toString(), QString());
        QCOMPARE(row.data(WatchlistModel::VolumeRole).toString(), QString()); // not "0.00" before any data
        QVERIFY(qIsNaN(row.data(WatchlistModel::LastValueRole).toDouble()));
        QVERIFY(row.data(WatchlistModel::StaleRole).toBool()); // not synced yet
        QCOMPARE(row.data(WatchlistModel::IntegrityRole).toString(), QStringLiteral("resyncing"));
        QCOMPARE(row.data(WatchlistModel::DisplayNameRole).toString(), QStringLiteral("X name"));
        QCOMPARE(row.data(WatchlistModel::VenueRole).toString(), QStringLiteral("demo"));

        // The first price: a zero volume is now a figure, and the view is told.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        DrainBatch priced;
        InstrumentUpdate u = quoted(0, 100, 99, 101);
        u.quote.volume24h = 0;
        priced.updates.push_back(u);
        deliver(cache, model, priced);
        QCOMPARE(row.data(WatchlistModel::VolumeRole).toString(), QStringLiteral("0.00"));
        QCOMPARE(changed.size(), 1);
        QVERIFY(changed.at(0).at(2).value<Roles>().contains(WatchlistModel::VolumeRole));
    }

    void rowTextIsTheRowAsShown()
    {
        MarketCache cache;
        WatchlistModel model(cache);
        DrainBatch batch;
        batch.newInstruments = {instrument(QStringLiteral("X"), 2, 8), instrument(QStringLiteral("Y"), 2, 2)};
        InstrumentUpdate u = quoted(0, 6'000'050, 6'000'000, 6'000'120);
        u.quote.open24h = 5'925'000;
        u.quote.volume24h = 123'456'789;
        batch.updates.push_back(u);
        deliver(cache, model, batch);
        QCOMPARE(model.rowText(0), QStringLiteral("X\tdemo\t60000.50\t1.27\t60000.00\t60001.20\t1.20\t1.23456789"));
        QCOMPARE(model.rowText(1), QStringLiteral("Y\tdemo\t\t\t\t\t\t")); // no data yet: empty fields
        QCOMPARE(model.rowText(2), QString());
        QCOMPARE(model.rowText(-1), QString());
    }

    void manyMergedUpdatesCoalesceIntoOneRange()
    {
        Fixture f;
        f.announceAndQuote();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        const std::uint64_t signalsBefore = PipelineStats::get(f.stats.modelSignals);

        // 1000 ticks on rows 1 and 2 between two frames: bid/ask/last move, the rest stays.
        DrainBatch batch;
        InstrumentUpdate pending1 = quoted(1, 10'001, 10'000, 10'002);
        InstrumentUpdate pending2 = quoted(2, 10'002, 10'001, 10'003);
        for (int i = 1; i <= 1000; ++i) {
            InstrumentUpdate tick1 = quoted(1, 10'001 + i, 10'000 + i, 10'002 + i);
            tick1.quote.open24h = 10'001;
            tick1.quote.high24h = 10'001;
            tick1.quote.low24h = 10'001;
            tick1.quote.tickDirection = 1;
            pending1.merge(tick1);
            InstrumentUpdate tick2 = quoted(2, 10'002, 10'001 - (i % 3), 10'003);
            tick2.quote.open24h = 10'002;
            tick2.quote.high24h = 10'002;
            tick2.quote.low24h = 10'002;
            pending2.merge(tick2);
        }
        batch.updates = {pending2, pending1};
        deliver(f.cache, f.model, batch);

        QCOMPARE(reset.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-2")});
        // Row 1: last, change, percent, bid, ask and tick direction moved; the spread stayed 0.02.
        // Row 2: only the bid moved (so did its spread). The range carries the union.
        const Roles expected = {
            WatchlistModel::LastRole,          WatchlistModel::ChangeRole,    WatchlistModel::ChangePercentRole,
            WatchlistModel::BidRole,           WatchlistModel::AskRole,       WatchlistModel::SpreadRole,
            WatchlistModel::TickDirectionRole, WatchlistModel::LastValueRole, WatchlistModel::ChangePercentValueRole};
        QCOMPARE(sortedRoles(changed.at(0).at(2)), expected);
        QCOMPARE(f.model.index(1).data(WatchlistModel::LastRole).toString(),
                 QStringLiteral("0.00011001")); // PEPE: scale 8
        QCOMPARE(f.model.index(1).data(WatchlistModel::ChangeRole).toString(), QStringLiteral("0.00001000"));
        QCOMPARE(f.model.index(1).data(WatchlistModel::ChangePercentRole).toString(), QStringLiteral("10.00"));
        QCOMPARE(f.model.index(2).data(WatchlistModel::BidRole).toString(), QStringLiteral("100.00"));
        QCOMPARE(f.model.index(2).data(WatchlistModel::SpreadRole).toString(), QStringLiteral("0.03"));
        QCOMPARE(f.model.index(1).data(WatchlistModel::TickDirectionRole).toInt(), 1);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals) - signalsBefore, 1u);

        // Row 2 changed nothing visible this time, row 1 only its ask: one single-row range.
        changed.clear();
        DrainBatch next;
        InstrumentUpdate u1 = quoted(1, 0, 0, 0);
        u1.quote = f.cache.state(1).quote;
        u1.quote.ask += 5;
        InstrumentUpdate u2 = quoted(2, 0, 0, 0);
        u2.quote = f.cache.state(2).quote;
        next.updates = {u1, u2};
        deliver(f.cache, f.model, next);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-1")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)), (Roles {WatchlistModel::AskRole, WatchlistModel::SpreadRole}));
    }

    void nonContiguousRowsGetSeparateRanges()
    {
        Fixture f;
        f.announceAndQuote();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        DrainBatch batch;
        for (InstrumentId id : {4u, 0u, 3u}) {
            InstrumentUpdate u = quoted(id, 0, 0, 0);
            u.quote = f.cache.state(id).quote;
            u.quote.bid -= 1;
            if (id == 4)
                u.quote.volume24h = 77;
            batch.updates.push_back(u);
        }
        deliver(f.cache, f.model, batch);
        QCOMPARE(ranges(changed), (QStringList {QStringLiteral("0-0"), QStringLiteral("3-4")}));
        QCOMPARE(sortedRoles(changed.at(0).at(2)), (Roles {WatchlistModel::BidRole, WatchlistModel::SpreadRole}));
        QCOMPARE(sortedRoles(changed.at(1).at(2)),
                 (Roles {WatchlistModel::BidRole, WatchlistModel::SpreadRole, WatchlistModel::VolumeRole,
                         WatchlistModel::VolumeValueRole}));
        QCOMPARE(f.model.index(4).data(WatchlistModel::VolumeRole).toString(), QStringLiteral("0.0077"));
        QCOMPARE(f.model.index(0).data(WatchlistModel::BidRole).toString(), QStringLiteral("99.98"));
    }

    void invisibleChangesEmitNothing()
    {
        Fixture f;
        f.announceAndQuote();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        const std::uint64_t signalsBefore = PipelineStats::get(f.stats.modelSignals);
        DrainBatch batch;
        InstrumentUpdate u = quoted(2, 0, 0, 0);
        u.quote = f.cache.state(2).quote;
        u.bookSequence = 1234; // not shown
        u.bids = {{1, 1}}; // book levels are not watchlist roles
        u.trades.push_back(TradePrint {});
        batch.updates.push_back(u);
        deliver(f.cache, f.model, batch);
        // An update of an instrument that is not listed.
        f.model.setFollowAll(false);
        DrainBatch other;
        other.firstNewId = 5;
        other.newInstruments = {instrument(QStringLiteral("NOT-LISTED"), 2, 2)};
        other.updates.push_back(quoted(5, 1, 1, 2));
        deliver(f.cache, f.model, other);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals), signalsBefore);
    }

    void staleAndIntegrity_data()
    {
        QTest::addColumn<bool>("stale");
        QTest::addColumn<int>("integrity");
        QTest::addColumn<bool>("staleShown");
        QTest::addColumn<QString>("integrityKey");
        QTest::addColumn<Roles>("roles");

        QTest::newRow("feed stale") << true << int(BookIntegrity::Synced) << true << QStringLiteral("synced")
                                    << Roles {WatchlistModel::StaleRole};
        QTest::newRow("gap") << false << int(BookIntegrity::Gap) << true << QStringLiteral("gap")
                             << Roles {WatchlistModel::StaleRole, WatchlistModel::IntegrityRole,
                                       WatchlistModel::IntegrityTextRole};
        QTest::newRow("stale and resyncing")
            << true << int(BookIntegrity::Resyncing) << true << QStringLiteral("offline")
            << Roles {WatchlistModel::StaleRole, WatchlistModel::IntegrityRole, WatchlistModel::IntegrityTextRole};
        QTest::newRow("stale in a gap") << true << int(BookIntegrity::Gap) << true << QStringLiteral("offline")
                                        << Roles {WatchlistModel::StaleRole, WatchlistModel::IntegrityRole,
                                                  WatchlistModel::IntegrityTextRole};
    }

    void offlineUntilTheFeedIsBack()
    {
        // A book out of sync while its feed is down is not being resynced: "offline". When the feed
        // is live again and the snapshot is still due, the same book is "resyncing".
        Fixture f;
        f.announceAndQuote();
        const auto deliverState = [&f](bool stale, BookIntegrity integrity) {
            DrainBatch batch;
            InstrumentUpdate u = quoted(3, 0, 0, 0);
            u.quote = f.cache.state(3).quote;
            u.stale = stale;
            u.integrity = integrity;
            batch.updates.push_back(u);
            deliver(f.cache, f.model, batch);
        };
        deliverState(true, BookIntegrity::Resyncing);
        QCOMPARE(f.model.index(3).data(WatchlistModel::IntegrityRole).toString(), QStringLiteral("offline"));
        QCOMPARE(f.model.index(3).data(WatchlistModel::IntegrityTextRole).toString(),
                 QStringLiteral("no data: the feed is not live"));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        deliverState(false, BookIntegrity::Resyncing);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("3-3")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)),
                 (Roles {WatchlistModel::IntegrityRole, WatchlistModel::IntegrityTextRole}));
        QVERIFY(f.model.index(3).data(WatchlistModel::StaleRole).toBool()); // still not in sync
        QCOMPARE(f.model.index(3).data(WatchlistModel::IntegrityRole).toString(), QStringLiteral("resyncing"));
    }

    void staleAndIntegrity()
    {
        QFETCH(bool, stale);
        QFETCH(int, integrity);
        QFETCH(bool, staleShown);
        QFETCH(QString, integrityKey);
        QFETCH(Roles, roles);

        Fixture f;
        f.announceAndQuote();
        QVERIFY(!f.model.index(3).data(WatchlistModel::StaleRole).toBool());
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        DrainBatch batch;
        InstrumentUpdate u = quoted(3, 0, 0, 0);
        u.quote = f.cache.state(3).quote;
        u.stale = stale;
        u.integrity = static_cast<BookIntegrity>(integrity);
        batch.updates.push_back(u);
        deliver(f.cache, f.model, batch);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("3-3")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)), roles);
        QCOMPARE(f.model.index(3).data(WatchlistModel::StaleRole).toBool(), staleShown);
        QCOMPARE(f.model.index(3).data(WatchlistModel::IntegrityRole).toString(), integrityKey);
    }

    void setInstrumentsResetsAndRemoveRowRemoves()
    {
        Fixture f;
        f.announceAndQuote();
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.setFollowAll(false);
        f.model.setInstruments({4, 1, 4, 2});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(f.model.instruments(), (QList<InstrumentId> {4, 1, 2})); // duplicates dropped
        QCOMPARE(f.model.index(0).data(WatchlistModel::SymbolRole).toString(), QStringLiteral("XRP-USD"));
        QCOMPARE(f.model.index(0).data(WatchlistModel::LastRole).toString(), QStringLiteral("100.04"));

        QVERIFY(f.model.removeRow(1));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(f.model.instruments(), (QList<InstrumentId> {4, 2}));
        QCOMPARE(f.model.rowOf(1), -1);
        QCOMPARE(f.model.rowOf(2), 1);
        QVERIFY(!f.model.removeRow(5));

        // Updates after the structural change land on the right rows.
        DrainBatch batch;
        InstrumentUpdate u = quoted(2, 0, 0, 0);
        u.quote = f.cache.state(2).quote;
        u.quote.low24h = 1;
        batch.updates.push_back(u);
        deliver(f.cache, f.model, batch);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-1")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)), Roles {WatchlistModel::LowRole});
        QCOMPARE(f.model.index(1).data(WatchlistModel::LowRole).toString(), QStringLiteral("0.01"));
        QCOMPARE(reset.size(), 1);

        QTest::ignoreMessage(QtWarningMsg, "watchlist: skipping unknown instrument 42");
        f.model.setInstruments({42, 0});
        QCOMPARE(f.model.instruments(), QList<InstrumentId> {0});
    }
};

QTEST_GUILESS_MAIN(TestWatchlistModel)
#include "tst_watchlistmodel.moc"
