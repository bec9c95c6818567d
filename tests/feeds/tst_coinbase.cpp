// Coinbase through the real feed path: a loopback WebSocket server replays the recorded legacy
// Exchange feed (SKL-GBP snapshot and its 289 l2updates, tickers, matches) and the documented
// Advanced Trade samples to a FeedConnection running CoinbaseProtocol; a skipped sequence_num
// resyncs every book of the connection by resubscribing; decode-level tests for bad frames and the
// products list.
#include "coinbaseprotocol.h"
#include "decimal.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"
#include "venuetest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <map>

using namespace tickscope;
using test::feedConfig;
using test::fixture;
using test::fixtureLines;

namespace {

const char *const kExchangeFile = "coinbase_exchange_recorded_2021-04-17.jsonl";
const char *const kDocFile = "coinbase_advanced_trade_doc_samples.jsonl";

/// Requests of this type ("subscribe", "unsubscribe") and channel.
QList<QJsonObject> sent(const test::LoopbackServer &server, const QString &type, const QString &channel)
{
    return server.requestsWith({{"type", type}, {"channel", channel}});
}

Instrument product(const char *symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("coinbase");
    i.symbol = QLatin1String(symbol);
    i.displayName = i.symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

/// Decimal text without trailing fractional zeros ("0.57620000" → "0.5762", "335.0" → "335").
QString trimmed(QString text)
{
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

/// Best `n` levels of SKL-GBP after the recording, by an independent replay with plain maps of the
/// fixture's strings (prices compared as numbers): "price size" texts, trailing zeros trimmed.
QStringList independentTop(bool asks, int n)
{
    std::map<double, QString> side;
    for (const QByteArray &line : fixtureLines(kExchangeFile)) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QLatin1String("product_id")).toString() != QLatin1String("SKL-GBP"))
            continue;
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("snapshot")) {
            side.clear();
            for (const QJsonValue level : o.value(asks ? QLatin1String("asks") : QLatin1String("bids")).toArray()) {
                const QJsonArray l = level.toArray();
                side[l.at(0).toString().toDouble()]
                    = trimmed(l.at(0).toString()) + QLatin1Char(' ') + trimmed(l.at(1).toString());
            }
        } else if (type == QLatin1String("l2update")) {
            for (const QJsonValue change : o.value(QLatin1String("changes")).toArray()) {
                const QJsonArray c = change.toArray();
                if ((c.at(0).toString() == QLatin1String("sell")) != asks)
                    continue;
                const double price = c.at(1).toString().toDouble();
                if (c.at(2).toString().toDouble() == 0)
                    side.erase(price);
                else
                    side[price] = trimmed(c.at(1).toString()) + QLatin1Char(' ') + trimmed(c.at(2).toString());
            }
        }
    }
    QStringList out;
    if (asks) {
        for (auto it = side.begin(); it != side.end() && out.size() < n; ++it)
            out.append(it->second);
    } else {
        for (auto it = side.rbegin(); it != side.rend() && out.size() < n; ++it)
            out.append(it->second);
    }
    return out;
}

QStringList engineTop(const OrderBook &book, const Instrument &instrument, BookSide side, int n)
{
    std::vector<Level> top;
    book.top(side, static_cast<std::size_t>(n), top);
    QStringList out;
    for (const Level &l : top)
        out.append(QString::fromStdString(formatDecimalTrimmed(l.price, instrument.priceScale)) + QLatin1Char(' ')
                   + QString::fromStdString(formatDecimalTrimmed(l.qty, instrument.qtyScale)));
    return out;
}

QByteArray l2Message(std::uint64_t sequence, const char *type, const char *product, const char *updates)
{
    return QByteArray("{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2023-02-09T20:32:50.714964855Z\","
                      "\"sequence_num\":")
        + QByteArray::number(sequence) + ",\"events\":[{\"type\":\"" + type + "\",\"product_id\":\"" + product
        + "\",\"updates\":[" + updates + "]}]}";
}

} // namespace

