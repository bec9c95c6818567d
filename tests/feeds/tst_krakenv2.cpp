// Kraken v2 through the real feed path: a loopback WebSocket server replays the documented frames
// (instrument announcement, MATIC/USD book snapshot and update with their checksums, ticker,
// trades, heartbeat) to a FeedConnection running KrakenV2Protocol; checksums are verified against
// the engine's book, a corrupted update resyncs that book alone.
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"
#include "krakenprotocol.h"
#include "venuetest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace tickscope;
using test::feedConfig;
using test::fixture;
using test::fixtureLines;

namespace {

/// Documented frames by channel and type, exactly as in the fixture.
QByteArray docFrame(const char *channel, const char *type)
{
    for (const QByteArray &line : fixtureLines("kraken_v2_doc_samples.jsonl")) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QLatin1String("channel")).toString() == QLatin1String(channel)
            && o.value(QLatin1String("type")).toString() == QLatin1String(type))
            return line;
    }
    qFatal("no %s %s frame", channel, type);
}

const QByteArray kInstruments
    = "{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[],\"pairs\":["
      "{\"symbol\":\"ALGO/USD\",\"base\":\"ALGO\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
      "\"qty_increment\":0.00000001,\"price_precision\":5,\"price_increment\":0.00001},"
      "{\"symbol\":\"MATIC/USD\",\"base\":\"MATIC\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
      "\"qty_increment\":0.00000001,\"price_precision\":4,\"price_increment\":0.0001},"
      "{\"symbol\":\"BTC/USD\",\"base\":\"BTC\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
      "\"qty_increment\":0.00000001,\"price_precision\":1,\"price_increment\":0.1}]}}";

/// Requests with this method and channel (e.g. "subscribe", "book").
QList<QJsonObject> sent(const test::LoopbackServer &server, const QString &method, const QString &channel)
{
    return server.requestsWith({{"method", method}, {"params/channel", channel}});
}

} // namespace

