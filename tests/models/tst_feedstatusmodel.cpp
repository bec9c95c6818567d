#include "fatalwarnings.h"
#include "feedstatusmodel.h"
#include "handoff.h"
#include "marketcache.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace tickscope;
using Roles = QList<int>;

namespace {
FeedSnapshot feed(int index, const QString &name, FeedState state = FeedState::Live)
{
    FeedSnapshot f;
    f.feedIndex = index;
    f.name = name;
    f.url = QStringLiteral("ws://127.0.0.1:%1/").arg(9000 + index);
    f.state = state;
    f.booksTotal = 2;
    f.booksSynced = 2;
    return f;
}

Instrument instrument(const QString &venue, const QString &symbol)
{
    Instrument i;
    i.venue = venue;
    i.symbol = symbol;
    return i;
}

void deliver(MarketCache &cache, DrainListener &listener, const DrainBatch &batch)
{
    cache.apply(batch);
    listener.drained(batch);
}

void deliverFeeds(MarketCache &cache, DrainListener &listener, std::vector<FeedSnapshot> feeds)
{
    DrainBatch batch;
    batch.feeds = std::move(feeds);
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

/// Feeds "demo" (0), "binance" (1) and "kraken" (2), each with two instruments.
struct Fixture
{
    MarketCache cache;
    PipelineStats stats;
    FeedStatusModel model {cache, &stats};
    QAbstractItemModelTester tester {&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    std::vector<FeedSnapshot> feeds {feed(0, QStringLiteral("demo")), feed(1, QStringLiteral("binance")),
                                     feed(2, QStringLiteral("kraken"))};

    void start()
    {
        DrainBatch batch;
        for (const FeedSnapshot &f : feeds) {
            batch.newInstruments.push_back(instrument(f.name, QStringLiteral("A")));
            batch.newInstruments.push_back(instrument(f.name, QStringLiteral("B")));
        }
        batch.feeds = feeds;
        deliver(cache, model, batch);
    }

    /// Updates instrument `id` with a receive time `latencyMs` before `nowNs`, like a FrameDriver drain.
    void tick(InstrumentId id, std::int64_t nowNs, std::int64_t latencyMs, BookIntegrity integrity)
    {
        DrainBatch batch;
        InstrumentUpdate u;
        u.reset(id);
        u.integrity = integrity;
        u.oldestRecvNs = nowNs - latencyMs * 1'000'000;
        batch.updates.push_back(u);
        deliver(cache, model, batch);
        cache.recordLatencies(batch, nowNs);
    }
};
} // namespace

class TestFeedStatusModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void stateText_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("live");

        QTest::newRow("live") << int(FeedState::Live) << 0 << QString() << QStringLiteral("Live") << true;
        QTest::newRow("connecting") << int(FeedState::Connecting) << 0 << QString()
                                    << QStringLiteral("Connecting\u2026") << false;
        QTest::newRow("reconnecting") << int(FeedState::Reconnecting) << 3 << QStringLiteral("closed by peer")
                                      << QStringLiteral("Reconnecting (attempt 3)") << false;
        QTest::newRow("paused") << int(FeedState::Paused) << 0 << QString() << QStringLiteral("Paused") << false;
        QTest::newRow("failed") << int(FeedState::Failed) << 5 << QStringLiteral("HTTP 403 Forbidden")
                                << QStringLiteral("Failed: HTTP 403 Forbidden") << false;
        QTest::newRow("failed without detail")
            << int(FeedState::Failed) << 0 << QString() << QStringLiteral("Failed") << false;
        QTest::newRow("stale") << int(FeedState::Stale) << 0 << QString() << QStringLiteral("Stale (no data)") << false;
    }

    void stateText()
    {
        QFETCH(int, state);
        QFETCH(int, attempt);
        QFETCH(QString, detail);
        QFETCH(QString, expected);
        QFETCH(bool, live);

        MarketCache cache;
        FeedStatusModel model(cache);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        FeedSnapshot f = feed(0, QStringLiteral("demo"), static_cast<FeedState>(state));
        f.attempt = attempt;
        f.detail = detail;
        deliverFeeds(cache, model, {f});
        const QModelIndex row = model.index(0, 0);
        QCOMPARE(row.data(FeedStatusModel::StateTextRole).toString(), expected);
        QCOMPARE(row.data(FeedStatusModel::StateRole).toString(), feedStateName(static_cast<FeedState>(state)));
        QCOMPARE(row.data(FeedStatusModel::LiveRole).toBool(), live);
        QCOMPARE(row.data(FeedStatusModel::LastErrorRole).toString(), detail);
    }