class TestCoinbase : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void exchangeRecordingAppliesEveryUpdate_data()
    {
        QTest::addColumn<bool>("withCatalog");
        QTest::newRow("catalogue precisions (4, 1)") << true;
        QTest::newRow("default precisions (8, 8)") << false;
    }

    void exchangeRecordingAppliesEveryUpdate()
    {
        QFETCH(bool, withCatalog);
        test::LoopbackServer server(QStringLiteral("coinbase"));
        Handoff handoff;
        PipelineStats stats;
        const FeedConfig config = feedConfig(QStringLiteral("coinbase"));
        std::vector<Instrument> catalog;
        if (withCatalog)
            catalog.push_back(product("SKL-GBP", 4, 1));
        FeedConnection feed(
            0, std::make_unique<CoinbaseProtocol>(server.url(), QStringList {QStringLiteral("SKL-GBP")}, catalog),
            config, handoff, stats);
        feed.start();
        // Subscribed right after connecting (the venue drops silent clients after 5 s): one frame per
        // channel with the product ids, and the heartbeats channel.
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 4, 5000);
        for (const char *channel : {"level2", "ticker", "market_trades"}) {
            const auto frames = sent(server, QStringLiteral("subscribe"), QLatin1String(channel));
            QCOMPARE(frames.size(), 1);
            QCOMPARE(frames.first()[QLatin1String("product_ids")].toArray(), QJsonArray {QStringLiteral("SKL-GBP")});
        }
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("heartbeats")).size(), 1);

        // What the recording holds for SKL-GBP, counted from the fixture itself.
        int updates = 0;
        int others = 0;
        for (const QByteArray &line : fixtureLines(kExchangeFile)) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QLatin1String("product_id")).toString() != QLatin1String("SKL-GBP"))
                continue;
            const QString type = o.value(QLatin1String("type")).toString();
            updates += type == QLatin1String("l2update") ? 1 : 0;
            others += type == QLatin1String("l2update") ? 0 : 1; // snapshot, ticker, match, last_match
        }
        QCOMPARE(updates, 289);
        QCOMPARE(others, 4);

        for (const QByteArray &line : fixtureLines(kExchangeFile))
            server.send(line);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().messagesApplied, static_cast<std::uint64_t>(updates + others), 10000);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.status().gaps, 0u);
        QCOMPARE(feed.status().resyncs, 0u);
        QCOMPARE(feed.status().crossedBooks, 0u);
        const auto skl = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("SKL-GBP")));
        const auto &entry = feed.market().entry(skl);
        QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
        QCOMPARE(entry.book.sequence(), 1u + 289u); // every update applied in order
        QCOMPARE(entry.instrument.priceScale, withCatalog ? 4 : 8);
        QCOMPARE(engineTop(entry.book, entry.instrument, BookSide::Bid, 10), independentTop(false, 10));
        QCOMPARE(engineTop(entry.book, entry.instrument, BookSide::Ask, 10), independentTop(true, 10));
        QCOMPARE(independentTop(true, 1).first().section(QLatin1Char(' '), 0, 0),
                 QString::fromStdString(
                     formatDecimalTrimmed(entry.book.best(BookSide::Ask).price, entry.instrument.priceScale)));

        // Ticker: last 0.5752, open 0.5102, high 0.588, low 0.5; the match 82008: a resting sell of
        // 335 at 0.5762 taken by a buyer.
        const std::int64_t unit = pow10(entry.instrument.priceScale);
        QCOMPARE(entry.quote.open24h, 5102 * unit / 10000);
        QCOMPARE(entry.quote.high24h, 588 * unit / 1000);
        QCOMPARE(entry.quote.low24h, 5 * unit / 10);
        const auto trades = feed.market().recentTrades(skl);
        QCOMPARE(trades.size(), 2u);
        QCOMPARE(trades.back().tradeId, 82008u);
        QCOMPARE(trades.back().price, 5762 * unit / 10000);
        QCOMPARE(trades.back().qty, 335 * pow10(entry.instrument.qtyScale));
        QCOMPARE(trades.back().side, Side::Buy);
        QCOMPARE(trades.front().tradeId, 82007u); // last_match: maker buy → a seller took it
        QCOMPARE(trades.front().side, Side::Sell);
        QCOMPARE(entry.quote.last, 5762 * unit / 10000);
    }

    void exchangeRecordingDecodesEveryProduct()
    {
        // Replay mode (no products wanted): every product is learned, nothing is an error.
        CoinbaseProtocol protocol;
        test::RecordingSink sink;
        std::map<QString, std::size_t> types;
        for (const QByteArray &line : fixtureLines(kExchangeFile)) {
            QVERIFY2(protocol.decode(line, false, sink), line.constData());
            ++types[QJsonDocument::fromJson(line)[QLatin1String("type")].toString()];
        }
        QCOMPARE(sink.snapshots.size(), 1u);
        QCOMPARE(sink.deltas.size(), 289u);
        QCOMPARE(sink.tickers.size(), types[QStringLiteral("ticker")]);
        QCOMPARE(sink.tickers.size(), 5u);
        QCOMPARE(sink.trades.size(), types[QStringLiteral("match")] + types[QStringLiteral("last_match")]);
        QCOMPARE(sink.trades.size(), 8u);
        QCOMPARE(sink.instruments.size(), 7u); // products with data in the recording
        // Protocol-made sequences: the snapshot is 1, the updates follow one by one.
        QCOMPARE(sink.snapshots.front().sequence, 1u);
        for (std::size_t i = 0; i < sink.deltas.size(); ++i)
            QCOMPARE(sink.deltas[i].sequence, 2u + i);
        QCOMPARE(sink.deltas.front().exchangeTimeUs, 1618677817078325); // 2021-04-17T16:43:37.078325Z
    }

    void advancedTradeDocSamples()
    {
        test::LoopbackServer server(QStringLiteral("coinbase"));
        Handoff handoff;
        PipelineStats stats;
        const FeedConfig config = feedConfig(QStringLiteral("coinbase"));
        FeedConnection feed(0,
                            std::make_unique<CoinbaseProtocol>(
                                server.url(), QStringList {QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD")},
                                std::vector<Instrument> {product("BTC-USD", 2, 8), product("ETH-USD", 2, 8)}),
                            config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 4, 5000);
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("level2"))
                     .first()[QLatin1String("product_ids")]
                     .toArray()
                     .size(),
                 2);
        // The venue's messages of the documentation (the requests in the file are ours, not the venue's).
        int sent = 0;
        for (const QByteArray &line : fixtureLines(kDocFile)) {
            if (QJsonDocument::fromJson(line).object().contains(QLatin1String("type")))
                continue;
            server.send(line);
            ++sent;
        }
        QCOMPARE(sent, 6); // heartbeats, candles, market_trades, status, ticker, l2_data
        const auto btc = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("BTC-USD")));
        const auto eth = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("ETH-USD")));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(btc).book.integrity(), BookIntegrity::Synced, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesDecoded, 6u, 5000);
        QCOMPARE(feed.status().decodeErrors, 0u);
        const auto &book = feed.market().entry(btc).book;
        QCOMPARE(book.depth(BookSide::Bid), 2u);
        QCOMPARE(book.best(BookSide::Bid), (Level {2192173, 6317902})); // 21921.73 × 0.06317902
        // Ticker BTC-USD: price 21932.98, 24 h high/low/volume.
        const auto &quote = feed.market().entry(btc).quote;
        QCOMPARE(quote.last, 2193298);
        QCOMPARE(quote.high24h, 2301118);
        QCOMPARE(quote.low24h, 2183529);
        QCOMPARE(quote.volume24h, 1603828770938);
        // market_trades: ETH-USD 0.3 at 1260.01, side BUY = the resting order was a buy.
        const auto trades = feed.market().recentTrades(eth);
        QCOMPARE(trades.size(), 1u);
        QCOMPARE(trades.front().price, 126001);
        QCOMPARE(trades.front().qty, 30000000);
        QCOMPARE(trades.front().side, Side::Sell);

        // An update in the documented shape: "offer" and any other non-"bid" side are asks; a zero
        // quantity removes the level.
        server.send(l2Message(1, "update", "BTC-USD",
                              "{\"side\":\"offer\",\"event_time\":\"2023-02-09T20:32:50.714964855Z\","
                              "\"price_level\":\"21925.5\",\"new_quantity\":\"1.5\"},"
                              "{\"side\":\"ask\",\"event_time\":\"2023-02-09T20:32:50.714964855Z\","
                              "\"price_level\":\"21926\",\"new_quantity\":\"0.25\"},"
                              "{\"side\":\"bid\",\"event_time\":\"2023-02-09T20:32:50.714964855Z\","
                              "\"price_level\":\"21921.3\",\"new_quantity\":\"0\"}"));
        QTRY_COMPARE_WITH_TIMEOUT(book.depth(BookSide::Ask), 2u, 5000);
        QCOMPARE(book.best(BookSide::Ask), (Level {2192550, 150000000}));
        QCOMPARE(book.quantityAt(BookSide::Ask, 2192600), 25000000);
        QCOMPARE(book.depth(BookSide::Bid), 1u);
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
    }

    void sequenceGapResyncsEveryBook()
    {
        test::LoopbackServer server(QStringLiteral("coinbase"));
        Handoff handoff;
        PipelineStats stats;
        const FeedConfig config = feedConfig(QStringLiteral("coinbase"));
        const QStringList products {QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD"), QStringLiteral("SOL-USD")};
        FeedConnection feed(0, std::make_unique<CoinbaseProtocol>(server.url(), products), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 4, 5000);
        const char *bid = "{\"side\":\"bid\",\"event_time\":\"2023-02-09T20:32:50Z\",\"price_level\":\"100.5\","
                          "\"new_quantity\":\"2\"}";
        const char *ask = "{\"side\":\"offer\",\"event_time\":\"2023-02-09T20:32:50Z\",\"price_level\":\"101\","
                          "\"new_quantity\":\"3\"}";
        const QByteArray levels = QByteArray(bid) + ',' + ask;
        server.send(l2Message(10, "snapshot", "BTC-USD", levels.constData()));
        server.send(l2Message(11, "snapshot", "ETH-USD", levels.constData()));
        server.send(l2Message(12, "update", "BTC-USD", bid));
        server.send("{\"channel\":\"heartbeats\",\"client_id\":\"\",\"timestamp\":\"2023-06-23T20:31:26.122969572Z\","
                    "\"sequence_num\":13,\"events\":[{\"current_time\":\"2023-06-23 20:31:56 +0000 UTC\","
                    "\"heartbeat_counter\":\"3049\"}]}");
        const auto btc = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("BTC-USD")));
        const auto eth = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("ETH-USD")));
        const auto sol = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("SOL-USD")));
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().messagesApplied, 3u, 5000);
        QCOMPARE(feed.market().entry(btc).book.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.market().entry(eth).book.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.status().gaps, 0u);

        // sequence_num 14 never arrives: every book that was in sync is resynced by resubscribing.
        server.send(l2Message(15, "update", "ETH-USD", bid));
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("level2")).size(), 3, 5000);
        QCOMPARE(feed.status().gaps, 2u);
        QCOMPARE(feed.status().resyncs, 2u);
        QCOMPARE(dynamic_cast<CoinbaseProtocol &>(feed.protocol()).sequenceGaps(), 1u);
        QCOMPARE(feed.market().entry(btc).book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(feed.market().entry(eth).book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(feed.market().entry(sol).book.integrity(), BookIntegrity::Resyncing); // never had a snapshot
        QStringList resubscribed;
        for (const QJsonObject &r : sent(server, QStringLiteral("subscribe"), QStringLiteral("level2")).mid(1)) {
            QCOMPARE(r[QLatin1String("product_ids")].toArray().size(), 1);
            resubscribed.append(r[QLatin1String("product_ids")].toArray().first().toString());
        }
        resubscribed.sort();
        QCOMPARE(resubscribed, (QStringList {QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD")}));
        QCOMPARE(sent(server, QStringLiteral("unsubscribe"), QStringLiteral("level2")).size(), 2);
        QCOMPARE(feed.status().reconnects, 0u);

        // The fresh snapshots bring the books back; updates before them were not applied.
        server.send(l2Message(16, "update", "BTC-USD", ask));
        server.send(l2Message(17, "snapshot", "BTC-USD", levels.constData()));
        server.send(l2Message(18, "snapshot", "ETH-USD", levels.constData()));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(eth).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.market().entry(btc).book.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.market().entry(btc).book.quantityAt(BookSide::Bid, 10050000000), 200000000);
        QCOMPARE(feed.status().gaps, 2u);
        QCOMPARE(dynamic_cast<CoinbaseProtocol &>(feed.protocol()).sequenceGaps(), 1u);
    }

    void sequenceGapStatus()
    {
        CoinbaseProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")), {QStringLiteral("BTC-USD")});
        test::RecordingSink sink;
        QVERIFY(protocol.decode(l2Message(3, "snapshot", "BTC-USD", ""), false, sink));
        QVERIFY(protocol.decode(l2Message(4, "update", "BTC-USD", ""), false, sink));
        QVERIFY(sink.statuses.empty());
        QVERIFY(protocol.decode(l2Message(9, "update", "BTC-USD", ""), false, sink));
        QCOMPARE(sink.statuses.size(), 1u);
        QCOMPARE(sink.statuses.front().kind, VenueStatus::Kind::SequenceGap);
        QCOMPARE(sink.statuses.front().expected, 5u);
        QCOMPARE(sink.statuses.front().received, 9u);
        // The book gets an update that skips its sequence (so the engine resyncs it), then the
        // message's own update comes without a sequence: it cannot apply before a snapshot.
        QCOMPARE(sink.deltas.size(), 3u);
        QCOMPARE(sink.deltas[0].sequence, 2u);
        QCOMPARE(sink.deltas[1].sequence, 4u);
        QVERIFY(sink.deltas[1].bids.empty() && sink.deltas[1].asks.empty());
        QCOMPARE(sink.deltas[2].sequence, 0u);
        // Numbers that stay or go back lose nothing.
        QVERIFY(protocol.decode(l2Message(9, "update", "BTC-USD", ""), false, sink));
        QCOMPARE(protocol.sequenceGaps(), 1u);
        // A new connection starts counting afresh.
        protocol.reset();
        QVERIFY(protocol.decode(l2Message(100, "snapshot", "BTC-USD", ""), false, sink));
        QCOMPARE(protocol.sequenceGaps(), 1u);
    }

    void malformedFramesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << QByteArray("not json at all");
        QTest::newRow("truncated") << QByteArray("{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[{\"type\"");
        QTest::newRow("array") << QByteArray("[1,2,3]");
        QTest::newRow("neither channel nor type") << QByteArray("{\"product_id\":\"BTC-USD\"}");
        QTest::newRow("l2_data without events") << QByteArray("{\"channel\":\"l2_data\",\"sequence_num\":1}");
        QTest::newRow("events not an array")
            << QByteArray("{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":{}}");
        QTest::newRow("event without type")
            << QByteArray("{\"channel\":\"l2_data\",\"events\":[{\"product_id\":\"BTC-USD\",\"updates\":[]}]}");
        QTest::newRow("event without product")
            << QByteArray("{\"channel\":\"l2_data\",\"events\":[{\"type\":\"update\"}]}");
        QTest::newRow("updates not an array")
            << QByteArray("{\"channel\":\"l2_data\",\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\","
                          "\"updates\":\"x\"}]}");
        QTest::newRow("level without side")
            << l2Message(1, "update", "BTC-USD", "{\"price_level\":\"1\",\"new_quantity\":\"1\"}");
        QTest::newRow("price of wrong type")
            << l2Message(1, "update", "BTC-USD", "{\"side\":\"bid\",\"price_level\":true,\"new_quantity\":\"1\"}");
        QTest::newRow("missing quantity")
            << l2Message(1, "update", "BTC-USD", "{\"side\":\"bid\",\"price_level\":\"1\"}");
        QTest::newRow("finer than the precision") << l2Message(
            1, "update", "BTC-USD", "{\"side\":\"bid\",\"price_level\":\"1.000000001\",\"new_quantity\":\"1\"}");
        QTest::newRow("ticker without price")
            << QByteArray("{\"channel\":\"ticker\",\"events\":[{\"type\":\"update\",\"tickers\":[{\"product_id\":"
                          "\"BTC-USD\"}]}]}");
        QTest::newRow("trade without size")
            << QByteArray("{\"channel\":\"market_trades\",\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":"
                          "\"BTC-USD\",\"price\":\"1\"}]}]}");
        QTest::newRow("exchange snapshot with bad asks")
            << QByteArray("{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"asks\":[[\"1\"]],\"bids\":[]}");
        QTest::newRow("exchange update without changes")
            << QByteArray("{\"type\":\"l2update\",\"product_id\":\"BTC-USD\"}");
        QTest::newRow("exchange change of wrong type")
            << QByteArray("{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[[1,\"1\",\"1\"]]}");
        QTest::newRow("exchange match without price")
            << QByteArray("{\"type\":\"match\",\"product_id\":\"BTC-USD\",\"size\":\"1\"}");
        QTest::newRow("exchange message without product") << QByteArray("{\"type\":\"l2update\",\"changes\":[]}");
    }

    void malformedFramesAreErrors()
    {
        QFETCH(QByteArray, frame);
        CoinbaseProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")), {QStringLiteral("BTC-USD")});
        test::RecordingSink sink;
        const DecodeResult result = protocol.decode(frame, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY(!result.error.isEmpty());
        QCOMPARE(sink.events(), 0u);
        // The protocol keeps decoding afterwards.
        QVERIFY(protocol.decode(l2Message(1, "snapshot", "BTC-USD", ""), false, sink));
        QCOMPARE(sink.snapshots.size(), 1u);
    }

    void unknownMessagesAreIgnored()
    {
        CoinbaseProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")), {QStringLiteral("BTC-USD")});
        test::RecordingSink sink;
        for (const char *frame :
             {"{\"channel\":\"subscriptions\",\"events\":[]}", "{\"channel\":\"something_new\",\"events\":[]}",
              "{\"type\":\"subscriptions\",\"channels\":[]}", "{\"type\":\"received\"}"})
            QCOMPARE(protocol.decode(frame, false, sink).status, DecodeResult::Status::Ignored);
        QCOMPARE(protocol
                     .decode("{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"bad product\"}",
                             false, sink)
                     .status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Error);
        QCOMPARE(sink.statuses.back().message, QStringLiteral("Failed to subscribe: bad product"));
        QCOMPARE(protocol.decode("{\"type\":\"heartbeat\",\"sequence\":1}", false, sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Heartbeat);
        // A product that is not followed is skipped.
        QCOMPARE(protocol.decode(l2Message(1, "snapshot", "DOGE-USD", ""), false, sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.events(), 0u);
        QCOMPARE(protocol.decode("{}", true, sink).status, DecodeResult::Status::Error);
    }

    void badFramesAreCountedAndSurvived()
    {
        test::LoopbackServer server(QStringLiteral("coinbase"));
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config;
        config.name = QStringLiteral("coinbase");
        FeedConnection feed(0,
                            std::make_unique<CoinbaseProtocol>(server.url(), QStringList {QStringLiteral("BTC-USD")}),
                            config, handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 4, 5000);
        server.send("{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[{\"type\"");
        server.send("not json at all");
        server.send(l2Message(2, "snapshot", "BTC-USD", "{\"side\":\"bid\",\"price_level\":7,\"new_quantity\":[]}"));
        server.send("{\"channel\":\"l2_data\",\"sequence_num\":3}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().decodeErrors, 4u, 5000);
        server.send(
            l2Message(4, "snapshot", "BTC-USD", "{\"side\":\"bid\",\"price_level\":\"100\",\"new_quantity\":\"1\"}"));
        const auto btc = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("BTC-USD")));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(btc).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.status().reconnects, 0u);
        QCOMPARE(feed.state(), FeedState::Live);
    }

    void instrumentList()
    {
        QCOMPARE(CoinbaseProtocol::instrumentListUrl(),
                 QUrl(QStringLiteral("https://api.coinbase.com/api/v3/brokerage/market/products")));
        QCOMPARE(CoinbaseProtocol::instrumentListUrl(QUrl(QStringLiteral("http://127.0.0.1:8080"))),
                 QUrl(QStringLiteral("http://127.0.0.1:8080/api/v3/brokerage/market/products")));
        // Written from the documented List Public Products response.
        const QByteArray body
            = "{\"products\":["
              "{\"product_id\":\"BTC-USD\",\"price\":\"21932.98\",\"base_increment\":\"0.00000001\","
              "\"quote_increment\":\"0.01\",\"quote_min_size\":\"1\",\"base_min_size\":\"0.00000001\","
              "\"base_name\":\"Bitcoin\",\"quote_name\":\"US Dollar\",\"is_disabled\":false,\"status\":\"online\","
              "\"trading_disabled\":false,\"product_type\":\"SPOT\",\"quote_currency_id\":\"USD\","
              "\"base_currency_id\":\"BTC\",\"base_display_symbol\":\"BTC\",\"quote_display_symbol\":\"USD\","
              "\"price_increment\":\"0.01\"},"
              "{\"product_id\":\"SHIB-USD\",\"base_increment\":\"1\",\"quote_increment\":\"0.00000001\","
              "\"is_disabled\":false,\"trading_disabled\":false,\"status\":\"online\",\"product_type\":\"SPOT\","
              "\"base_currency_id\":\"SHIB\",\"quote_currency_id\":\"USD\"},"
              "{\"product_id\":\"ETH-EUR\",\"base_increment\":\"0.00000001\",\"quote_increment\":\"0.01\","
              "\"price_increment\":\"0.050\",\"is_disabled\":false,\"trading_disabled\":false,\"status\":\"online\"},"
              "{\"product_id\":\"OLD-USD\",\"base_increment\":\"0.1\",\"quote_increment\":\"0.01\","
              "\"is_disabled\":true,\"trading_disabled\":false,\"status\":\"online\"},"
              "{\"product_id\":\"HALT-USD\",\"base_increment\":\"0.1\",\"quote_increment\":\"0.01\","
              "\"is_disabled\":false,\"trading_disabled\":true,\"status\":\"online\"}"
              "],\"num_products\":5}";
        QString error = QStringLiteral("stale");
        const auto instruments = CoinbaseProtocol::parseInstrumentList(body, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(instruments.size(), 3u);
        QCOMPARE(instruments[0].symbol, QStringLiteral("BTC-USD"));
        QCOMPARE(instruments[0].base, QStringLiteral("BTC"));
        QCOMPARE(instruments[0].quote, QStringLiteral("USD"));
        QCOMPARE(instruments[0].priceScale, 2);
        QCOMPARE(instruments[0].tickSize, 1);
        QCOMPARE(instruments[0].qtyScale, 8);
        QCOMPARE(instruments[0].lotSize, 1);
        QCOMPARE(instruments[0].venue, QStringLiteral("coinbase"));
        QCOMPARE(instruments[1].symbol, QStringLiteral("SHIB-USD"));
        QCOMPARE(instruments[1].priceScale, 8);
        QCOMPARE(instruments[1].qtyScale, 0);
        QCOMPARE(instruments[1].base, QStringLiteral("SHIB"));
        QCOMPARE(instruments[2].symbol, QStringLiteral("ETH-EUR"));
        QCOMPARE(instruments[2].priceScale, 2); // price increment 0.050 = 5 hundredths
        QCOMPARE(instruments[2].tickSize, 5);
        QCOMPARE(instruments[2].base, QStringLiteral("ETH")); // from the product id

        QVERIFY(CoinbaseProtocol::parseInstrumentList("{\"products\":", &error).empty());
        QVERIFY(!error.isEmpty());
        QVERIFY(CoinbaseProtocol::parseInstrumentList("{\"error\":\"NOT_FOUND\"}", &error).empty());
        QVERIFY(!error.isEmpty());
    }

    void subscribeFrames()
    {
        CoinbaseProtocol protocol;
        QCOMPARE(protocol.venue(), QStringLiteral("coinbase"));
        QCOMPARE(protocol.url(), QUrl(QStringLiteral("wss://advanced-trade-ws.coinbase.com")));
        QCOMPARE(protocol.resyncMethod(), ResyncMethod::Resubscribe);
        const auto frames = protocol.subscribeFrames({QStringLiteral("ETH-USD"), QStringLiteral("ETH-EUR")});
        QCOMPARE(frames.size(), 4u);
        // As the documentation's request: {"type":"subscribe","product_ids":[…],"channel":"level2"}.
        QCOMPARE(QJsonDocument::fromJson(frames[0].data).object(),
                 (QJsonObject {
                     {QStringLiteral("type"), QStringLiteral("subscribe")},
                     {QStringLiteral("product_ids"), QJsonArray {QStringLiteral("ETH-USD"), QStringLiteral("ETH-EUR")}},
                     {QStringLiteral("channel"), QStringLiteral("level2")}}));
        QCOMPARE(QJsonDocument::fromJson(frames[3].data).object(),
                 (QJsonObject {{QStringLiteral("type"), QStringLiteral("subscribe")},
                               {QStringLiteral("channel"), QStringLiteral("heartbeats")}}));
        QCOMPARE(protocol.subscribeFrames({QStringLiteral("BTC-USD")}).size(), 3u); // heartbeats once per connection
        protocol.reset();
        QCOMPARE(protocol.subscribeFrames({QStringLiteral("BTC-USD")}).size(), 4u);
        const auto unsubscribe = protocol.unsubscribeFrames({QStringLiteral("BTC-USD")});
        QCOMPARE(unsubscribe.size(), 3u);
        QCOMPARE(QJsonDocument::fromJson(unsubscribe[0].data)[QLatin1String("type")].toString(),
                 QStringLiteral("unsubscribe"));
    }
};

QTEST_GUILESS_MAIN(TestCoinbase)
#include "tst_coinbase.moc"
