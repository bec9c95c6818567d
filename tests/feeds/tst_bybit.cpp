// Bybit v5 through the real feed path: a loopback WebSocket server sends the documented frames
// (the orderbook.50 snapshot made valid from the documentation's elided example, the documented
// delta, trades, tickers, acks and pongs) to a FeedConnection running BybitProtocol. Checks the
// update-id rules: deltas follow the book's u, a gap resyncs that book alone, u == 1 replaces it.
#include "bybitprotocol.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"
#include "venuetest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include <map>

using namespace tickscope;
using test::feedConfig;
using test::fixture;
using test::fixtureLines;
using test::objectOf;

namespace {

/// The first documented frame whose topic starts with `prefix`.
QByteArray docTopic(const char *prefix)
{
    for (const QByteArray &line : fixtureLines("bybit_v5_doc_samples.jsonl")) {
        if (objectOf(line)[QLatin1String("topic")].toString().startsWith(QLatin1String(prefix)))
            return line;
    }
    qFatal("no %s sample", prefix);
}

/// The documentation's orderbook.50 snapshot example made valid JSON: its comment line and "..."
/// elisions removed, and the trailing commas they leave behind.
QByteArray docSnapshot()
{
    QString text = QString::fromUtf8(fixture("bybit_v5_orderbook_snapshot_doc_example_VERBATIM_NOT_VALID_JSON.txt"));
    text.remove(QRegularExpression(QStringLiteral("^#[^\\n]*\\n")));
    text.remove(QRegularExpression(QStringLiteral("\\.\\.\\.,?")));
    text.remove(QRegularExpression(QStringLiteral(",(?=\\s*[\\]}])")));
    text.replace(QRegularExpression(QStringLiteral("\\[\\s*,")), QStringLiteral("["));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("the documented snapshot did not become valid JSON: %s", qPrintable(error.errorString()));
    return document.toJson(QJsonDocument::Compact);
}

QByteArray book(const char *symbol, const char *type, quint64 u, const QByteArray &bids, const QByteArray &asks)
{
    return QByteArrayLiteral("{\"topic\":\"orderbook.50.") + symbol + "\",\"type\":\"" + type
        + "\",\"ts\":1687940967466,\"data\":{\"s\":\"" + symbol + "\",\"b\":" + bids + ",\"a\":" + asks
        + ",\"u\":" + QByteArray::number(u) + ",\"seq\":66544703342},\"cts\":1687940967464}";
}

/// Levels of the engine's book as text, best first (scale 8: the default of an instrument the
/// catalogue does not know).
QStringList top(const OrderBook &book, BookSide side)
{
    std::vector<Level> levels;
    book.top(side, 100, levels);
    QStringList out;
    for (const Level &l : levels)
        out << QString::fromStdString(formatDecimalTrimmed(l.price, 8) + ':' + formatDecimalTrimmed(l.qty, 8));
    return out;
}

/// The topics of every request with this op, one list per request.
QList<QStringList> sent(const test::LoopbackServer &server, const QString &op)
{
    QList<QStringList> out;
    for (const QJsonObject &request : server.requests) {
        if (request[QLatin1String("op")].toString() != op)
            continue;
        QStringList topics;
        for (const QJsonValue &topic : request[QLatin1String("args")].toArray())
            topics << topic.toString();
        out.append(topics);
    }
    return out;
}

} // namespace