class TestKrakenV2 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void verifiedBookTickerAndTrades()
    {
        test::LoopbackServer server(QStringLiteral("kraken"), QStringLiteral("/v2"));
        Handoff handoff;
        PipelineStats stats;
        const FeedConfig config = feedConfig(QStringLiteral("kraken"));
        FeedConnection feed(
            0,
            std::make_unique<KrakenV2Protocol>(
                server.url(), QStringList {QStringLiteral("MATIC/USD"), QStringLiteral("ALGO/USD")}, 10),
            config, handoff, stats);
        feed.start();
        // First the instrument channel; the books, tickers and trades once the pairs are known.
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("instrument")).size(), 1,
                                  5000);
        QVERIFY(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).isEmpty());
        server.send(kInstruments);
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size(), 1, 5000);
        const QJsonObject bookRequest = sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).first();
        QCOMPARE(bookRequest[QLatin1String("params")][QLatin1String("depth")].toInt(), 10);
        QCOMPARE(bookRequest[QLatin1String("params")][QLatin1String("symbol")].toArray().size(),
                 2); // BTC/USD not wanted
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("ticker")).size(), 1);
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("trade")).size(), 1);
        QCOMPARE(feed.market().size(), 2u);
        const int matic = feed.market().indexOf(QStringLiteral("MATIC/USD"));
        QVERIFY(matic >= 0);
        QCOMPARE(feed.market().entry(static_cast<LocalInstrument>(matic)).instrument.priceScale, 4);

        const QJsonObject doc = QJsonDocument::fromJson(fixture("kraken_v2_book_matic_doc_example.json")).object();
        const QByteArray snapshot = doc[QLatin1String("snapshot_message_as_in_doc_raw")].toString().toUtf8();
        const QByteArray update = doc[QLatin1String("update_message_as_in_doc_raw")].toString().toUtf8();
        server.send(snapshot);
        server.send(update);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().checksumOk, 2u, 5000); // 2439117997, then 2114181697
        QCOMPARE(feed.status().checksumBad, 0u);
        const auto &book = feed.market().entry(static_cast<LocalInstrument>(matic)).book;
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.depth(BookSide::Bid), 10u); // kept at the subscribed depth
        QCOMPARE(book.best(BookSide::Bid).price, 5666); // 0.5666, exact at precision 4

        server.send(docFrame("ticker", "snapshot")); // ALGO/USD
        server.send(docFrame("trade", "update")); // MATIC/USD sell 40.0 @ 0.5117
        server.send("{\"channel\":\"heartbeat\"}");
        const int algo = feed.market().indexOf(QStringLiteral("ALGO/USD"));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(static_cast<LocalInstrument>(algo)).quote.last, 10035, 5000);
        const auto &algoQuote = feed.market().entry(static_cast<LocalInstrument>(algo)).quote;
        QCOMPARE(algoQuote.high24h, 10285);
        QCOMPARE(algoQuote.low24h, 9979);
        QCOMPARE(algoQuote.open24h, 10035 + 17); // last - change, exact
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(static_cast<LocalInstrument>(matic)).quote.last, 5117, 5000);
        const auto trades = feed.market().recentTrades(static_cast<LocalInstrument>(matic));
        QCOMPARE(trades.back().qty, 4000000000); // 40.0 at precision 8
        QCOMPARE(trades.back().side, Side::Sell);
        QCOMPARE(trades.back().tradeId, 4665906u);

        // An update whose checksum does not match the book: counted, that book alone resyncs.
        QByteArray corrupted = update;
        corrupted.replace("1098.3947558", "1098.3947559");
        server.send(corrupted);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().checksumBad, 1u, 5000);
        QCOMPARE(feed.market().entry(static_cast<LocalInstrument>(matic)).book.integrity(), BookIntegrity::Resyncing);
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size(), 2, 5000);
        const QJsonObject resync = sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).last();
        QCOMPARE(resync[QLatin1String("params")][QLatin1String("symbol")].toArray(),
                 QJsonArray {QStringLiteral("MATIC/USD")});
        QCOMPARE(sent(server, QStringLiteral("unsubscribe"), QStringLiteral("book")).size(), 1);
        QCOMPARE(feed.status().reconnects, 0u);
        server.send(snapshot); // the venue's fresh snapshot
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(static_cast<LocalInstrument>(matic)).book.integrity(),
                                  BookIntegrity::Synced, 5000);
        QCOMPARE(feed.status().checksumOk, 3u);
    }

    void applicationPingsAreSentAndTheirPongsAccepted()
    {
        test::LoopbackServer server(QStringLiteral("kraken"), QStringLiteral("/v2"));
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = feedConfig(QStringLiteral("kraken"));
        std::int64_t fakeNs = 1'000'000'000;
        config.steadyClockNs = [&] { return fakeNs; };
        FeedConnection feed(0,
                            std::make_unique<KrakenV2Protocol>(server.url(), QStringList {QStringLiteral("MATIC/USD")}),
                            config, handoff, stats);
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(server.client, 5000);
        server.send(kInstruments);
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size(), 1, 5000);
        // Heartbeats every second for 25 s: pings go out at 10 s and 20 s all the same.
        for (int second = 1; second <= 25; ++second) {
            fakeNs += 1'000'000'000;
            server.send("{\"channel\":\"heartbeat\"}");
            QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, std::uint64_t(second + 1), 5000);
            feed.checkLiveness();
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsWith({{"method", QStringLiteral("ping")}}).size(), 2, 5000);
        const quint64 errors = feed.status().decodeErrors;
        server.send(fixtureLines("kraken_v2_doc_samples.jsonl").at(22)); // the documented pong
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, std::uint64_t(27), 5000);
        QCOMPARE(feed.status().decodeErrors, errors);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void badFramesAreCountedAndSurvived()
    {
        test::LoopbackServer server(QStringLiteral("kraken"), QStringLiteral("/v2"));
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config;
        config.name = QStringLiteral("kraken");
        FeedConnection feed(0,
                            std::make_unique<KrakenV2Protocol>(server.url(), QStringList {QStringLiteral("MATIC/USD")}),
                            config, handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(server.client, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000);
        server.send(kInstruments);
        server.send("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"MATIC/"
                    "USD\",\"bids\":[{\"price\":0.5"); // truncated
        server.send("not json at all");
        server.send("{\"channel\":\"weather\",\"data\":[]}");
        server.send("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"MATIC/"
                    "USD\",\"bids\":[{\"price\":0.12345,\"qty\":1}],\"asks\":[]}]}"); // finer than the pair's precision
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().decodeErrors, 4u, 5000);
        QVERIFY(feed.state() != FeedState::Reconnecting);
        QCOMPARE(feed.status().reconnects, 0u);
    }
};

QTEST_GUILESS_MAIN(TestKrakenV2)
#include "tst_krakenv2.moc"
