// OKX v5 through the real feed path: a loopback WebSocket server replays the recorded traffic
// (acks, tickers, trades, books snapshots and updates with their legacy checksums) and the
// documented samples (books chained by seqId/prevSeqId) to a FeedConnection running OkxProtocol.
// The final books are compared with an independent replay of the fixture strings.
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"
#include "okxprotocol.h"
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
using test::objectOf;

namespace {

QString channelOf(const QJsonObject &o)
{
    return o[QLatin1String("arg")][QLatin1String("channel")].toString();
}

QString instIdOf(const QJsonObject &o)
{
    return o[QLatin1String("arg")][QLatin1String("instId")].toString();
}

/// The documented samples the venue sends (the requests in the file are left out).
QList<QByteArray> docPushes()
{
    QList<QByteArray> out;
    for (const QByteArray &line : fixtureLines("okx_v5_doc_samples_2026-06-27.jsonl")) {
        if (!objectOf(line).contains(QLatin1String("op")))
            out.append(line);
    }
    return out;
}

QByteArray docBooks(const char *action)
{
    for (const QByteArray &line : docPushes()) {
        const QJsonObject o = objectOf(line);
        if (channelOf(o) == QLatin1String("books") && o[QLatin1String("action")].toString() == QLatin1String(action))
            return line;
    }
    qFatal("no books %s sample", action);
}

/// CRC-32 (the zlib polynomial), written here so the test does not lean on the code under test.
std::uint32_t testCrc32(const QByteArray &data)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char c : data) {
        crc ^= static_cast<std::uint8_t>(c);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/// A book kept as OKX's own strings: the independent reference for the replay.
struct PlainBook
{
    std::map<double, std::pair<QString, QString>, std::greater<>> bids; // best (highest) first
    std::map<double, std::pair<QString, QString>> asks; // best (lowest) first

    template<typename Map> static void apply(Map &side, const QJsonArray &levels)
    {
        for (const QJsonValue &level : levels) {
            const QString price = level[0].toString();
            const QString size = level[1].toString();
            if (size == QLatin1String("0"))
                side.erase(price.toDouble());
            else
                side[price.toDouble()] = {price, size};
        }
    }
    void apply(const QJsonObject &push)
    {
        const QJsonObject data = push[QLatin1String("data")].toArray().first().toObject();
        if (push[QLatin1String("action")].toString() == QLatin1String("snapshot")) {
            bids.clear();
            asks.clear();
        }
        apply(bids, data[QLatin1String("bids")].toArray());
        apply(asks, data[QLatin1String("asks")].toArray());
    }
    /// The documented checksum string over the best 25 levels of each side.
    QByteArray checkString() const
    {
        QStringList parts;
        auto bid = bids.begin();
        auto ask = asks.begin();
        for (int i = 0; i < 25; ++i) {
            if (bid != bids.end()) {
                parts << bid->second.first << bid->second.second;
                ++bid;
            }
            if (ask != asks.end()) {
                parts << ask->second.first << ask->second.second;
                ++ask;
            }
        }
        return parts.join(QLatin1Char(':')).toUtf8();
    }
};

/// Levels of the engine's book as OKX would write them (scale 8: the default of an instrument the
/// catalogue does not know).
QStringList engineTop(const OrderBook &book, BookSide side, std::size_t n)
{
    std::vector<Level> top;
    book.top(side, n, top);
    QStringList out;
    for (const Level &l : top)
        out << QString::fromStdString(formatDecimalTrimmed(l.price, 8) + ':' + formatDecimalTrimmed(l.qty, 8));
    return out;
}

template<typename Map> QStringList plainTop(const Map &side, std::size_t n)
{
    QStringList out;
    for (auto it = side.begin(); it != side.end() && static_cast<std::size_t>(out.size()) < n; ++it)
        out << it->second.first + QLatin1Char(':') + it->second.second;
    return out;
}

/// Records decoded events, applying book events to one OrderBook per instrument.
class Sink : public test::RecordingSink
{
public:
    void onSnapshot(const BookSnapshot &snapshot) override
    {
        RecordingSink::onSnapshot(snapshot);
        books[snapshot.instrument].applySnapshot(snapshot);
    }
    void onDelta(const BookDelta &delta) override
    {
        RecordingSink::onDelta(delta);
        results.push_back(books[delta.instrument].applyDelta(delta));
    }

    std::vector<ApplyResult> results;
    std::map<LocalInstrument, OrderBook> books;
};

/// Requests with this op that name `channel`, as their instId lists.
QList<QStringList> sent(const test::LoopbackServer &server, const QString &op, const QString &channel)
{
    QList<QStringList> out;
    for (const QJsonObject &request : server.requests) {
        if (request[QLatin1String("op")].toString() != op)
            continue;
        QStringList ids;
        for (const QJsonValue &arg : request[QLatin1String("args")].toArray()) {
            if (arg[QLatin1String("channel")].toString() == channel)
                ids << arg[QLatin1String("instId")].toString();
        }
        if (!ids.isEmpty())
            out.append(ids);
    }
    return out;
}

const QStringList kRecordedSymbols {QStringLiteral("BTC-USD-220527"), QStringLiteral("UNI-USD-SWAP"),
                                    QStringLiteral("BTC-USDT")};

} // namespace