class TestBybit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void subscribeRequestsAreBatched()
    {
        BybitProtocol protocol;
        QCOMPARE(protocol.venue(), QStringLiteral("bybit"));
        QCOMPARE(protocol.url(), QUrl(QStringLiteral("wss://stream.bybit.com/v5/public/spot")));
        const QStringList symbols {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT"), QStringLiteral("SOLUSDT"),
                                   QStringLiteral("XRPUSDT")};
        // Three topics per symbol, at most ten per request.
        const auto frames = protocol.subscribeFrames(symbols);
        QCOMPARE(frames.size(), 2u);
        QStringList topics;
        QStringList ids;
        for (const OutgoingFrame &frame : frames) {
            QVERIFY(!frame.binary);
            const QJsonObject request = objectOf(frame.data);
            QCOMPARE(request[QLatin1String("op")].toString(), QStringLiteral("subscribe"));
            QVERIFY(request[QLatin1String("args")].toArray().size() <= 10);
            for (const QJsonValue &topic : request[QLatin1String("args")].toArray())
                topics << topic.toString();
            ids << request[QLatin1String("req_id")].toString();
        }
        QCOMPARE(objectOf(frames[0].data)[QLatin1String("args")].toArray().size(), 10);
        QCOMPARE(topics.size(), 12);
        QCOMPARE(topics.mid(0, 3),
                 (QStringList {QStringLiteral("orderbook.50.BTCUSDT"), QStringLiteral("publicTrade.BTCUSDT"),
                               QStringLiteral("tickers.BTCUSDT")}));
        QCOMPARE(topics.last(), QStringLiteral("tickers.XRPUSDT"));
        QVERIFY(!ids[0].isEmpty() && ids[0] != ids[1]);

        const auto unsubscribe = protocol.unsubscribeFrames(symbols);
        QCOMPARE(unsubscribe.size(), 2u);
        QCOMPARE(objectOf(unsubscribe[1].data)[QLatin1String("op")].toString(), QStringLiteral("unsubscribe"));

        // Exactly ten topics fit one request.
        QStringList ten;
        for (int i = 0; i < 10; ++i)
            ten << QStringLiteral("T%1USDT").arg(i);
        QCOMPARE(protocol.subscribeFrames(ten).size(), 3u); // 30 topics
        QCOMPARE(protocol.subscribeFrames(ten.mid(0, 3)).size(), 1u); // 9 topics

        const auto resync = protocol.resyncFrames(QStringLiteral("BTCUSDT"));
        QCOMPARE(resync.size(), 2u);
        QCOMPARE(objectOf(resync[0].data)[QLatin1String("op")].toString(), QStringLiteral("unsubscribe"));
        QCOMPARE(objectOf(resync[0].data)[QLatin1String("args")].toArray(),
                 QJsonArray {QStringLiteral("orderbook.50.BTCUSDT")});
        QCOMPARE(objectOf(resync[1].data)[QLatin1String("op")].toString(), QStringLiteral("subscribe"));
        QCOMPARE(objectOf(resync[1].data)[QLatin1String("args")].toArray(),
                 QJsonArray {QStringLiteral("orderbook.50.BTCUSDT")});
    }

    void bookUpdateIdRules()
    {
        test::LoopbackServer server(QStringLiteral("bybit"), QStringLiteral("/v5/public/spot"));
        Handoff handoff;
        PipelineStats stats;
        const QStringList symbols {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT"), QStringLiteral("SOLUSDT"),
                                   QStringLiteral("XRPUSDT")};
        FeedConnection feed(0, std::make_unique<BybitProtocol>(server.url(), symbols),
                            feedConfig(QStringLiteral("bybit")), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe")).size(), 2, 5000);
        QCOMPARE(sent(server, QStringLiteral("subscribe"))[0].size(), 10);
        QCOMPARE(sent(server, QStringLiteral("subscribe"))[1].size(), 2);
        const auto btc = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("BTCUSDT")));
        const auto eth = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("ETHUSDT")));
        const OrderBook &btcBook = feed.market().entry(btc).book;
        const OrderBook &ethBook = feed.market().entry(eth).book;

        // Acks are answered with nothing; the documented snapshot makes the book.
        server.send(fixtureLines("bybit_v5_doc_samples.jsonl").at(10));
        server.send(docSnapshot());
        QTRY_COMPARE_WITH_TIMEOUT(btcBook.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(btcBook.sequence(), 18521288u);
        QCOMPARE(top(btcBook, BookSide::Bid),
                 (QStringList {QStringLiteral("16493.5:0.006"), QStringLiteral("16493:0.1")}));
        QCOMPARE(top(btcBook, BookSide::Ask),
                 (QStringList {QStringLiteral("16611:0.029"), QStringLiteral("16612:0.213")}));

        // Another book, deeper than the subscribed 50 levels: kept at 50.
        QByteArray bids = "[";
        QByteArray asks = "[";
        for (int i = 0; i < 60; ++i) {
            bids += (i ? "," : "") + QByteArray("[\"") + QByteArray::number(1000 - i) + "\",\"1\"]";
            asks += (i ? "," : "") + QByteArray("[\"") + QByteArray::number(1001 + i) + "\",\"1\"]";
        }
        bids += "]";
        asks += "]";
        server.send(book("ETHUSDT", "snapshot", 500, bids, asks));
        QTRY_COMPARE_WITH_TIMEOUT(ethBook.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(ethBook.depth(BookSide::Bid), 50u);
        QCOMPARE(ethBook.depth(BookSide::Ask), 50u);

        // The next u applies; the same u again is an old message and is dropped.
        server.send(book("BTCUSDT", "delta", 18521289, "[[\"16493.50\",\"0.010\"]]", "[[\"16611.00\",\"0\"]]"));
        server.send(book("BTCUSDT", "delta", 18521289, "[[\"16493.50\",\"5\"]]", "[]"));
        server.send(book("ETHUSDT", "delta", 501, "[[\"1000\",\"2\"]]", "[]"));
        QTRY_COMPARE_WITH_TIMEOUT(ethBook.sequence(), 501u, 5000);
        QCOMPARE(btcBook.sequence(), 18521289u);
        QCOMPARE(top(btcBook, BookSide::Bid),
                 (QStringList {QStringLiteral("16493.5:0.01"), QStringLiteral("16493:0.1")}));
        QCOMPARE(top(btcBook, BookSide::Ask), (QStringList {QStringLiteral("16612:0.213")}));
        QCOMPARE(feed.status().gaps, 0u);

        // A missing u (18521290): a gap, and that book alone is subscribed again.
        server.requests.clear();
        server.send(book("BTCUSDT", "delta", 18521291, "[[\"16490.00\",\"1\"]]", "[]"));
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().gaps, 1u, 5000);
        QCOMPARE(btcBook.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(ethBook.integrity(), BookIntegrity::Synced);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 2, 5000);
        QCOMPARE(server.requests[0][QLatin1String("op")].toString(), QStringLiteral("unsubscribe"));
        QCOMPARE(sent(server, QStringLiteral("unsubscribe")),
                 QList<QStringList> {{QStringLiteral("orderbook.50.BTCUSDT")}});
        QCOMPARE(sent(server, QStringLiteral("subscribe")),
                 QList<QStringList> {{QStringLiteral("orderbook.50.BTCUSDT")}});
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(feed.status().reconnects, 0u);

        // The venue's fresh snapshot, then the documented delta on top of it.
        server.send(book("BTCUSDT", "snapshot", 177400506,
                         "[[\"30247.20\",\"1.000\"],[\"30240.00\",\"2.000\"],[\"30230.00\",\"3.000\"]]",
                         "[[\"30248.70\",\"1.000\"],[\"30249.60\",\"2.000\"],[\"30260.00\",\"3.000\"]]"));
        server.send(docTopic("orderbook.50.BTCUSDT"));
        QTRY_COMPARE_WITH_TIMEOUT(btcBook.sequence(), 177400507u, 5000);
        QCOMPARE(btcBook.integrity(), BookIntegrity::Synced);
        QCOMPARE(top(btcBook, BookSide::Bid),
                 (QStringList {QStringLiteral("30247.2:30.028"), QStringLiteral("30245.4:0.224"),
                               QStringLiteral("30242.1:1.593"), QStringLiteral("30240.3:1.305"),
                               QStringLiteral("30230:3")}));
        QCOMPARE(top(btcBook, BookSide::Ask),
                 (QStringList {QStringLiteral("30249.3:0.892"), QStringLiteral("30249.5:1.778"),
                               QStringLiteral("30251.9:2.947"), QStringLiteral("30252.2:0.659"),
                               QStringLiteral("30252.5:4.591"), QStringLiteral("30260:3")}));

        // u == 1 in a delta: the service restarted; the message is the whole book.
        server.send(book("BTCUSDT", "delta", 1, "[[\"30000.00\",\"1.5\"]]", "[[\"30010.00\",\"2.5\"]]"));
        QTRY_COMPARE_WITH_TIMEOUT(btcBook.sequence(), 1u, 5000);
        QCOMPARE(top(btcBook, BookSide::Bid), QStringList {QStringLiteral("30000:1.5")});
        QCOMPARE(top(btcBook, BookSide::Ask), QStringList {QStringLiteral("30010:2.5")});
        server.send(book("BTCUSDT", "delta", 2, "[[\"29999.00\",\"1\"]]", "[]"));
        QTRY_COMPARE_WITH_TIMEOUT(btcBook.sequence(), 2u, 5000);
        QCOMPARE(btcBook.depth(BookSide::Bid), 2u);
        QCOMPARE(btcBook.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.status().gaps, 1u);
        QCOMPARE(feed.status().resyncs, 1u);

        // Trades and tickers.
        server.send(docTopic("publicTrade.BTCUSDT"));
        server.send(fixtureLines("bybit_v5_doc_samples.jsonl").last()); // spot ticker
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(btc).quote.open24h, 2070493000000, 5000);
        const Quote &quote = feed.market().entry(btc).quote;
        QCOMPARE(quote.last, 2110977000000); // 21109.77
        QCOMPARE(quote.high24h, 2142699000000);
        QCOMPARE(quote.low24h, 2057500000000);
        QCOMPARE(quote.volume24h, 678086684300); // 6780.866843
        const auto trades = feed.market().recentTrades(btc);
        QCOMPARE(trades.size(), 1u);
        QCOMPARE(trades.back().price, 1657850000000); // 16578.50
        QCOMPARE(trades.back().qty, 100000); // 0.001
        QCOMPARE(trades.back().side, Side::Buy);
        QCOMPARE(trades.back().timeMs, 1672304486865);
        QCOMPARE(trades.back().tradeId, 0u); // a UUID: no numeric id
        QCOMPARE(feed.status().decodeErrors, 0u);
    }

    void controlFramesAndHeartbeat()
    {
        BybitProtocol protocol;
        const HeartbeatPolicy policy = protocol.heartbeat();
        QCOMPARE(policy.appPing, QByteArray("{\"op\":\"ping\"}"));
        QCOMPARE(policy.pingInterval, std::chrono::milliseconds(20000));
        QCOMPARE(protocol.maintainedDepth(), 50u);
        QCOMPARE(protocol.resyncMethod(), ResyncMethod::Resubscribe);

        const QList<QByteArray> doc = fixtureLines("bybit_v5_doc_samples.jsonl");
        // Pongs in both documented shapes prove liveness.
        for (int i : {2, 3, 4, 5}) {
            test::RecordingSink sink;
            QCOMPARE(protocol.decode(doc.at(i), false, sink).status, DecodeResult::Status::Ok);
            QCOMPARE(sink.statuses.size(), 1u);
            QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Heartbeat);
        }
        // Acks carry nothing.
        for (int i : {1, 9, 10, 11, 12}) {
            test::RecordingSink sink;
            QCOMPARE(protocol.decode(doc.at(i), false, sink).status, DecodeResult::Status::Ignored);
            QVERIFY(sink.statuses.empty());
        }
        // Refusals are the venue's errors.
        test::RecordingSink sink;
        QCOMPARE(protocol
                     .decode("{\"success\":false,\"ret_msg\":\"error:handler not found\",\"conn_id\":\"c\","
                             "\"req_id\":\"3\",\"op\":\"subscribe\"}",
                             false, sink)
                     .status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Error);
        QCOMPARE(sink.statuses.back().message, QStringLiteral("error:handler not found"));
        QCOMPARE(protocol
                     .decode("{\"success\":true,\"conn_id\":\"c\",\"data\":{\"failTopics\":[\"orderbook.50.NOPE\"],"
                             "\"successTopics\":[]},\"type\":\"COMMAND_RESP\"}",
                             false, sink)
                     .status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.size(), 2u);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Error);
    }

    void pongsThroughTheConnection()
    {
        test::LoopbackServer server(QStringLiteral("bybit"), QStringLiteral("/v5/public/spot"));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BybitProtocol>(server.url(), QStringList {QStringLiteral("BTCUSDT")}),
                            feedConfig(QStringLiteral("bybit")), handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("venue error.*handler not found")));
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000);
        const QList<QByteArray> doc = fixtureLines("bybit_v5_doc_samples.jsonl");
        server.send(doc.at(2));
        server.send(doc.at(4));
        server.send("{\"success\":false,\"ret_msg\":\"error:handler not found\",\"conn_id\":\"c\",\"op\":"
                    "\"subscribe\"}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, 3u, 5000);
        QCOMPARE(feed.status().framesDecoded, 3u);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.status().detail, QStringLiteral("error:handler not found"));
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void replayLearnsSymbols()
    {
        BybitProtocol protocol;
        QVERIFY(protocol.fixedInstruments().empty());
        test::RecordingSink sink;
        QCOMPARE(protocol.decode(docTopic("orderbook.50.BTCUSDT"), false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.instruments.size(), 1u);
        QCOMPARE(sink.instruments.front().symbol, QStringLiteral("BTCUSDT"));
        QCOMPARE(sink.instruments.front().venue, QStringLiteral("bybit"));
        QCOMPARE(sink.deltas.size(), 1u);
        QCOMPARE(sink.deltas.front().sequence, 177400507u);
        QCOMPARE(sink.deltas.front().prevSequence, 0u); // i.e. the book must be at 177400506
        QCOMPARE(sink.deltas.front().bids.size(), 5u);
        QCOMPARE(sink.deltas.front().asks.size(), 7u);
        QCOMPARE(sink.deltas.front().exchangeTimeUs, 1687940967464000);

        // Another depth than the one subscribed, or a symbol not followed: left alone.
        BybitProtocol fixed(QUrl(), {QStringLiteral("ETHUSDT")});
        QCOMPARE(fixed.fixedInstruments().size(), 1u);
        test::RecordingSink other;
        QCOMPARE(fixed.decode(docTopic("orderbook.50.BTCUSDT"), false, other).status, DecodeResult::Status::Ignored);
        QCOMPARE(
            fixed
                .decode(book("ETHUSDT", "snapshot", 5, "[]", "[]").replace("orderbook.50", "orderbook.1"), false, other)
                .status,
            DecodeResult::Status::Ignored);
        QVERIFY(other.snapshots.empty() && other.deltas.empty());
    }

    void badFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << QByteArray("not json");
        QTest::newRow("truncated") << QByteArray("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"snapshot\",\"data\":{"
                                                 "\"s\":\"BTCUSDT\",\"b\":[[\"16493.50");
        QTest::newRow("array root") << QByteArray("[]");
        QTest::newRow("neither topic nor op") << QByteArray("{\"conn_id\":\"x\"}");
        QTest::newRow("topic not a string") << QByteArray("{\"topic\":5,\"type\":\"snapshot\",\"data\":{}}");
        QTest::newRow("topic without symbol") << QByteArray("{\"topic\":\"orderbook\",\"data\":{}}");
        QTest::newRow("no type") << QByteArray("{\"topic\":\"orderbook.50.BTCUSDT\",\"data\":{\"s\":\"BTCUSDT\",\"b\":"
                                               "[],\"a\":[],\"u\":5}}");
        QTest::newRow("data not object") << QByteArray("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"snapshot\","
                                                       "\"data\":[1]}");
        QTest::newRow("no u") << book("BTCUSDT", "snapshot", 5, "[]", "[]").replace(",\"u\":5", "");
        QTest::newRow("u wrong type")
            << book("BTCUSDT", "snapshot", 5, "[]", "[]").replace("\"u\":5", "\"u\":\"five\"");
        QTest::newRow("u negative") << book("BTCUSDT", "snapshot", 5, "[]", "[]").replace("\"u\":5", "\"u\":-5");
        QTest::newRow("no bids") << book("BTCUSDT", "snapshot", 5, "[]", "[]").replace("\"b\":[],", "");
        QTest::newRow("level too short") << book("BTCUSDT", "delta", 5, "[[\"1\"]]", "[]");
        QTest::newRow("price wrong type") << book("BTCUSDT", "delta", 5, "[[null,\"1\"]]", "[]");
        QTest::newRow("too precise") << book("BTCUSDT", "delta", 5, "[[\"1.000000001\",\"1\"]]", "[]");
        QTest::newRow("trades not array")
            << QByteArray("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"p\":\"1\"}}");
        QTest::newRow("trade without price") << QByteArray("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\","
                                                           "\"data\":[{\"v\":\"1\",\"S\":\"Buy\",\"T\":1}]}");
        QTest::newRow("trade bad side") << QByteArray("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\","
                                                      "\"data\":[{\"p\":\"1\",\"v\":\"1\",\"S\":\"Up\",\"T\":1}]}");
        QTest::newRow("ticker wrong type") << QByteArray("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\","
                                                         "\"data\":{\"lastPrice\":[1]}}");
        QTest::newRow("ts wrong type") << QByteArray("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"ts\":"
                                                     "\"soon\",\"data\":{\"lastPrice\":\"1\"}}");
    }

    void badFrames()
    {
        QFETCH(QByteArray, frame);
        BybitProtocol protocol(QUrl(), {QStringLiteral("BTCUSDT")});
        test::RecordingSink sink;
        const DecodeResult result = protocol.decode(frame, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(sink.snapshots.empty() && sink.deltas.empty() && sink.trades.empty() && sink.tickers.empty());
        // Still usable afterwards.
        QVERIFY(protocol.decode(docSnapshot(), false, sink));
        QCOMPARE(sink.snapshots.size(), 1u);
    }

    void badFramesAreCountedAndSurvived()
    {
        test::LoopbackServer server(QStringLiteral("bybit"), QStringLiteral("/v5/public/spot"));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BybitProtocol>(server.url(), QStringList {QStringLiteral("BTCUSDT")}),
                            feedConfig(QStringLiteral("bybit")), handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000);
        server.send("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"b\":[[\"1"); // truncated
        server.send("{\"topic\":\"orderbook.50.BTCUSDT\",\"data\":{}}"); // no type
        server.send("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"data\":[{\"p\":{}}]}");
        // Integers beyond 2^64 in fields the decoder does not need are no reason to fail.
        server.send("{\"topic\":\"tickers.BTCUSDT\",\"ts\":1673853746003,\"type\":\"snapshot\",\"cs\":"
                    "123456789012345678901234567890,\"data\":{\"symbol\":\"BTCUSDT\",\"lastPrice\":\"21109.77\","
                    "\"highPrice24h\":\"21426.99\",\"lowPrice24h\":\"20575\",\"prevPrice24h\":\"20704.93\","
                    "\"volume24h\":\"6780.866843\",\"turnover24h\":\"141946527.22907118\",\"openInterest\":"
                    "98765432109876543210987654321}}");
        server.send("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1672304486868,\"data\":[{\"T\":"
                    "1672304486865,\"s\":\"BTCUSDT\",\"S\":\"Sell\",\"v\":\"0.5\",\"p\":\"21100.00\",\"i\":"
                    "\"2290000000061666327\",\"BT\":false,\"seq\":18446744073709551616}]}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, 5u, 5000);
        QCOMPARE(feed.status().decodeErrors, 3u);
        QCOMPARE(feed.status().framesDecoded, 2u);
        QCOMPARE(feed.market().entry(0).quote.high24h, 2142699000000);
        const auto trades = feed.market().recentTrades(0);
        QCOMPARE(trades.size(), 1u);
        QCOMPARE(trades.back().tradeId, 2290000000061666327u);
        QCOMPARE(trades.back().side, Side::Sell);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void instrumentList_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("symbols");
        QTest::addColumn<bool>("error");
        const QByteArray btc
            = "{\"symbol\":\"BTCUSDT\",\"baseCoin\":\"BTC\",\"quoteCoin\":\"USDT\",\"innovation\":\"0\",\"status\":"
              "\"Trading\",\"marginTrading\":\"both\",\"lotSizeFilter\":{\"basePrecision\":\"0.000001\","
              "\"quotePrecision\":\"0.00000001\",\"minOrderQty\":\"0.000048\",\"maxOrderQty\":\"71.73956243\","
              "\"minOrderAmt\":\"1\",\"maxOrderAmt\":\"2000000\"},\"priceFilter\":{\"tickSize\":\"0.01\"},"
              "\"riskParameters\":{\"limitParameter\":\"0.05\",\"marketParameter\":\"0.05\"}}";
        const QByteArray closed = "{\"symbol\":\"OLDUSDT\",\"baseCoin\":\"OLD\",\"quoteCoin\":\"USDT\",\"status\":"
                                  "\"Closed\",\"lotSizeFilter\":{\"basePrecision\":\"0.01\"},\"priceFilter\":{"
                                  "\"tickSize\":\"0.0001\"}}";
        const QByteArray noFilter
            = "{\"symbol\":\"ETHUSDT\",\"baseCoin\":\"ETH\",\"quoteCoin\":\"USDT\",\"status\":\"Trading\"}";
        const QByteArray linear
            = "{\"symbol\":\"BTCUSDT\",\"contractType\":\"LinearPerpetual\",\"status\":\"Trading\",\"baseCoin\":"
              "\"BTC\",\"quoteCoin\":\"USDT\",\"priceScale\":\"2\",\"priceFilter\":{\"minPrice\":\"0.10\","
              "\"maxPrice\":\"199999.80\",\"tickSize\":\"0.10\"},\"lotSizeFilter\":{\"maxOrderQty\":\"100.000\","
              "\"minOrderQty\":\"0.001\",\"qtyStep\":\"0.001\"}}";
        const auto wrap = [](const char *category, const QByteArray &list) -> QByteArray {
            return QByteArray("{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"") + category
                + "\",\"list\":[" + list + "],\"nextPageCursor\":\"\"},\"retExtInfo\":{},\"time\":1672712468011}";
        };
        QTest::newRow("spot") << wrap("spot", btc + "," + closed) << QStringList {QStringLiteral("BTCUSDT")} << false;
        QTest::newRow("spot, one malformed")
            << wrap("spot", noFilter + "," + btc) << QStringList {QStringLiteral("BTCUSDT")} << true;
        QTest::newRow("linear") << wrap("linear", linear) << QStringList {QStringLiteral("BTCUSDT")} << false;
        QTest::newRow("venue error") << QByteArray("{\"retCode\":10001,\"retMsg\":\"params error\",\"result\":{}}")
                                     << QStringList {} << true;
        QTest::newRow("not json") << QByteArray("<html>") << QStringList {} << true;
        QTest::newRow("list wrong type") << QByteArray("{\"retCode\":0,\"result\":{\"list\":{}}}") << QStringList {}
                                         << true;
    }

    void instrumentList()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, symbols);
        QFETCH(bool, error);
        QString message;
        const std::vector<Instrument> list = BybitProtocol::parseInstrumentList(body, &message);
        QStringList got;
        for (const Instrument &i : list)
            got << i.symbol;
        QCOMPARE(got, symbols);
        QCOMPARE(!message.isEmpty(), error);
        for (const Instrument &i : list) {
            QCOMPARE(i.venue, QStringLiteral("bybit"));
            QCOMPARE(i.base, QStringLiteral("BTC"));
            QCOMPARE(i.quote, QStringLiteral("USDT"));
            if (i.kind == InstrumentKind::Spot) {
                QCOMPARE(i.priceScale, 2);
                QCOMPARE(i.tickSize, 1);
                QCOMPARE(i.qtyScale, 6);
                QCOMPARE(i.lotSize, 1);
            } else {
                QCOMPARE(i.kind, InstrumentKind::Perpetual);
                QCOMPARE(i.priceScale, 1); // "0.10"
                QCOMPARE(i.qtyScale, 3);
            }
        }
        QCOMPARE(BybitProtocol::instrumentListUrl(),
                 QUrl(QStringLiteral("https://api.bybit.com/v5/market/instruments-info?category=spot")));
    }
};

QTEST_GUILESS_MAIN(TestBybit)
#include "tst_bybit.moc"
