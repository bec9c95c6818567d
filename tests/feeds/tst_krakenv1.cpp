// Kraken Spot WebSocket v1 through the real feed path: a loopback WebSocket server replays the
// recorded depth-1000 book traffic of three pairs (all 1155 update checksums verified against the
// engine's book, with the pairs' precisions from a catalogue or learned from the wire text), a
// corrupted update resyncs only its pair; decode-level tests for trades, tickers, the guide's
// checksum example, events with a connectionID beyond 2^63, bad frames and the AssetPairs list.
#include "decimal.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"
#include "krakenchecksum.h"
#include "krakenv1protocol.h"
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

const char *const kBookFile = "kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl";

/// Requests with this event and subscription name (e.g. "subscribe", "book").
QList<QJsonObject> sent(const test::LoopbackServer &server, const QString &event, const QString &name)
{
    return server.requestsWith({{"event", event}, {"subscription/name", name}});
}

/// Collects decoded events; keeps books like the engine (cut at the depth) and verifies checksums
/// through the protocol.
class Sink : public EventSink
{
public:
    explicit Sink(KrakenV1Protocol &p)
        : protocol(p)
    { }
    void onInstruments(const std::vector<Instrument> &list) override
    {
        instruments = list;
        books.resize(list.size());
    }
    void onSnapshot(const BookSnapshot &snapshot) override
    {
        ++snapshots;
        OrderBook &book = books.at(snapshot.instrument);
        book.applySnapshot(snapshot);
        book.truncate(protocol.maintainedDepth());
    }
    void onDelta(const BookDelta &delta) override
    {
        ++deltas;
        OrderBook &book = books.at(delta.instrument);
        if (book.applyDelta(delta) != ApplyResult::Applied)
            ++notApplied;
        book.truncate(protocol.maintainedDepth());
        if (delta.checksum)
            ++(protocol.checksumOf(book) == delta.checksum ? checksumOk : checksumBad);
    }
    void onTrade(const Trade &trade) override { trades.push_back(trade); }
    void onTicker(const Ticker &ticker) override { tickers.push_back(ticker); }
    void onStatus(const VenueStatus &status) override { statuses.push_back(status); }
    int indexOf(const QString &symbol) const
    {
        for (std::size_t i = 0; i < instruments.size(); ++i) {
            if (instruments[i].symbol == symbol)
                return static_cast<int>(i);
        }
        return -1;
    }

    KrakenV1Protocol &protocol;
    std::vector<Instrument> instruments;
    std::vector<OrderBook> books;
    int snapshots = 0;
    int deltas = 0;
    int notApplied = 0;
    int checksumOk = 0;
    int checksumBad = 0;
    std::vector<Trade> trades;
    std::vector<Ticker> tickers;
    std::vector<VenueStatus> statuses;
};

