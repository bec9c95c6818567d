// The whole headless pipeline over a real loopback WebSocket: demo server (simulator) → feed
// thread (socket, decode, books, market state) → handoff → frame driver → MarketCache and models.
// When the simulator is paused and the client has caught up, the models must show exactly the
// simulator's books.
#include "decimal.h"
#include "demoprotocol.h"
#include "demoserver.h"
#include "fatalwarnings.h"
#include "markethub.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace tickscope;

class TestEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void modelsMatchSimulatorBooks()
    {
        SimConfig config;
        config.seed = 7;
        config.symbols = 50;
        config.rate = 20000;
        config.depth = 50;
        DemoServerThread server(config);
        QVERIFY(!server.url().isEmpty());

        MarketHub hub(nullptr);
        // Every model under the tester before it is filled.
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *> {
                 hub.watchlist(), hub.bids(), hub.asks(), hub.trades(), hub.candles(), hub.feeds()})
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));

        FeedConfig feedConfig;
        feedConfig.name = QStringLiteral("demo");
        hub.addFeed(std::make_unique<DemoProtocol>(server.url()), feedConfig);

        QTRY_COMPARE_WITH_TIMEOUT(hub.watchlist()->rowCount(), 50, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(hub.feeds()->rowCount(), 1, 10000);
        const auto feed0 = [&] { return hub.cache().feed(0) ? *hub.cache().feed(0) : FeedSnapshot {}; };
        QTRY_COMPARE_WITH_TIMEOUT(feed0().state, FeedState::Live, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed0().booksSynced, 50, 10000);
        QCOMPARE(hub.selectedInstrument(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(hub.trades()->rowCount() > 0, 10000);
        QTest::qWait(500); // let deltas, trades and tickers flow

        server.server()->pause();
        // Caught up: every book in the GUI mirror is at the simulator's sequence.
        const auto caughtUp = [&] {
            for (InstrumentId id = 0; id < 50; ++id) {
                if (hub.cache().state(id).bookSequence != server.server()->bookCopy(id, 0).sequence)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 10000);

        for (InstrumentId id = 0; id < 50; ++id) {
            const auto expected = server.server()->bookCopy(id, 50);
            const auto &state = hub.cache().state(id);
            QCOMPARE(state.integrity, BookIntegrity::Synced);
            QCOMPARE(state.bids, expected.bids);
            QCOMPARE(state.asks, expected.asks);
        }

        // The ladder models show the selected instrument's top levels as exact text.
        const Instrument &first = hub.cache().instrument(0);
        const auto expected = server.server()->bookCopy(0, 50);
        QCOMPARE(hub.bids()->rowCount(), 20);
        const QHash<int, QByteArray> roles = hub.bids()->roleNames();
        const int priceRole = roles.key("price");
        const int sizeRole = roles.key("size");
        for (int row = 0; row < 20; ++row) {
            QCOMPARE(hub.bids()->index(row).data(priceRole).toString(),
                     formatDecimalQ(expected.bids[static_cast<std::size_t>(row)].price, first.priceScale));
            QCOMPARE(hub.bids()->index(row).data(sizeRole).toString(),
                     formatDecimalQ(expected.bids[static_cast<std::size_t>(row)].qty, first.qtyScale));
            QCOMPARE(hub.asks()->index(row).data(priceRole).toString(),
                     formatDecimalQ(expected.asks[static_cast<std::size_t>(row)].price, first.priceScale));
        }

        // Watchlist rows carry the same best bid / ask.
        const QHash<int, QByteArray> wlRoles = hub.watchlist()->roleNames();
        for (int row = 0; row < 50; ++row) {
            const QModelIndex index = hub.watchlist()->index(row);
            const QString symbol = index.data(wlRoles.key("symbol")).toString();
            const InstrumentId id = hub.cache().find(QStringLiteral("demo"), symbol);
            QVERIFY(id != kNoInstrument);
            const auto book = server.server()->bookCopy(id, 1);
            const Instrument &instrument = hub.cache().instrument(id);
            QCOMPARE(index.data(wlRoles.key("bid")).toString(),
                     formatDecimalQ(book.bids.front().price, instrument.priceScale));
            QCOMPARE(index.data(wlRoles.key("ask")).toString(),
                     formatDecimalQ(book.asks.front().price, instrument.priceScale));
            QCOMPARE(index.data(wlRoles.key("stale")).toBool(), false);
        }

        const FeedSnapshot feed = feed0();
        QCOMPARE(feed.decodeErrors, 0u);
        QCOMPARE(feed.gaps, 0u);
        QCOMPARE(feed.crossedBooks, 0u);
        QVERIFY(feed.messagesApplied > 1000);
        QVERIFY(PipelineStats::get(hub.stats().drains) > 0);
        // Coalescing: far fewer drains than messages.
        QVERIFY(PipelineStats::get(hub.stats().drains) < PipelineStats::get(hub.stats().framesReceived) / 10);
        // Idle: with the market paused and everything drained, the GUI side has (almost) nothing to
        // do — only the feed's once-a-second status refresh (message rate falling to zero) may wake it.
        const auto drainsBefore = PipelineStats::get(hub.stats().drains);
        QTest::qWait(3000);
        const auto idleDrains = PipelineStats::get(hub.stats().drains) - drainsBefore;
        QVERIFY2(idleDrains <= 8, qPrintable(QString::number(idleDrains)));

        const QJsonObject stats = hub.statsJson();
        QVERIFY(stats.value(QStringLiteral("latency_recv_to_model_ms_p99")).toDouble() > 0);
        QCOMPARE(stats.value(QStringLiteral("feeds")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