class TestOkx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void documentedChecksums_data()
    {
        QTest::addColumn<int>("example");
        QTest::addColumn<int>("expected");
        // The values OKX documents for its two worked examples.
        QTest::newRow("more than 25 levels") << 0 << -1881014294;
        QTest::newRow("fewer than 25 levels") << 1 << 831078360;
    }

    void documentedChecksums()
    {
        QFETCH(int, example);
        QFETCH(int, expected);
        const QJsonObject doc = objectOf(fixture("okx_checksum_example.json"));
        const QJsonObject worked = doc[QLatin1String("worked_examples")].toArray().at(example).toObject();
        const auto levels = [](const QJsonArray &rows) {
            std::vector<Level> out;
            for (const QJsonValue &row : rows) {
                const DecimalParse price = parseDecimal(row[0].toString().toStdString(), 8);
                const DecimalParse size = parseDecimal(row[1].toString().toStdString(), 8);
                out.push_back({price.mantissa, size.mantissa});
            }
            return out;
        };
        const std::vector<Level> bids = levels(worked[QLatin1String("bids")].toArray());
        const std::vector<Level> asks = levels(worked[QLatin1String("asks")].toArray());
        QCOMPARE(QString::fromStdString(OkxProtocol::checksumText(bids, asks, 8, 8)),
                 worked[QLatin1String("check_string_from_doc")].toString());
        QCOMPARE(OkxProtocol::checksum(bids, asks, 8, 8), expected);
        QCOMPARE(OkxProtocol::checksum(bids, asks, 8, 8), worked[QLatin1String("crc32_signed_int32")].toInt());
    }

    void recordedStringsAreTrimmedDecimals()
    {
        // The checksum writes levels without trailing zeros: that must be exactly how OKX sent them.
        int checked = 0;
        for (const QByteArray &line : fixtureLines("okx_v5_recorded_2022-05-13_all.jsonl")) {
            const QJsonObject o = objectOf(line);
            if (channelOf(o) != QLatin1String("books") || !o.contains(QLatin1String("data")))
                continue;
            const QJsonObject data = o[QLatin1String("data")].toArray().first().toObject();
            for (const char *side : {"bids", "asks"}) {
                for (const QJsonValue &level : data[QLatin1String(side)].toArray()) {
                    for (int i = 0; i < 2; ++i) {
                        const std::string text = level[i].toString().toStdString();
                        const DecimalParse parsed = parseDecimal(text, 8);
                        QVERIFY2(parsed, text.c_str());
                        QCOMPARE(formatDecimalTrimmed(parsed.mantissa, 8), text);
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked > 1000);
    }

    void replayRecordingEveryChecksumVerifies()
    {
        test::LoopbackServer server(QStringLiteral("okx"), QStringLiteral("/ws/v5/public"));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<OkxProtocol>(server.url(), kRecordedSymbols),
                            feedConfig(QStringLiteral("okx")), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(sent(server, QStringLiteral("subscribe"), QStringLiteral("books")).size(), 1, 5000);
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("books")).first(), kRecordedSymbols);
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("tickers")).first(), kRecordedSymbols);
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("trades")).first(), kRecordedSymbols);
        QCOMPARE(server.requests.size(), 1); // one request carries all nine arguments
        QCOMPARE(feed.market().size(), 3u);

        // The independent reference: the fixture's strings in plain maps.
        std::map<QString, PlainBook> plain;
        std::map<QString, QString> lastPrice;
        std::map<QString, QJsonObject> lastTicker;
        std::map<QString, QJsonObject> lastTrade;
        std::map<QString, int> tradeCount;
        std::map<QString, qint64> lastChecksum;
        int books = 0;
        const QList<QByteArray> recording = fixtureLines("okx_v5_recorded_2022-05-13_all.jsonl");
        for (const QByteArray &line : recording) {
            const QJsonObject o = objectOf(line);
            if (!o.contains(QLatin1String("data")))
                continue;
            const QString id = instIdOf(o);
            const QJsonObject data = o[QLatin1String("data")].toArray().first().toObject();
            if (channelOf(o) == QLatin1String("books")) {
                plain[id].apply(o);
                ++books;
                // The recording's own claim, checked with the test's own CRC.
                QCOMPARE(static_cast<qint64>(static_cast<std::int32_t>(testCrc32(plain[id].checkString()))),
                         data[QLatin1String("checksum")].toInteger());
                lastChecksum[id] = data[QLatin1String("checksum")].toInteger();
            } else if (channelOf(o) == QLatin1String("tickers")) {
                lastTicker[id] = data;
                lastPrice[id] = data[QLatin1String("last")].toString();
            } else if (channelOf(o) == QLatin1String("trades")) {
                lastTrade[id] = data;
                lastPrice[id] = data[QLatin1String("px")].toString();
                ++tradeCount[id];
            }
        }
        QCOMPARE(books, 290);

        for (const QByteArray &line : recording)
            server.send(line);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, static_cast<std::uint64_t>(recording.size()), 10000);
        QCOMPARE(feed.status().checksumOk, 290u);
        QCOMPARE(feed.status().checksumBad, 0u);
        QCOMPARE(feed.status().gaps, 0u);
        QCOMPARE(feed.status().resyncs, 0u);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.state(), FeedState::Live);

        for (const QString &symbol : kRecordedSymbols) {
            const auto local = static_cast<LocalInstrument>(feed.market().indexOf(symbol));
            const MarketState::Entry &entry = feed.market().entry(local);
            QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
            const PlainBook &reference = plain[symbol];
            QCOMPARE(engineTop(entry.book, BookSide::Bid, 25), plainTop(reference.bids, 25));
            QCOMPARE(engineTop(entry.book, BookSide::Ask, 25), plainTop(reference.asks, 25));
            QCOMPARE(entry.book.depth(BookSide::Bid), std::min<std::size_t>(reference.bids.size(), 400));
            QCOMPARE(entry.book.depth(BookSide::Ask), std::min<std::size_t>(reference.asks.size(), 400));
            std::vector<Level> bids;
            std::vector<Level> asks;
            entry.book.top(BookSide::Bid, 25, bids);
            entry.book.top(BookSide::Ask, 25, asks);
            QCOMPARE(static_cast<qint64>(OkxProtocol::checksum(bids, asks, 8, 8)), lastChecksum[symbol]);

            // Tickers and trades.
            QCOMPARE(QString::fromStdString(formatDecimalTrimmed(entry.quote.last, 8)), lastPrice[symbol]);
            QCOMPARE(QString::fromStdString(formatDecimalTrimmed(entry.quote.open24h, 8)),
                     lastTicker[symbol][QLatin1String("open24h")].toString());
            QCOMPARE(QString::fromStdString(formatDecimalTrimmed(entry.quote.volume24h, 8)),
                     lastTicker[symbol][QLatin1String("vol24h")].toString());
            const auto trades = feed.market().recentTrades(local);
            QCOMPARE(static_cast<int>(trades.size()), tradeCount[symbol]);
            const QJsonObject &trade = lastTrade[symbol];
            QCOMPARE(QString::number(trades.back().tradeId), trade[QLatin1String("tradeId")].toString());
            QCOMPARE(QString::fromStdString(formatDecimalTrimmed(trades.back().qty, 8)),
                     trade[QLatin1String("sz")].toString());
            QCOMPARE(trades.back().side == Side::Sell,
                     trade[QLatin1String("side")].toString() == QLatin1String("sell"));
            QCOMPARE(trades.back().timeMs, trade[QLatin1String("ts")].toString().toLongLong());
        }

        // A tampered update: its checksum no longer matches, so that book alone is resynced with an
        // unsubscribe and a subscribe of its books channel, on the open connection.
        QByteArray lastUni;
        QByteArray uniSnapshot;
        for (const QByteArray &line : recording) {
            const QJsonObject o = objectOf(line);
            if (channelOf(o) == QLatin1String("books") && instIdOf(o) == QLatin1String("UNI-USD-SWAP")) {
                (o[QLatin1String("action")].toString() == QLatin1String("snapshot") ? uniSnapshot : lastUni) = line;
            }
        }
        QJsonObject tampered = objectOf(lastUni);
        QJsonArray data = tampered[QLatin1String("data")].toArray();
        // The same update with the best bid's size changed (contracts: the size stays valid).
        const std::pair<QString, QString> &bestBid = plain[QStringLiteral("UNI-USD-SWAP")].bids.begin()->second;
        QJsonObject entry = data.first().toObject();
        entry[QLatin1String("asks")] = QJsonArray();
        entry[QLatin1String("bids")] = QJsonArray {QJsonArray {
            bestBid.first, QString(bestBid.second + QLatin1Char('1')), QStringLiteral("0"), QStringLiteral("1")}};
        data[0] = entry;
        tampered[QLatin1String("data")] = data;
        server.requests.clear();
        server.send(QJsonDocument(tampered).toJson(QJsonDocument::Compact));
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().checksumBad, 1u, 5000);
        const auto uni = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("UNI-USD-SWAP")));
        QCOMPARE(feed.market().entry(uni).book.integrity(), BookIntegrity::Resyncing);
        for (const QString &other : {QStringLiteral("BTC-USD-220527"), QStringLiteral("BTC-USDT")}) {
            QCOMPARE(feed.market().entry(static_cast<LocalInstrument>(feed.market().indexOf(other))).book.integrity(),
                     BookIntegrity::Synced);
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 2, 5000);
        QCOMPARE(server.requests[0][QLatin1String("op")].toString(), QStringLiteral("unsubscribe"));
        QCOMPARE(sent(server, QStringLiteral("unsubscribe"), QStringLiteral("books")),
                 QList<QStringList> {{QStringLiteral("UNI-USD-SWAP")}});
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("books")),
                 QList<QStringList> {{QStringLiteral("UNI-USD-SWAP")}});
        QVERIFY(sent(server, QStringLiteral("subscribe"), QStringLiteral("tickers")).isEmpty());
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(feed.status().reconnects, 0u);

        // The venue's answer: a fresh snapshot, verified again.
        server.send(uniSnapshot);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(uni).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.status().checksumOk, 291u);
    }

    void documentedSamplesThroughTheConnection()
    {
        test::LoopbackServer server(QStringLiteral("okx"), QStringLiteral("/ws/v5/public"));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<OkxProtocol>(server.url(), QStringList {QStringLiteral("BTC-USDT")}),
                            feedConfig(QStringLiteral("okx")), handoff, stats);
        // The samples hold three documented error answers: reported by the connection, not fatal.
        for (int i = 0; i < 3; ++i)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("venue error 60012")));
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000);
        const QList<QByteArray> pushes = docPushes();
        for (const QByteArray &line : pushes)
            server.send(line);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, static_cast<std::uint64_t>(pushes.size()), 5000);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.status().gaps, 0u);
        const MarketState::Entry &entry = feed.market().entry(0);
        QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
        QCOMPARE(entry.book.best(BookSide::Bid), (Level {847697000000, 25600000000})); // 8476.97 × 256
        QCOMPARE(entry.book.best(BookSide::Ask), (Level {847698000000, 41500000000})); // 8476.98 × 415
        QCOMPARE(entry.book.depth(BookSide::Ask), 8u);
        QCOMPARE(entry.quote.open24h, 900000000000); // ticker 9000
        QCOMPARE(entry.quote.volume24h, 222200000000); // vol24h 2222
        QCOMPARE(entry.quote.last, 4221990000000); // the trade after the ticker: 42219.9
        const auto trades = feed.market().recentTrades(0);
        QCOMPARE(trades.size(), 1u);
        QCOMPARE(trades.back().qty, 12060306);
        QCOMPARE(trades.back().tradeId, 130639474u);
        QCOMPARE(trades.back().side, Side::Buy);

        // An update that does not follow the chain: a gap, and that book is subscribed again.
        server.requests.clear();
        server.send("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{"
                    "\"asks\":[],\"bids\":[[\"8476.5\",\"1\",\"0\",\"1\"]],\"ts\":\"1597026383090\",\"checksum\":0,"
                    "\"prevSeqId\":123460,\"seqId\":123461}]}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().gaps, 1u, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 2, 5000);
        QCOMPARE(sent(server, QStringLiteral("unsubscribe"), QStringLiteral("books")),
                 QList<QStringList> {{QStringLiteral("BTC-USDT")}});
        QCOMPARE(sent(server, QStringLiteral("subscribe"), QStringLiteral("books")),
                 QList<QStringList> {{QStringLiteral("BTC-USDT")}});
        QCOMPARE(feed.market().entry(0).book.quantityAt(BookSide::Bid, 847650000000), 0); // not applied
        server.send(docBooks("snapshot"));
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(0).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void sequenceChainRules()
    {
        OkxProtocol protocol(QUrl(), {QStringLiteral("BTC-USDT")});
        Sink sink;
        const auto update = [&](qint64 prev, qint64 seq, const char *bids, const char *asks) {
            const QByteArray frame
                = QByteArrayLiteral("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\","
                                    "\"data\":[{\"asks\":")
                + asks + ",\"bids\":" + bids + ",\"ts\":\"1597026383085\",\"checksum\":0,\"prevSeqId\":"
                + QByteArray::number(prev) + ",\"seqId\":" + QByteArray::number(seq) + "}]}";
            return protocol.decode(frame, false, sink);
        };
        // An update before any snapshot is not applied.
        QVERIFY(update(1, 2, "[]", "[]"));
        QCOMPARE(sink.results.back(), ApplyResult::NotSynced);

        QVERIFY(protocol.decode(docBooks("snapshot"), false, sink));
        QVERIFY(protocol.decode(docBooks("update"), false, sink)); // 123456 → 123457
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        const OrderBook &book = sink.books[0];
        QCOMPARE(book.integrity(), BookIntegrity::Synced);

        // Keep-alive: prevSeqId == seqId, nothing changes and nothing is a gap.
        const std::size_t deltas = sink.deltas.size();
        QVERIFY(update(123457, 123457, "[]", "[]"));
        QCOMPARE(sink.deltas.size(), deltas);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Heartbeat);
        // Sequence reset after maintenance (seqId < prevSeqId): applied, and the chain goes on from it.
        QVERIFY(update(123457, 3, "[[\"8476.97\",\"300\",\"0\",\"12\"]]", "[]"));
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        QCOMPARE(book.quantityAt(BookSide::Bid, 847697000000), 30000000000);
        QVERIFY(update(3, 5, "[]", "[[\"8476.98\",\"0\",\"0\",\"0\"]]"));
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        QCOMPARE(book.best(BookSide::Ask).price, 847700000000); // 8477 after 8476.98 left
        // seqId 0 is a valid id (the smallest there is).
        QVERIFY(update(5, 0, "[]", "[[\"8477\",\"8\",\"0\",\"2\"]]"));
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        QVERIFY(update(0, 6, "[]", "[[\"8477\",\"9\",\"0\",\"2\"]]"));
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        QCOMPARE(book.best(BookSide::Ask).qty, 900000000);
        // A broken chain is a gap; what follows waits for the next snapshot.
        QVERIFY(update(7, 9, "[[\"8470\",\"1\",\"0\",\"1\"]]", "[]"));
        QCOMPARE(sink.results.back(), ApplyResult::Gap);
        QCOMPARE(book.quantityAt(BookSide::Bid, 847000000000), 0);
        QVERIFY(update(9, 10, "[]", "[]"));
        QCOMPARE(sink.results.back(), ApplyResult::NotSynced);
        QVERIFY(protocol.decode(docBooks("snapshot"), false, sink));
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QVERIFY(update(123456, 123500, "[[\"8476.97\",\"1\",\"0\",\"1\"]]", "[]"));
        QCOMPARE(sink.results.back(), ApplyResult::Applied);
        QCOMPARE(book.best(BookSide::Bid).qty, 100000000);
        // No checksum to verify when OKX sends 0.
        QVERIFY(!sink.deltas.back().checksum);
    }

    void controlFramesAndHeartbeat()
    {
        OkxProtocol protocol;
        QCOMPARE(protocol.venue(), QStringLiteral("okx"));
        QCOMPARE(protocol.url(), QUrl(QStringLiteral("wss://ws.okx.com:8443/ws/v5/public")));
        const HeartbeatPolicy policy = protocol.heartbeat();
        QCOMPARE(policy.appPing, QByteArray("ping"));
        QVERIFY(policy.pingInterval < std::chrono::seconds(30)); // OKX drops a link silent for 30 s
        QVERIFY(policy.pingInterval > std::chrono::milliseconds(0));
        QCOMPARE(protocol.maintainedDepth(), 400u);
        QCOMPARE(protocol.resyncMethod(), ResyncMethod::Resubscribe);

        Sink sink;
        QCOMPARE(protocol.decode("pong", false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Heartbeat);
        QCOMPARE(protocol.decode(fixtureLines("okx_v5_doc_samples_2026-06-27.jsonl").at(1), false, sink).status,
                 DecodeResult::Status::Ignored); // subscribe ack
        const DecodeResult error
            = protocol.decode(fixtureLines("okx_v5_doc_samples_2026-06-27.jsonl").at(2), false, sink);
        QCOMPARE(error.status, DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Error);
        QCOMPARE(sink.statuses.back().code, 60012);
        QVERIFY(sink.statuses.back().message.startsWith(QStringLiteral("Invalid request")));
        QCOMPARE(protocol
                     .decode("{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be "
                             "closed for a service upgrade.\",\"connId\":\"a4d3ae55\"}",
                             false, sink)
                     .status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.statuses.back().kind, VenueStatus::Kind::Info);
        QCOMPARE(sink.statuses.back().code, 64008);
        QVERIFY(sink.trades.empty() && sink.tickers.empty() && sink.snapshots.empty());
    }

    void subscribeRequests()
    {
        OkxProtocol protocol;
        const auto frames = protocol.subscribeFrames({QStringLiteral("BTC-USDT"), QStringLiteral("ETH-USDT")});
        QCOMPARE(frames.size(), 1u);
        QVERIFY(!frames.front().binary);
        const QJsonObject request = objectOf(frames.front().data);
        QCOMPARE(request[QLatin1String("op")].toString(), QStringLiteral("subscribe"));
        const QJsonArray args = request[QLatin1String("args")].toArray();
        QCOMPARE(args.size(), 6);
        QCOMPARE(args[0].toObject(),
                 (QJsonObject {{QStringLiteral("channel"), QStringLiteral("books")},
                               {QStringLiteral("instId"), QStringLiteral("BTC-USDT")}}));
        QCOMPARE(objectOf(protocol.unsubscribeFrames({QStringLiteral("BTC-USDT")}).front().data)[QLatin1String("op")],
                 QStringLiteral("unsubscribe"));

        // Many instruments: split so no request comes near OKX's 64 KB limit.
        QStringList many;
        for (int i = 0; i < 100; ++i)
            many << QStringLiteral("COIN%1-USDT").arg(i);
        const auto batches = protocol.subscribeFrames(many);
        QCOMPARE(batches.size(), 2u);
        int total = 0;
        for (const OutgoingFrame &frame : batches) {
            QVERIFY(frame.data.size() < 64 * 1024);
            total += static_cast<int>(objectOf(frame.data)[QLatin1String("args")].toArray().size());
        }
        QCOMPARE(total, 300);

        const auto resync = protocol.resyncFrames(QStringLiteral("BTC-USDT"));
        QCOMPARE(resync.size(), 2u);
        QCOMPARE(resync[0].data,
                 QByteArray("{\"args\":[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}],\"op\":"
                            "\"unsubscribe\"}"));
        QCOMPARE(resync[1].data,
                 QByteArray("{\"args\":[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}],\"op\":\"subscribe\"}"));
    }

    void replayLearnsInstruments()
    {
        // No wanted symbols: every instId seen joins the table (default scales 8/8), announced once.
        OkxProtocol protocol;
        QVERIFY(protocol.fixedInstruments().empty());
        Sink sink;
        QVERIFY(protocol.decode(docPushes().at(2), false, sink)); // the tickers sample
        QCOMPARE(sink.instruments.size(), 1u);
        QCOMPARE(sink.instruments.front().symbol, QStringLiteral("BTC-USDT"));
        QCOMPARE(sink.instruments.front().venue, QStringLiteral("okx"));
        QCOMPARE(sink.tickers.size(), 1u);
        QCOMPARE(sink.tickers.front().last, 999999000000);
        QCOMPARE(sink.tickers.front().exchangeTimeUs, 1597026383085000);

        // With wanted symbols the table is fixed and other instruments are left alone.
        OkxProtocol fixed(QUrl(), {QStringLiteral("ETH-USDT")});
        QCOMPARE(fixed.fixedInstruments().size(), 1u);
        Sink other;
        QCOMPARE(fixed.decode(docPushes().at(2), false, other).status, DecodeResult::Status::Ignored);
        QVERIFY(other.tickers.empty());
    }

    void badFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << QByteArray("not json at all");
        QTest::newRow("truncated") << QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":"
                                                 "\"snapshot\",\"data\":[{\"asks\":[[\"8476.98\",\"41");
        QTest::newRow("array root") << QByteArray("[1,2,3]");
        QTest::newRow("data not array") << QByteArray("{\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"},"
                                                      "\"data\":{\"last\":\"1\"}}");
        QTest::newRow("arg not object") << QByteArray("{\"arg\":\"tickers\",\"data\":[]}");
        QTest::newRow("no instId") << QByteArray("{\"arg\":{\"channel\":\"tickers\"},\"data\":[]}");
        QTest::newRow("unknown channel") << QByteArray("{\"arg\":{\"channel\":\"weather\",\"instId\":\"BTC-USDT\"},"
                                                       "\"data\":[]}");
        QTest::newRow("books without action") << QByteArray(
            "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[],\"bids\":[]}]}");
        QTest::newRow("books without bids")
            << QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":["
                          "{\"asks\":[]}]}");
        QTest::newRow("level not an array")
            << QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":["
                          "{\"asks\":[\"8476.98\"],\"bids\":[]}]}");
        QTest::newRow("price wrong type")
            << QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":["
                          "{\"asks\":[[true,\"1\",\"0\",\"1\"]],\"bids\":[]}]}");
        QTest::newRow("too precise") << QByteArray(
            "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":["
            "{\"asks\":[[\"1.000000001\",\"1\",\"0\",\"1\"]],\"bids\":[]}]}");
        QTest::newRow("seqId wrong type")
            << QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":["
                          "{\"asks\":[],\"bids\":[],\"seqId\":\"x\",\"prevSeqId\":1}]}");
        QTest::newRow("trade without px") << QByteArray("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},"
                                                        "\"data\":[{\"sz\":\"1\",\"side\":\"buy\"}]}");
        QTest::newRow("trade bad side") << QByteArray("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},"
                                                      "\"data\":[{\"px\":\"1\",\"sz\":\"1\",\"side\":\"up\"}]}");
        QTest::newRow("ticker wrong type") << QByteArray("{\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"},"
                                                         "\"data\":[{\"last\":{\"px\":1}}]}");
        QTest::newRow("neither data nor event") << QByteArray("{\"id\":\"1\"}");
    }

    void badFrames()
    {
        QFETCH(QByteArray, frame);
        OkxProtocol protocol(QUrl(), {QStringLiteral("BTC-USDT")});
        Sink sink;
        const DecodeResult result = protocol.decode(frame, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(sink.snapshots.empty() && sink.trades.empty() && sink.tickers.empty());
        // The protocol is still usable afterwards.
        QVERIFY(protocol.decode(docBooks("snapshot"), false, sink));
        QCOMPARE(sink.snapshots.size(), 1u);
    }

    void badFramesAreCountedAndSurvived()
    {
        test::LoopbackServer server(QStringLiteral("okx"), QStringLiteral("/ws/v5/public"));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<OkxProtocol>(server.url(), QStringList {QStringLiteral("BTC-USDT")}),
                            feedConfig(QStringLiteral("okx")), handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 5000);
        server.send("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":[{"
                    "\"asks\":[[\"8476.98\",\"41"); // truncated
        server.send("not json");
        server.send("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"px\":false}]}");
        server.send("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"data\":[]}"); // no action
        // Integers beyond 2^64 in fields the decoder does not need are no reason to fail.
        server.send(
            "{\"big\":123456789012345678901234567890,\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-"
            "USDT\",\"uid\":18446744073709551617},\"data\":[{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\","
            "\"last\":\"30236\",\"open24h\":\"29700.4\",\"high24h\":\"31073\",\"low24h\":\"28020.3\","
            "\"vol24h\":\"17602.13085371\",\"seqNo\":98765432109876543210987654321,\"ts\":\"1652459224956\"}]}");
        server.send("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\","
                    "\"tradeId\":\"338476307\",\"px\":\"30236\",\"sz\":\"0.0002\",\"side\":\"buy\",\"ts\":"
                    "\"1652459224818\",\"count\":99999999999999999999999}]}");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, 6u, 5000);
        QCOMPARE(feed.status().decodeErrors, 4u);
        QCOMPARE(feed.status().framesDecoded, 2u);
        QCOMPARE(feed.market().entry(0).quote.open24h, 2970040000000);
        QCOMPARE(feed.market().entry(0).quote.volume24h, 1760213085371);
        QCOMPARE(feed.market().recentTrades(0).size(), 1u);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void instrumentList_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("symbols");
        QTest::addColumn<bool>("error");
        const QByteArray spot
            = "{\"alias\":\"\",\"baseCcy\":\"BTC\",\"category\":\"1\",\"ctMult\":\"\",\"ctType\":\"\",\"ctVal\":\"\","
              "\"ctValCcy\":\"\",\"expTime\":\"\",\"instFamily\":\"\",\"instId\":\"BTC-USDT\",\"instType\":\"SPOT\","
              "\"lever\":\"10\",\"listTime\":\"1606468572000\",\"lotSz\":\"0.00000001\",\"maxLmtSz\":\"10000\","
              "\"minSz\":\"0.00001\",\"optType\":\"\",\"quoteCcy\":\"USDT\",\"settleCcy\":\"\",\"state\":\"live\","
              "\"stk\":\"\",\"tickSz\":\"0.1\",\"uly\":\"\"}";
        const QByteArray swap
            = "{\"baseCcy\":\"\",\"ctMult\":\"1\",\"ctType\":\"inverse\",\"ctVal\":\"100\",\"ctValCcy\":\"USD\","
              "\"instFamily\":\"BTC-USD\",\"instId\":\"BTC-USD-SWAP\",\"instType\":\"SWAP\",\"lotSz\":\"1\","
              "\"quoteCcy\":\"\",\"settleCcy\":\"BTC\",\"state\":\"live\",\"tickSz\":\"0.10\",\"uly\":\"BTC-USD\"}";
        const QByteArray suspended = "{\"baseCcy\":\"OLD\",\"instId\":\"OLD-USDT\",\"instType\":\"SPOT\",\"lotSz\":"
                                     "\"1\",\"quoteCcy\":\"USDT\","
                                     "\"state\":\"suspend\",\"tickSz\":\"0.01\"}";
        const QByteArray noTick = "{\"baseCcy\":\"ETH\",\"instId\":\"ETH-USDT\",\"instType\":\"SPOT\",\"lotSz\":"
                                  "\"0.000001\",\"quoteCcy\":\"USDT\",\"state\":\"live\"}";
        QTest::newRow("spot, swap, suspended")
            << QByteArray("{\"code\":\"0\",\"msg\":\"\",\"data\":[" + spot + "," + swap + "," + suspended + "]}")
            << QStringList {QStringLiteral("BTC-USDT"), QStringLiteral("BTC-USD-SWAP")} << false;
        QTest::newRow("one malformed entry")
            << QByteArray("{\"code\":\"0\",\"msg\":\"\",\"data\":[" + noTick + "," + spot + "]}")
            << QStringList {QStringLiteral("BTC-USDT")} << true;
        QTest::newRow("venue error") << QByteArray("{\"code\":\"51001\",\"msg\":\"Instrument ID does not exist\","
                                                   "\"data\":[]}")
                                     << QStringList {} << true;
        QTest::newRow("not json") << QByteArray("<html>502</html>") << QStringList {} << true;
        QTest::newRow("data wrong type") << QByteArray("{\"code\":\"0\",\"data\":{}}") << QStringList {} << true;
    }

    void instrumentList()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, symbols);
        QFETCH(bool, error);
        QString message;
        const std::vector<Instrument> list = OkxProtocol::parseInstrumentList(body, &message);
        QStringList got;
        for (const Instrument &i : list)
            got << i.symbol;
        QCOMPARE(got, symbols);
        QCOMPARE(!message.isEmpty(), error);
        for (const Instrument &i : list) {
            QCOMPARE(i.venue, QStringLiteral("okx"));
            if (i.symbol == QLatin1String("BTC-USDT")) {
                QCOMPARE(i.kind, InstrumentKind::Spot);
                QCOMPARE(i.base, QStringLiteral("BTC"));
                QCOMPARE(i.quote, QStringLiteral("USDT"));
                QCOMPARE(i.priceScale, 1);
                QCOMPARE(i.tickSize, 1);
                QCOMPARE(i.qtyScale, 8);
                QCOMPARE(i.lotSize, 1);
            } else {
                QCOMPARE(i.kind, InstrumentKind::Perpetual);
                QCOMPARE(i.base, QStringLiteral("BTC"));
                QCOMPARE(i.quote, QStringLiteral("USD"));
                QCOMPARE(i.priceScale, 1); // "0.10"
                QCOMPARE(i.tickSize, 1);
                QCOMPARE(i.qtyScale, 0);
            }
        }
        QCOMPARE(OkxProtocol::instrumentListUrl(),
                 QUrl(QStringLiteral("https://www.okx.com/api/v5/public/instruments?instType=SPOT")));
        QCOMPARE(OkxProtocol::instrumentListUrl(QUrl(QStringLiteral("http://127.0.0.1:8080"))),
                 QUrl(QStringLiteral("http://127.0.0.1:8080/api/v5/public/instruments?instType=SPOT")));
    }

    void catalogScalesAreUsed()
    {
        // The catalogue's scales decide the mantissas; a finer price than the tick is an error.
        Instrument btc;
        btc.symbol = QStringLiteral("BTC-USDT");
        btc.priceScale = 1;
        btc.qtyScale = 8;
        OkxProtocol protocol(QUrl(), {QStringLiteral("BTC-USDT")}, {btc});
        QCOMPARE(protocol.fixedInstruments().front().priceScale, 1);
        Sink sink;
        // last 9999.99: finer than 0.1
        QCOMPARE(protocol.decode(docPushes().at(2), false, sink).status, DecodeResult::Status::Error);
        QVERIFY(sink.tickers.empty());
        QVERIFY(protocol.decode(docPushes().at(5), false, sink)); // trade 42219.9
        QCOMPARE(sink.trades.back().price, 422199);
    }
};

QTEST_GUILESS_MAIN(TestOkx)
#include "tst_okx.moc"