Instrument catalogued(const char *symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("kraken-v1");
    i.symbol = QLatin1String(symbol);
    i.displayName = i.symbol;
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

/// The three recorded pairs with their real AssetPairs precisions (pair_decimals 1, 7, 2): fewer
/// digits than v1 writes on the wire (5, 9, 8), so the checksum must use the wire's digits.
std::vector<Instrument> recordedCatalog()
{
    return {catalogued("XBT/CHF", 1, 8), catalogued("GRT/ETH", 7, 8), catalogued("XMR/USD", 2, 8)};
}

/// Best `n` levels of a side, by an independent replay of the recording with plain maps (prices
/// compared as numbers, texts kept as received).
QStringList independentTop(const QString &pair, bool asks, int n)
{
    std::map<double, QString> side;
    for (const QByteArray &line : fixtureLines(kBookFile)) {
        const QJsonDocument message = QJsonDocument::fromJson(line);
        if (!message.isArray() || message.array().last().toString() != pair)
            continue;
        const QJsonArray frame = message.array();
        for (qsizetype i = 1; i < frame.size() - 2; ++i) {
            const QJsonObject part = frame.at(i).toObject();
            if (part.contains(asks ? QLatin1String("as") : QLatin1String("bs")))
                side.clear();
            for (const QLatin1String key : asks ? std::array {QLatin1String("as"), QLatin1String("a")}
                                                : std::array {QLatin1String("bs"), QLatin1String("b")}) {
                for (const QJsonValue level : part.value(key).toArray()) {
                    const QString price = level.toArray().at(0).toString();
                    const QString qty = level.toArray().at(1).toString();
                    if (qty.toDouble() == 0)
                        side.erase(price.toDouble());
                    else
                        side[price.toDouble()] = price + QLatin1Char(' ') + qty;
                    while (side.size() > 1000)
                        side.erase(asks ? std::prev(side.end()) : side.begin());
                }
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

/// The same levels from the engine's book, written at the wire's digits.
QStringList engineTop(const OrderBook &book, const Instrument &instrument, BookSide side, int n, int priceDigits)
{
    std::vector<Level> top;
    book.top(side, static_cast<std::size_t>(n), top);
    QStringList out;
    for (const Level &l : top) {
        // Catalogue scales are coarser than the wire's: pad to the wire's digits for comparison.
        const std::int64_t price = l.price * pow10(priceDigits - instrument.priceScale);
        out.append(formatDecimalQ(price, priceDigits) + QLatin1Char(' ') + formatDecimalQ(l.qty, 8));
    }
    return out;
}

int wireDigits(const QString &pair)
{
    return pair == QLatin1String("XBT/CHF") ? 5 : pair == QLatin1String("GRT/ETH") ? 9 : 8;
}

} // namespace

class TestKrakenV1 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void recordedBookVerifiesEveryChecksum_data()
    {
        QTest::addColumn<bool>("withCatalog");
        QTest::newRow("catalogue precisions") << true;
        QTest::newRow("replay, precisions learned from the text") << false;
    }

    void recordedBookVerifiesEveryChecksum()
    {
        QFETCH(bool, withCatalog);
        const QStringList pairs {QStringLiteral("XBT/CHF"), QStringLiteral("GRT/ETH"), QStringLiteral("XMR/USD")};
        test::LoopbackServer server(QStringLiteral("kraken-v1"));
        Handoff handoff;
        PipelineStats stats;
        const FeedConfig config = feedConfig(QStringLiteral("kraken-v1"));
        FeedConnection feed(
            0,
            std::make_unique<KrakenV1Protocol>(server.url(), withCatalog ? pairs : QStringList {},
                                               withCatalog ? recordedCatalog() : std::vector<Instrument> {}, 1000),
            config, handoff, stats);
        QCOMPARE(feed.protocol().maintainedDepth(), 1000u);
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(server.client, 5000);
        if (withCatalog) {
            // The pairs are known up front: subscribed right on connect, the book at depth 1000.
            QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size(), 1,
                                      5000);
            const QJsonObject book = sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).first();
            QCOMPARE(book[QLatin1String("subscription")][QLatin1String("depth")].toInt(), 1000);
            QCOMPARE(book[QLatin1String("pair")].toArray().size(), 3);
            QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("ticker")).size(), 1);
            QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("trade")).size(), 1);
        }

        int updates = 0;
        for (const QByteArray &line : fixtureLines(kBookFile)) {
            server.send(line);
            updates += line.contains("\"c\":\"") ? 1 : 0;
        }
        QCOMPARE(updates, 1155);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().checksumOk, 1155u, 20000);
        QCOMPARE(feed.status().checksumBad, 0u);
        QCOMPARE(feed.status().gaps, 0u);
        QCOMPARE(feed.status().resyncs, 0u);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.status().messagesApplied, 1155u + 3u);
        QCOMPARE(feed.market().size(), 3u);
        for (const QString &pair : pairs) {
            const int local = feed.market().indexOf(pair);
            QVERIFY2(local >= 0, qPrintable(pair));
            const auto &entry = feed.market().entry(static_cast<LocalInstrument>(local));
            QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
            QVERIFY(entry.book.depth(BookSide::Bid) <= 1000u);
            QCOMPARE(entry.instrument.priceScale,
                     withCatalog ? recordedCatalog()[static_cast<std::size_t>(pairs.indexOf(pair))].priceScale
                                 : wireDigits(pair));
            const int digits = wireDigits(pair);
            QCOMPARE(engineTop(entry.book, entry.instrument, BookSide::Ask, 10, digits),
                     independentTop(pair, true, 10));
            QCOMPARE(engineTop(entry.book, entry.instrument, BookSide::Bid, 10, digits),
                     independentTop(pair, false, 10));
        }

        // A corrupted update (checksum that does not match): counted, XMR/USD alone resyncs.
        const int xmr = feed.market().indexOf(QStringLiteral("XMR/USD"));
        const int booksBefore
            = static_cast<int>(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size());
        server.send("[992,{\"b\":[[\"354.15000000\",\"5.00000000\",\"1618678133.365913\"]],\"c\":\"12345\"},"
                    "\"book-1000\",\"XMR/USD\"]");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().checksumBad, 1u, 5000);
        QCOMPARE(feed.market().entry(static_cast<LocalInstrument>(xmr)).book.integrity(), BookIntegrity::Resyncing);
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).size(),
                                  booksBefore + 1, 5000);
        const QJsonObject resubscribe = sent(server, QStringLiteral("subscribe"), QStringLiteral("book")).last();
        QCOMPARE(resubscribe[QLatin1String("pair")].toArray(), QJsonArray {QStringLiteral("XMR/USD")});
        QCOMPARE(resubscribe[QLatin1String("subscription")][QLatin1String("depth")].toInt(), 1000);
        const QList<QJsonObject> unsubscribed = sent(server, QStringLiteral("unsubscribe"), QStringLiteral("book"));
        QCOMPARE(unsubscribed.size(), 1);
        QCOMPARE(unsubscribed.first()[QLatin1String("pair")].toArray(), QJsonArray {QStringLiteral("XMR/USD")});
        for (const QString &other : {QStringLiteral("XBT/CHF"), QStringLiteral("GRT/ETH")}) {
            const auto local = static_cast<LocalInstrument>(feed.market().indexOf(other));
            QCOMPARE(feed.market().entry(local).book.integrity(), BookIntegrity::Synced);
        }
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(feed.status().reconnects, 0u);

        // The venue's fresh snapshot brings the book back.
        for (const QByteArray &line : fixtureLines(kBookFile)) {
            if (line.startsWith("[992,{\"as\""))
                server.send(line);
        }
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(static_cast<LocalInstrument>(xmr)).book.integrity(),
                                  BookIntegrity::Synced, 5000);
    }

    void replayTakesTheRecordedDepth()
    {
        // As `tickscope-cap decode` replays it: no pairs, no catalogue, the default depth.
        KrakenV1Protocol protocol;
        QCOMPARE(protocol.maintainedDepth(), 10u);
        Sink sink(protocol);
        int errors = 0;
        for (const QByteArray &line : fixtureLines(kBookFile))
            errors += protocol.decode(line, false, sink) ? 0 : 1;
        QCOMPARE(errors, 0);
        QCOMPARE(protocol.maintainedDepth(), 1000u); // from "book-1000"
        QCOMPARE(sink.snapshots, 3);
        QCOMPARE(sink.deltas, 1155);
        QCOMPARE(sink.notApplied, 0);
        QCOMPARE(sink.checksumOk, 1155);
        QCOMPARE(sink.checksumBad, 0);
        QCOMPARE(sink.instruments.size(), 3u);
        QCOMPARE(sink.instruments.at(static_cast<std::size_t>(sink.indexOf(QStringLiteral("GRT/ETH")))).priceScale, 9);
    }

    void tradesRecordingDecodes()
    {
        KrakenV1Protocol protocol;
        Sink sink(protocol);
        int expected = 0;
        for (const QByteArray &line : fixtureLines("kraken_v1_recorded_2021-04-17_trade.jsonl")) {
            QVERIFY2(protocol.decode(line, false, sink), line.constData());
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isArray())
                expected += static_cast<int>(doc.array().at(1).toArray().size());
        }
        QCOMPARE(static_cast<int>(sink.trades.size()), expected);
        QCOMPARE(expected, 10);
        // The first print: XMR/USD sell 0.89594024 @ 354.11000000 at 1618678142.557535.
        const Trade &first = sink.trades.front();
        QCOMPARE(sink.instruments.at(first.instrument).symbol, QStringLiteral("XMR/USD"));
        QCOMPARE(sink.instruments.at(first.instrument).priceScale, 8); // learned from the text
        QCOMPARE(first.price, 35411000000);
        QCOMPARE(first.qty, 89594024);
        QCOMPARE(first.side, Side::Sell);
        QCOMPARE(first.exchangeTimeUs, 1618678142557535);
        // SC/EUR writes prices with 6 digits.
        const int sc = sink.indexOf(QStringLiteral("SC/EUR"));
        QVERIFY(sc >= 0);
        QCOMPARE(sink.instruments.at(static_cast<std::size_t>(sc)).priceScale, 6);
        QCOMPARE(sink.trades.back().price, 43040); // 0.043040, a buy
        QCOMPARE(sink.trades.back().side, Side::Buy);
    }

    void tickerRecordingDecodes()
    {
        KrakenV1Protocol protocol;
        Sink sink(protocol);
        int expected = 0;
        for (const QByteArray &line : fixtureLines("kraken_v1_recorded_2021-04-17_ticker.jsonl")) {
            QVERIFY2(protocol.decode(line, false, sink), line.constData());
            expected += line.startsWith('[') ? 1 : 0;
        }
        QCOMPARE(static_cast<int>(sink.tickers.size()), expected);
        QCOMPARE(expected, 18);
        // WAVES/EUR: c ["13.253900", …], o/h/l/v over the last 24 hours.
        const Ticker &waves = sink.tickers.front();
        QCOMPARE(sink.instruments.at(waves.instrument).symbol, QStringLiteral("WAVES/EUR"));
        QCOMPARE(sink.instruments.at(waves.instrument).priceScale, 6);
        QCOMPARE(waves.last, 13253900);
        QCOMPARE(waves.open24h, 13428300);
        QCOMPARE(waves.high24h, 14211200);
        QCOMPARE(waves.low24h, 13021800);
        QCOMPARE(waves.volume24h, 7203505488104);
    }

    void guideChecksumExample()
    {
        // The guide's 10×10 book as a snapshot, then an update re-stating its best bid with the
        // guide's checksum: the engine's book must give 974947235.
        const QJsonObject doc = QJsonDocument::fromJson(fixture("kraken_v1_book_checksum_example.json")).object();
        const QJsonObject state = doc[QLatin1String("book_state_as_in_doc")].toObject();
        const QByteArray snapshot = "[0,"
            + QJsonDocument(QJsonObject {{QStringLiteral("as"), state[QLatin1String("as")]},
                                         {QStringLiteral("bs"), state[QLatin1String("bs")]}})
                  .toJson(QJsonDocument::Compact)
            + ",\"book-10\",\"XBT/USD\"]";
        KrakenV1Protocol protocol;
        Sink sink(protocol);
        QVERIFY(protocol.decode(snapshot, false, sink));
        QCOMPARE(sink.snapshots, 1);
        QCOMPARE(sink.instruments.front().priceScale, 5); // "0.05005"
        QCOMPARE(protocol.checksumOf(sink.books.front()), std::optional<std::uint32_t>(974947235u));
        QVERIFY(protocol.decode("[0,{\"b\":[[\"0.05000\",\"0.00000500\",\"1582905487.439814\"]],\"c\":\"974947235\"},"
                                "\"book-10\",\"XBT/USD\"]",
                                false, sink));
        QCOMPARE(sink.checksumOk, 1);
        QCOMPARE(sink.checksumBad, 0);
    }

    void splitUpdateAndRepublishedLevels()
    {
        KrakenV1Protocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")), {}, {}, 10);
        Sink sink(protocol);
        QVERIFY(protocol.decode("[7,{\"as\":[[\"10.50\",\"1.000\",\"1.0\"],[\"10.60\",\"2.000\",\"1.0\"]],"
                                "\"bs\":[[\"10.40\",\"3.000\",\"1.0\"]]},\"book-10\",\"AB/CD\"]",
                                false, sink));
        // Asks and bids in two objects, one level republished ("r"), the checksum in the last object.
        const std::vector<kraken::ChecksumLevel> asks {{1050, 1000}, {1055, 500}, {1060, 2000}};
        const std::vector<kraken::ChecksumLevel> bids {{1040, 2500}};
        const QByteArray update
            = "[7,{\"a\":[[\"10.55\",\"0.500\",\"2.0\",\"r\"]]},{\"b\":[[\"10.40\",\"2.500\",\"2.0\"]],"
              "\"c\":\""
            + QByteArray::number(kraken::bookChecksum(asks, bids)) + "\"},\"book-10\",\"AB/CD\"]";
        QVERIFY(protocol.decode(update, false, sink));
        QCOMPARE(sink.deltas, 1);
        QCOMPARE(sink.notApplied, 0);
        QCOMPARE(sink.checksumOk, 1);
        QCOMPARE(sink.books.front().quantityAt(BookSide::Ask, 1055), 500);
        QCOMPARE(sink.books.front().quantityAt(BookSide::Bid, 1040), 2500);
    }

    void eventsAndHugeConnectionId()
    {
        KrakenV1Protocol protocol;
        Sink sink(protocol);
        const QByteArray status = fixtureLines("kraken_v1_recorded_2021-04-17_trade.jsonl").first();
        QVERIFY(status.contains("18239578009413566319")); // beyond 2^63
        const DecodeResult result = protocol.decode(status, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Ignored);
        QVERIFY(sink.statuses.empty());
        QCOMPARE(protocol.decode("{\"event\":\"heartbeat\"}", false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Heartbeat);
        QCOMPARE(protocol
                     .decode("{\"connectionID\":18239578009413566319,\"event\":\"systemStatus\","
                             "\"status\":\"maintenance\",\"version\":\"1.8.3\"}",
                             false, sink)
                     .status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Error);
        QVERIFY(sink.statuses.back().message.contains(QLatin1String("maintenance")));
        QVERIFY(protocol.decode("{\"errorMessage\":\"Currency pair not supported\",\"event\":\"subscriptionStatus\","
                                "\"pair\":\"XBT/EUX\",\"status\":\"error\",\"subscription\":{\"name\":\"book\"}}",
                                false, sink));
        QCOMPARE(sink.statuses.back().message, QStringLiteral("Currency pair not supported"));
        QCOMPARE(protocol.decode("{\"event\":\"pong\",\"reqid\":42}", false, sink).status,
                 DecodeResult::Status::Ignored);
        // Channel messages still decode after events.
        QVERIFY(protocol.decode(fixtureLines("kraken_v1_recorded_2021-04-17_trade.jsonl").at(20), false, sink));
    }

    void malformedFramesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << QByteArray("not json at all");
        QTest::newRow("truncated") << QByteArray("[7,{\"as\":[[\"10.50\",\"1.000\",\"1.0\"]");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("object without event") << QByteArray("{\"status\":\"online\"}");
        QTest::newRow("no channel name") << QByteArray("[7,{\"a\":[]}]");
        QTest::newRow("pair not a string") << QByteArray("[7,{\"a\":[[\"1.0\",\"1.0\",\"1.0\"]]},\"book-10\",5]");
        QTest::newRow("unknown channel") << QByteArray("[7,{},\"weather\",\"AB/CD\"]");
        QTest::newRow("price as a number")
            << QByteArray("[7,{\"a\":[[1.5,\"1.0\",\"1.0\"]],\"c\":\"1\"},\"book-10\",\"AB/CD\"]");
        QTest::newRow("level without volume")
            << QByteArray("[7,{\"a\":[[\"1.5\"]],\"c\":\"1\"},\"book-10\",\"AB/CD\"]");
        QTest::newRow("side not an array") << QByteArray("[7,{\"a\":{},\"c\":\"1\"},\"book-10\",\"AB/CD\"]");
        QTest::newRow("bad checksum") << QByteArray(
            "[7,{\"a\":[[\"1.5\",\"1.0\",\"1.0\"]],\"c\":\"x1\"},\"book-10\",\"AB/CD\"]");
        QTest::newRow("checksum not a string")
            << QByteArray("[7,{\"a\":[[\"1.5\",\"1.0\",\"1.0\"]],\"c\":1},\"book-10\",\"AB/CD\"]");
        QTest::newRow("empty book payload") << QByteArray("[7,{},\"book-10\",\"AB/CD\"]");
        QTest::newRow("trade payload not an array") << QByteArray("[7,{},\"trade\",\"AB/CD\"]");
        QTest::newRow("short trade") << QByteArray("[7,[[\"1.5\",\"1.0\"]],\"trade\",\"AB/CD\"]");
        QTest::newRow("ticker without last") << QByteArray("[7,{\"v\":[\"1.0\",\"2.0\"]},\"ticker\",\"AB/CD\"]");
        QTest::newRow("binary-looking text") << QByteArray("\x01\x02\x03");
    }

    void malformedFramesAreErrors()
    {
        QFETCH(QByteArray, frame);
        KrakenV1Protocol protocol;
        Sink sink(protocol);
        const DecodeResult result = protocol.decode(frame, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(sink.trades.empty() && sink.tickers.empty() && sink.deltas == 0);
        // The protocol keeps decoding afterwards.
        QVERIFY(protocol.decode("[7,{\"as\":[[\"10.50\",\"1.000\",\"1.0\"]],\"bs\":[]},\"book-10\",\"AB/CD\"]", false,
                                sink));
        QCOMPARE(sink.snapshots, 1);
    }

    void decimalsFinerThanTheCatalogueAreErrors()
    {
        KrakenV1Protocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")), {QStringLiteral("XBT/USD")},
                                  {catalogued("XBT/USD", 1, 8)});
        Sink sink(protocol);
        sink.onInstruments(protocol.fixedInstruments());
        QCOMPARE(protocol
                     .decode("[1,{\"as\":[[\"5541.32000\",\"1.0\",\"1.0\"]],\"bs\":[]},\"book-10\",\"XBT/USD\"]", false,
                             sink)
                     .status,
                 DecodeResult::Status::Error);
        // A pair that is not followed is skipped, not an error.
        QCOMPARE(
            protocol.decode("[2,{\"as\":[[\"1.0\",\"1.0\",\"1.0\"]],\"bs\":[]},\"book-10\",\"ETH/USD\"]", false, sink)
                .status,
            DecodeResult::Status::Ok);
        QCOMPARE(sink.snapshots, 0);
    }

    void badFramesAreCountedAndSurvived()
    {
        test::LoopbackServer server(QStringLiteral("kraken-v1"));
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config;
        config.name = QStringLiteral("kraken-v1");
        FeedConnection feed(0,
                            std::make_unique<KrakenV1Protocol>(server.url(), QStringList {QStringLiteral("XBT/CHF")},
                                                               recordedCatalog(), 1000),
                            config, handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(server.client, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 3, 5000);
        server.send("[464,{\"as\":[[\"56218.30000\",\"0.15");
        server.send("not json at all");
        server.send("[464,{\"a\":[[56218.3,\"0.1\",\"1.0\"]],\"c\":\"1\"},\"book-1000\",\"XBT/CHF\"]");
        server.send("[464,{\"a\":[[\"56218.30000\"]],\"c\":\"1\"},\"book-1000\",\"XBT/CHF\"]");
        server.send("{\"no\":\"event\"}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().decodeErrors, 5u, 5000);
        // Still connected and decoding: the recorded snapshot applies.
        for (const QByteArray &line : fixtureLines(kBookFile)) {
            if (line.startsWith("[464,{\"as\""))
                server.send(line);
        }
        const auto local = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("XBT/CHF")));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(local).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.market().entry(local).book.best(BookSide::Ask).price, 562183); // 56218.3 at pair_decimals 1
        QCOMPARE(feed.status().reconnects, 0u);
        QCOMPARE(feed.state(), FeedState::Live);
    }

    void subscribeFramesFollowTheDocumentedShape()
    {
        KrakenV1Protocol protocol(QUrl(QStringLiteral("wss://ws.kraken.com")), {}, {}, 25);
        const auto frames = protocol.subscribeFrames({QStringLiteral("XBT/USD"), QStringLiteral("ETH/EUR")});
        QCOMPARE(frames.size(), 3u);
        const QJsonObject book = QJsonDocument::fromJson(frames[0].data).object();
        QCOMPARE(book[QLatin1String("event")].toString(), QStringLiteral("subscribe"));
        QCOMPARE(book[QLatin1String("pair")].toArray(),
                 (QJsonArray {QStringLiteral("XBT/USD"), QStringLiteral("ETH/EUR")}));
        QCOMPARE(book[QLatin1String("subscription")].toObject(),
                 (QJsonObject {{QStringLiteral("name"), QStringLiteral("book")}, {QStringLiteral("depth"), 25}}));
        QCOMPARE(
            QJsonDocument::fromJson(frames[1].data)[QLatin1String("subscription")][QLatin1String("name")].toString(),
            QStringLiteral("ticker"));
        QCOMPARE(
            QJsonDocument::fromJson(frames[2].data)[QLatin1String("subscription")][QLatin1String("name")].toString(),
            QStringLiteral("trade"));
        QVERIFY(protocol.subscribeFrames({}).empty());
        const auto resync = protocol.resyncFrames(QStringLiteral("XBT/USD"));
        QCOMPARE(resync.size(), 2u);
        QCOMPARE(QJsonDocument::fromJson(resync[0].data)[QLatin1String("event")].toString(),
                 QStringLiteral("unsubscribe"));
        QCOMPARE(QJsonDocument::fromJson(resync[1].data)[QLatin1String("event")].toString(),
                 QStringLiteral("subscribe"));
        QCOMPARE(protocol.venue(), QStringLiteral("kraken-v1"));
        QCOMPARE(protocol.maintainedDepth(), 25u);
    }

    void instrumentList()
    {
        QCOMPARE(KrakenV1Protocol::instrumentListUrl(),
                 QUrl(QStringLiteral("https://api.kraken.com/0/public/AssetPairs")));
        QCOMPARE(KrakenV1Protocol::instrumentListUrl(QUrl(QStringLiteral("http://127.0.0.1:8080/"))),
                 QUrl(QStringLiteral("http://127.0.0.1:8080/0/public/AssetPairs")));
        // Written from the documented AssetPairs response.
        const QByteArray body
            = "{\"error\":[],\"result\":{"
              "\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"wsname\":\"XBT/USD\",\"aclass_base\":\"currency\","
              "\"base\":\"XXBT\",\"aclass_quote\":\"currency\",\"quote\":\"ZUSD\",\"lot\":\"unit\","
              "\"cost_decimals\":5,\"pair_decimals\":1,\"lot_decimals\":8,\"lot_multiplier\":1,"
              "\"ordermin\":\"0.0001\",\"costmin\":\"0.5\",\"tick_size\":\"0.1\",\"status\":\"online\"},"
              "\"XDGUSD\":{\"altname\":\"XDGUSD\",\"wsname\":\"XDG/USD\",\"base\":\"XXDG\",\"quote\":\"ZUSD\","
              "\"pair_decimals\":7,\"lot_decimals\":8,\"tick_size\":\"0.0000005\",\"status\":\"online\"},"
              "\"XBTUSD.d\":{\"altname\":\"XBTUSD.d\",\"base\":\"XXBT\",\"quote\":\"ZUSD\",\"pair_decimals\":1,"
              "\"lot_decimals\":8},"
              "\"BADPAIR\":{\"wsname\":\"BAD/PAIR\",\"pair_decimals\":\"x\",\"lot_decimals\":8}}}";
        QString error = QStringLiteral("stale");
        const auto instruments = KrakenV1Protocol::parseInstrumentList(body, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(instruments.size(), 2u);
        const auto find = [&](const char *symbol) {
            return std::find_if(instruments.begin(), instruments.end(),
                                [&](const Instrument &i) { return i.symbol == QLatin1String(symbol); });
        };
        const auto xbt = find("XBT/USD");
        QVERIFY(xbt != instruments.end());
        QCOMPARE(xbt->priceScale, 1);
        QCOMPARE(xbt->qtyScale, 8);
        QCOMPARE(xbt->tickSize, 1);
        QCOMPARE(xbt->base, QStringLiteral("XBT"));
        QCOMPARE(xbt->quote, QStringLiteral("USD"));
        QCOMPARE(xbt->venue, QStringLiteral("kraken-v1"));
        const auto xdg = find("XDG/USD");
        QVERIFY(xdg != instruments.end());
        QCOMPARE(xdg->priceScale, 7);
        QCOMPARE(xdg->tickSize, 5);

        QVERIFY(KrakenV1Protocol::parseInstrumentList("{\"error\":[\"EGeneral:Invalid arguments\"]}", &error).empty());
        QVERIFY(error.contains(QLatin1String("EGeneral:Invalid arguments")));
        QVERIFY(KrakenV1Protocol::parseInstrumentList("{\"error\":[],\"result\":", &error).empty());
        QVERIFY(!error.isEmpty());
        QVERIFY(KrakenV1Protocol::parseInstrumentList("{\"error\":[]}", &error).empty());
        QVERIFY(!error.isEmpty());
    }

    void v2Symbols()
    {
        QCOMPARE(KrakenV1Protocol::v2SymbolFromWsName(QStringLiteral("XBT/USD")), QStringLiteral("BTC/USD"));
        QCOMPARE(KrakenV1Protocol::v2SymbolFromWsName(QStringLiteral("XDG/EUR")), QStringLiteral("DOGE/EUR"));
        QCOMPARE(KrakenV1Protocol::v2SymbolFromWsName(QStringLiteral("ETH/XBT")), QStringLiteral("ETH/BTC"));
        QCOMPARE(KrakenV1Protocol::v2SymbolFromWsName(QStringLiteral("GRT/ETH")), QStringLiteral("GRT/ETH"));
        QCOMPARE(KrakenV1Protocol::v2SymbolFromWsName(QStringLiteral("XBTC/USD")), QStringLiteral("XBTC/USD"));
    }
};

QTEST_GUILESS_MAIN(TestKrakenV1)
#include "tst_krakenv1.moc"