    void newFeedsInsertedOncePerDrain()
    {
        Fixture f;
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.start();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::NameRole).toString(), QStringLiteral("binance"));
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::UrlRole).toString(), QStringLiteral("ws://127.0.0.1:9001/"));
        QCOMPARE(f.model.index(2, 0).data(FeedStatusModel::FeedIndexRole).toInt(), 2);
        // What the status bar shows: the venue's name, the feed's own name when it is no venue.
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::DisplayNameRole).toString(), QStringLiteral("Binance Spot"));
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::DisplayNameRole).toString(), QStringLiteral("Demo"));

        deliverFeeds(f.cache, f.model, {feed(4, QStringLiteral("okx"))});
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 3);
        QCOMPARE(f.model.rowOfFeed(4), 3);
        QCOMPARE(f.model.rowOfFeed(3), -1);
        QCOMPARE(f.model.index(3, 0).data(FeedStatusModel::DisplayNameRole).toString(), QStringLiteral("OKX"));
        deliverFeeds(f.cache, f.model, {feed(5, QStringLiteral("replay-1"))});
        QCOMPARE(f.model.index(4, 0).data(FeedStatusModel::DisplayNameRole).toString(), QStringLiteral("replay-1"));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(PipelineStats::get(f.stats.modelSignals), 3u);
    }

    void onlyChangedRolesOfChangedRows()
    {
        Fixture f;
        f.start();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);

        // Only the message rate of binance.
        FeedSnapshot binance = f.feeds[1];
        binance.messageRate = 1234.5;
        deliverFeeds(f.cache, f.model, {binance});
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-1")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)), Roles {FeedStatusModel::MessageRateRole});
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::MessageRateRole).toDouble(), 1234.5);

        // demo reconnects and kraken counts a gap: two separate ranges, each with its own roles.
        changed.clear();
        FeedSnapshot demo = f.feeds[0];
        demo.state = FeedState::Reconnecting;
        demo.attempt = 1;
        demo.reconnects = 1;
        demo.detail = QStringLiteral("remote closed");
        FeedSnapshot kraken = f.feeds[2];
        kraken.gaps = 1;
        kraken.resyncs = 1;
        deliverFeeds(f.cache, f.model, {kraken, demo});
        QCOMPARE(ranges(changed), (QStringList {QStringLiteral("0-0"), QStringLiteral("2-2")}));
        QCOMPARE(
            sortedRoles(changed.at(0).at(2)),
            (Roles {FeedStatusModel::StateRole, FeedStatusModel::StateTextRole, FeedStatusModel::LiveRole,
                    FeedStatusModel::ReconnectsRole, FeedStatusModel::LastErrorRole, FeedStatusModel::AttemptRole}));
        QCOMPARE(sortedRoles(changed.at(1).at(2)), (Roles {FeedStatusModel::GapsRole, FeedStatusModel::ResyncsRole}));
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::StateTextRole).toString(),
                 QStringLiteral("Reconnecting (attempt 1)"));

        // Attempt 2: only the human text and the attempt move (the state name stays "Reconnecting").
        changed.clear();
        demo.attempt = 2;
        deliverFeeds(f.cache, f.model, {demo});
        QCOMPARE(sortedRoles(changed.at(0).at(2)),
                 (Roles {FeedStatusModel::StateTextRole, FeedStatusModel::AttemptRole}));

        // Rows 0 and 1 change together: one range.
        changed.clear();
        demo.checksumOk = 10;
        binance.checksumBad = 1;
        deliverFeeds(f.cache, f.model, {binance, demo});
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("0-1")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)),
                 (Roles {FeedStatusModel::ChecksumOkRole, FeedStatusModel::ChecksumBadRole}));

        // The same snapshot again: nothing.
        changed.clear();
        deliverFeeds(f.cache, f.model, {binance, demo});
        QCOMPARE(changed.size(), 0);
    }

    void integrityText_data()
    {
        QTest::addColumn<int>("booksSynced");
        QTest::addColumn<int>("booksTotal");
        QTest::addColumn<bool>("bookInGap");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("state");

        const int live = static_cast<int>(FeedState::Live);
        QTest::newRow("all synced") << 2 << 2 << false << QStringLiteral("synced") << live;
        QTest::newRow("resyncing") << 3 << 5 << false << QStringLiteral("resyncing 3/5") << live;
        QTest::newRow("gap") << 1 << 2 << true << QStringLiteral("gap") << live;
        QTest::newRow("no books") << 0 << 0 << false << QString() << live;
        // Not connected: the books wait for the feed, they are not being resynced.
        QTest::newRow("reconnecting") << 0 << 3 << false << QStringLiteral("0/3 in sync")
                                      << static_cast<int>(FeedState::Reconnecting);
        QTest::newRow("reconnecting after a gap")
            << 1 << 2 << true << QStringLiteral("1/2 in sync") << static_cast<int>(FeedState::Reconnecting);
        QTest::newRow("stale") << 3 << 5 << false << QStringLiteral("resyncing 3/5")
                               << static_cast<int>(FeedState::Stale);
    }

    void integrityText()
    {
        QFETCH(int, booksSynced);
        QFETCH(int, booksTotal);
        QFETCH(bool, bookInGap);
        QFETCH(QString, expected);
        QFETCH(int, state);

        Fixture f;
        f.start();
        if (bookInGap)
            f.tick(1, 1'000'000'000, 1, BookIntegrity::Gap); // demo's instrument B
        FeedSnapshot demo = f.feeds[0];
        demo.state = static_cast<FeedState>(state);
        demo.booksSynced = booksSynced;
        demo.booksTotal = booksTotal;
        deliverFeeds(f.cache, f.model, {demo});
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::IntegrityRole).toString(), expected);
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::BooksSyncedRole).toInt(), booksSynced);
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::BooksTotalRole).toInt(), booksTotal);
    }

    void latencyFollowsVenueUpdates()
    {
        Fixture f;
        f.start();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        std::int64_t now = 10'000'000'000;
        // First drain of binance (ids 2, 3): latency is recorded after the models ran...
        f.tick(2, now, 40, BookIntegrity::Synced);
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::LatencyP50MsRole).toDouble(), 0.0);
        // ... so the next drain of that venue shows it.
        now += 16'000'000;
        f.tick(3, now, 40, BookIntegrity::Synced);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-1")});
        QCOMPARE(sortedRoles(changed.at(0).at(2)),
                 (Roles {FeedStatusModel::LatencyP50MsRole, FeedStatusModel::LatencyP99MsRole}));
        const double p50 = f.model.index(1, 0).data(FeedStatusModel::LatencyP50MsRole).toDouble();
        QVERIFY2(qAbs(p50 - 40.0) < 1.5, qPrintable(QString::number(p50)));
        QCOMPARE(f.model.index(0, 0).data(FeedStatusModel::LatencyP50MsRole).toDouble(), 0.0); // demo untouched
        QCOMPARE(f.model.index(2, 0).data(FeedStatusModel::LatencyP50MsRole).toDouble(), 0.0); // kraken untouched

        // The book of binance goes into a gap while its feed says one book is not synced.
        changed.clear();
        FeedSnapshot binance = f.feeds[1];
        binance.booksSynced = 1;
        deliverFeeds(f.cache, f.model, {binance});
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::IntegrityRole).toString(), QStringLiteral("resyncing 1/2"));
        changed.clear();
        now += 16'000'000;
        f.tick(3, now, 40, BookIntegrity::Gap);
        QCOMPARE(ranges(changed), QStringList {QStringLiteral("1-1")});
        QVERIFY(sortedRoles(changed.at(0).at(2)).contains(FeedStatusModel::IntegrityRole));
        QCOMPARE(f.model.index(1, 0).data(FeedStatusModel::IntegrityRole).toString(), QStringLiteral("gap"));
    }
};

QTEST_GUILESS_MAIN(TestFeedStatusModel)
#include "tst_feedstatusmodel.moc"
