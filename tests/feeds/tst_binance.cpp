// Binance Spot: decoding of every stream and control message, the documented local order book
// procedure (buffer, snapshot too old → fetched again, U/u rules, gap → resync), and the whole path
// through a FeedConnection: a loopback WebSocket server replays the recorded combined stream while a
// loopback HTTP server answers the REST depth snapshots recorded with it. The books the engine ends
// with are compared level by level with a replay computed here from the fixture text.
#include "binanceprotocol.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <map>

using namespace tickscope;

namespace {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/exchanges/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

QList<QByteArray> lines(const char *name)
{
    QList<QByteArray> out;
    for (const QByteArray &line : fixture(name).split('\n')) {
        if (!line.trimmed().isEmpty())
            out.append(line);
    }
    return out;
}

/// The documented sample whose top-level "e" is `event` (raw payload, not combined).
QByteArray docSample(const char *event)
{
    for (const QByteArray &line : lines("binance_spot_doc_samples.jsonl")) {
        if (QJsonDocument::fromJson(line).object().value(QLatin1String("e")).toString() == QLatin1String(event))
            return line;
    }
    qFatal("no documented %s sample", event);
}

/// The recorded combined stream, one frame per line.
QList<QByteArray> recordedStream()
{
    return lines("binance_spot_recorded_2021-10-12_combined_stream.jsonl");
}

/// The recorded REST depth responses by symbol, exactly as received (the "response" text).
QHash<QString, QByteArray> recordedSnapshots()
{
    QHash<QString, QByteArray> out;
    for (const QByteArray &line : lines("binance_spot_recorded_2021-10-12_rest_depth_snapshots.jsonl")) {
        const QJsonObject record = QJsonDocument::fromJson(line).object();
        const QUrl request(record.value(QLatin1String("request")).toString());
        const QString symbol = QUrlQuery(request).queryItemValue(QStringLiteral("symbol"));
        const qsizetype start = line.indexOf("\"response\":") + 11;
        const qsizetype end = line.lastIndexOf('}'); // the record's own closing brace
        out.insert(symbol, line.mid(start, end - start));
    }
    return out;
}

const QStringList kRecordedSymbols {QStringLiteral("NKNUSDT"), QStringLiteral("BLZETH"), QStringLiteral("LRCBTC"),
                                    QStringLiteral("RUNEEUR")};

// ---------------------------------------------------------------------------------------------
// The independent replay: the documented procedure on plain maps of the decimal text.

/// Price text → quantity text; keys left-padded so that text order is numeric order (Binance
/// writes every price with the same number of decimals).
using TextSide = std::map<QByteArray, QByteArray>;

struct TextBook
{
    TextSide bids;
    TextSide asks;
    quint64 updateId = 0;
};

QByteArray sortKey(const QByteArray &price)
{
    return price.rightJustified(40, '0');
}

/// The price text back from its sort key.
QByteArray unpadded(QByteArray key)
{
    while (key.size() > 1 && key.startsWith('0') && key[1] != '.')
        key.remove(0, 1);
    return key;
}

bool isZero(const QByteArray &qty)
{
    for (const char c : qty) {
        if (c != '0' && c != '.')
            return false;
    }
    return true;
}

/// "0.35210000" → "0.3521", "5.00000000" → "5".
QByteArray trimmedDecimal(QByteArray text)
{
    if (text.contains('.')) {
        while (text.endsWith('0'))
            text.chop(1);
        if (text.endsWith('.'))
            text.chop(1);
    }
    return text;
}

void setLevels(TextSide &side, const QJsonArray &levels)
{
    for (const QJsonValue &level : levels) {
        const QByteArray price = level[0].toString().toLatin1();
        const QByteArray qty = level[1].toString().toLatin1();
        if (isZero(qty))
            side.erase(sortKey(price));
        else
            side[sortKey(price)] = qty;
    }
}

/// The depth diffs of one symbol in stream order.
QList<QJsonObject> diffsOf(const QList<QByteArray> &stream, const QString &symbol)
{
    QList<QJsonObject> out;
    for (const QByteArray &frame : stream) {
        const QJsonObject data = QJsonDocument::fromJson(frame).object().value(QLatin1String("data")).toObject();
        if (data.value(QLatin1String("e")).toString() == QLatin1String("depthUpdate")
            && data.value(QLatin1String("s")).toString() == symbol)
            out.append(data);
    }
    return out;
}

/// The book the documented procedure gives: the snapshot, then every diff with u > lastUpdateId,
/// the first one checked against U <= lastUpdateId + 1 <= u and each later one against U == u + 1.
/// `applied` (if given) receives the number of diffs applied; stops after `upTo` diffs of the list.
TextBook replay(const QByteArray &snapshotBody, const QList<QJsonObject> &diffs, int *applied = nullptr,
                qsizetype upTo = -1)
{
    const QJsonObject snapshot = QJsonDocument::fromJson(snapshotBody).object();
    TextBook book;
    setLevels(book.bids, snapshot.value(QLatin1String("bids")).toArray());
    setLevels(book.asks, snapshot.value(QLatin1String("asks")).toArray());
    book.updateId = static_cast<quint64>(snapshot.value(QLatin1String("lastUpdateId")).toInteger());
    int count = 0;
    for (qsizetype i = 0; i < (upTo < 0 ? diffs.size() : upTo); ++i) {
        const QJsonObject &diff = diffs[i];
        const auto first = static_cast<quint64>(diff.value(QLatin1String("U")).toInteger());
        const auto last = static_cast<quint64>(diff.value(QLatin1String("u")).toInteger());
        if (last <= book.updateId)
            continue;
        if (first > book.updateId + 1)
            qFatal("the fixture has a gap");
        setLevels(book.bids, diff.value(QLatin1String("b")).toArray());
        setLevels(book.asks, diff.value(QLatin1String("a")).toArray());
        book.updateId = last;
        ++count;
    }
    if (applied)
        *applied = count;
    return book;
}

/// A REST depth response holding `book` (best levels first, as Binance sends them).
QByteArray depthBody(const TextBook &book)
{
    QByteArray out = "{\"lastUpdateId\":" + QByteArray::number(book.updateId) + ",\"bids\":[";
    bool first = true;
    for (auto it = book.bids.rbegin(); it != book.bids.rend(); ++it) {
        out += (first ? "" : ",") + QByteArray("[\"") + unpadded(it->first) + "\",\"" + it->second + "\"]";
        first = false;
    }
    out += "],\"asks\":[";
    first = true;
    for (const auto &[key, qty] : book.asks) {
        out += (first ? "" : ",") + QByteArray("[\"") + unpadded(key) + "\",\"" + qty + "\"]";
        first = false;
    }
    return out + "]}";
}

using TextLevels = QList<QPair<QByteArray, QByteArray>>;

/// One side of the replayed book, best first, as trimmed decimal text.
TextLevels textLevels(const TextSide &side, bool bids)
{
    TextLevels out;
    const auto add = [&out](const QByteArray &key, const QByteArray &qty) {
        out.append({trimmedDecimal(unpadded(key)), trimmedDecimal(qty)});
    };
    if (bids) {
        for (auto it = side.rbegin(); it != side.rend(); ++it)
            add(it->first, it->second);
    } else {
        for (const auto &[key, qty] : side)
            add(key, qty);
    }
    return out;
}

/// One side of the engine's book, best first, as trimmed decimal text.
TextLevels engineLevels(const OrderBook &book, BookSide side, const Instrument &instrument)
{
    TextLevels out;
    const auto levels = book.levels(side); // worst first
    for (auto it = levels.rbegin(); it != levels.rend(); ++it)
        out.append({QByteArray::fromStdString(formatDecimalTrimmed(it->price, instrument.priceScale)),
                    QByteArray::fromStdString(formatDecimalTrimmed(it->qty, instrument.qtyScale))});
    return out;
}

// ---------------------------------------------------------------------------------------------

/// Collects the events of decode() calls.
class RecordingSink : public EventSink
{
public:
    void onInstruments(const std::vector<Instrument> &instruments) override { announced.push_back(instruments); }
    void onSnapshot(const BookSnapshot &snapshot) override { snapshots.push_back(snapshot); }
    void onDelta(const BookDelta &delta) override { deltas.push_back(delta); }
    void onTrade(const Trade &trade) override { trades.push_back(trade); }
    void onTicker(const Ticker &ticker) override { tickers.push_back(ticker); }
    void onBestQuote(const BestQuote &quote) override { bestQuotes.push_back(quote); }
    void onStatus(const VenueStatus &status) override { statuses.push_back(status); }
    std::size_t marketEvents() const
    {
        return snapshots.size() + deltas.size() + trades.size() + tickers.size() + bestQuotes.size() + statuses.size();
    }

    std::vector<std::vector<Instrument>> announced;
    std::vector<BookSnapshot> snapshots;
    std::vector<BookDelta> deltas;
    std::vector<Trade> trades;
    std::vector<Ticker> tickers;
    std::vector<BestQuote> bestQuotes;
    std::vector<VenueStatus> statuses;
};

Instrument catalogEntry(const char *symbol, int priceScale, int qtyScale)
{
    Instrument i;
    i.venue = QStringLiteral("binance");
    i.symbol = QLatin1String(symbol);
    i.priceScale = priceScale;
    i.qtyScale = qtyScale;
    return i;
}

/// A depthUpdate for BNBBTC with updates first..last and one bid level.
QByteArray depthFrame(quint64 first, quint64 last, const char *bidPrice = "0.0024", const char *bidQty = "10")
{
    return "{\"stream\":\"bnbbtc@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1672515782136,\"s\":\"BNBBTC\","
           "\"U\":"
        + QByteArray::number(first) + ",\"u\":" + QByteArray::number(last) + ",\"b\":[[\"" + bidPrice + "\",\"" + bidQty
        + "\"]],\"a\":[[\"0.0026\",\"100\"]]}}";
}

QByteArray depthSnapshotBody(quint64 lastUpdateId)
{
    return "{\"lastUpdateId\":" + QByteArray::number(lastUpdateId)
        + ",\"bids\":[[\"0.00240000\",\"5.00000000\"],[\"0.00230000\",\"7.00000000\"]],\"asks\":[[\"0.00260000\","
          "\"1.00000000\"]]}";
}

// ---------------------------------------------------------------------------------------------
// Loopback servers.

/// Replays frames to the connected client; records the frames it receives with their arrival time.
class StreamServer : public QObject
{
public:
    StreamServer()
        : server(QStringLiteral("binance"), QWebSocketServer::NonSecureMode)
    {
        clock.start();
        QVERIFY(server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0));
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            client = server.nextPendingConnection();
            client->setParent(this);
            ++connections;
            paths.append(client->requestUrl().path());
            connect(client, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                received.append(QJsonDocument::fromJson(text.toUtf8()).object());
                arrivalMs.append(clock.elapsed());
            });
            connect(client, &QWebSocket::pong, this,
                    [this](quint64, const QByteArray &payload) { pongPayloads.append(payload); });
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.serverPort())); }
    void send(const QByteArray &frame) { client->sendTextMessage(QString::fromUtf8(frame)); }

    QWebSocketServer server;
    QWebSocket *client = nullptr;
    int connections = 0;
    QStringList paths;
    QList<QJsonObject> received;
    QList<qint64> arrivalMs;
    QList<QByteArray> pongPayloads;
    QElapsedTimer clock;
};

/// A tiny HTTP/1.1 server answering GET /api/v3/depth?symbol=X with the bodies queued for X (the
/// last one again once the queue is used up); the first `failures[X]` requests get a 500.
class RestServer : public QObject
{
public:
    RestServer()
    {
        clock.start();
        QVERIFY(server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0));
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())); }
    int requestsFor(const QString &symbol) const { return static_cast<int>(requests.count(symbol)); }

    QTcpServer server;
    QHash<QString, QList<QByteArray>> bodies;
    QHash<QString, int> failures;
    QStringList requests; // symbol of every depth request, in order
    QList<qint64> requestMs; // and when it came
    QStringList paths;
    QElapsedTimer clock;

private:
    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        buffer.clear();
        QByteArray status = "404 Not Found";
        QByteArray body = "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
        if (requestLine.size() == 3 && requestLine[0] == "GET") {
            const QUrl target(QString::fromLatin1(requestLine[1]));
            paths.append(target.path());
            const QString symbol = QUrlQuery(target).queryItemValue(QStringLiteral("symbol"));
            if (target.path() == QLatin1String("/api/v3/depth") && bodies.contains(symbol)) {
                const int index = static_cast<int>(requests.count(symbol));
                requests.append(symbol);
                requestMs.append(clock.elapsed());
                if (failures.value(symbol) > index) {
                    status = "500 Internal Server Error";
                    body = "{\"code\":-1000,\"msg\":\"An unknown error occurred.\"}";
                } else {
                    const QList<QByteArray> &queue = bodies[symbol];
                    status = "200 OK";
                    body = queue[std::min<qsizetype>(index - failures.value(symbol), queue.size() - 1)];
                }
            }
        }
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QHash<QTcpSocket *, QByteArray> m_buffers;
};

FeedConfig feedConfig()
{
    FeedConfig config;
    config.name = QStringLiteral("binance");
    config.backoffBase = std::chrono::milliseconds(20);
    config.backoffCap = std::chrono::milliseconds(100);
    config.minPublishInterval = std::chrono::milliseconds(1);
    config.proxy = QNetworkProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    return config;
}

BinanceProtocol &binanceOf(FeedConnection &feed)
{
    return dynamic_cast<BinanceProtocol &>(feed.protocol());
}

} // namespace

class TestBinance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void endpoints()
    {
        BinanceProtocol defaults;
        QCOMPARE(defaults.venue(), QStringLiteral("binance"));
        QCOMPARE(defaults.url(), QUrl(QStringLiteral("wss://stream.binance.com:9443/stream")));
        QCOMPARE(defaults.restSnapshotUrl(QStringLiteral("BNBBTC")),
                 QUrl(QStringLiteral("https://api.binance.com/api/v3/depth?symbol=BNBBTC&limit=1000")));
        QCOMPARE(BinanceProtocol::instrumentListUrl(QUrl(QStringLiteral("https://api.binance.com"))),
                 QUrl(QStringLiteral("https://api.binance.com/api/v3/exchangeInfo?permissions=SPOT")));
        QCOMPARE(defaults.resyncMethod(), ResyncMethod::RestSnapshot);
        QCOMPARE(defaults.maxConnectionAge().count(), 24 * 3600);
        QVERIFY(defaults.maxControlFramesPerSecond() > 0 && defaults.maxControlFramesPerSecond() < 5);
        QVERIFY(defaults.heartbeat().pingInterval.count() > 0);
        QVERIFY(defaults.fixedInstruments().empty()); // replay: learns the symbols it sees

        BinanceProtocol testnet(QUrl(QStringLiteral("wss://stream.testnet.binance.vision/")),
                                QUrl(QStringLiteral("https://testnet.binance.vision")), {QStringLiteral("BTCUSDT")});
        QCOMPARE(testnet.url(), QUrl(QStringLiteral("wss://stream.testnet.binance.vision/stream")));
        QCOMPARE(testnet.fixedInstruments().size(), 1u);
        QCOMPARE(testnet.fixedInstruments().front().symbol, QStringLiteral("BTCUSDT"));
    }

    void subscribeFramesAreBatchedWithIds()
    {
        QStringList symbols;
        for (int i = 0; i < 300; ++i)
            symbols.append(QStringLiteral("SYM%1USDT").arg(i));
        BinanceProtocol protocol(QUrl(QStringLiteral("wss://stream.binance.com:9443")),
                                 QUrl(QStringLiteral("https://api.binance.com")), symbols);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("at most 1024 streams: 44 symbols")));
        const std::vector<OutgoingFrame> frames = protocol.subscribeFrames(symbols);
        QCOMPARE(frames.size(), 6u); // 1024 streams, 200 per frame
        QStringList streams;
        for (std::size_t i = 0; i < frames.size(); ++i) {
            QVERIFY(!frames[i].binary);
            const QJsonObject request = QJsonDocument::fromJson(frames[i].data).object();
            QCOMPARE(request.value(QLatin1String("method")).toString(), QStringLiteral("SUBSCRIBE"));
            QCOMPARE(request.value(QLatin1String("id")).toInteger(), static_cast<qint64>(i + 1));
            const QJsonArray params = request.value(QLatin1String("params")).toArray();
            QCOMPARE(params.size(), i < 5 ? 200 : 24);
            for (const QJsonValue &p : params)
                streams.append(p.toString());
        }
        QCOMPARE(streams.size(), BinanceProtocol::kMaxStreamsPerConnection);
        QCOMPARE(protocol.subscribedStreams(), 1024);
        QCOMPARE(streams.mid(0, 4),
                 (QStringList {QStringLiteral("sym0usdt@depth@100ms"), QStringLiteral("sym0usdt@bookTicker"),
                               QStringLiteral("sym0usdt@aggTrade"), QStringLiteral("sym0usdt@ticker")}));
        QCOMPARE(streams.last(), QStringLiteral("sym255usdt@ticker")); // the 256th symbol fills the connection

        // Already subscribed: nothing to send. Unsubscribing frees room, with the next id.
        QVERIFY(protocol.subscribeFrames({QStringLiteral("SYM1USDT")}).empty());
        const auto off = protocol.unsubscribeFrames({QStringLiteral("SYM1USDT"), QStringLiteral("SYM2USDT")});
        QCOMPARE(off.size(), 1u);
        const QJsonObject unsubscribe = QJsonDocument::fromJson(off.front().data).object();
        QCOMPARE(unsubscribe.value(QLatin1String("method")).toString(), QStringLiteral("UNSUBSCRIBE"));
        QCOMPARE(unsubscribe.value(QLatin1String("id")).toInteger(), 7);
        QCOMPARE(unsubscribe.value(QLatin1String("params")).toArray().size(), 8);
        QCOMPARE(protocol.subscribedStreams(), 1016);
        const auto more = protocol.subscribeFrames({QStringLiteral("SYM290USDT"), QStringLiteral("SYM291USDT")});
        QCOMPARE(more.size(), 1u);
        QCOMPARE(QJsonDocument::fromJson(more.front().data).object().value(QLatin1String("params")).toArray().size(),
                 8);

        protocol.reset(); // a new connection: ids and subscriptions start over
        const auto again = protocol.subscribeFrames({QStringLiteral("SYM0USDT")});
        QCOMPARE(QJsonDocument::fromJson(again.front().data).object().value(QLatin1String("id")).toInteger(), 1);
    }

    void bookTickerHasNoEventType()
    {
        RecordingSink sink;
        BinanceProtocol learning; // replay mode: every symbol seen is learned and announced
        // The documented raw payload (no "e", no stream name) and a recorded combined one.
        const QByteArray raw = "{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\",\"a\":"
                               "\"25.36520000\",\"A\":\"40.66000000\"}";
        QCOMPARE(learning.decode(raw, false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.announced.size(), 1u);
        QCOMPARE(sink.announced.back().back().symbol, QStringLiteral("BNBUSDT"));
        const QByteArray recorded = recordedStream().at(7);
        QVERIFY(recorded.contains("nknusdt@bookTicker"));
        QCOMPARE(learning.decode(recorded, false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.announced.back().back().symbol, QStringLiteral("NKNUSDT"));
        // Without "s" the symbol comes from the stream name.
        const QByteArray noSymbol = "{\"stream\":\"lrcbtc@bookTicker\",\"data\":{\"u\":259345545,\"b\":\"0.00000637\","
                                    "\"B\":\"6500.00000000\",\"a\":\"0.00000638\",\"A\":\"27122.00000000\"}}";
        QCOMPARE(learning.decode(noSymbol, false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.announced.back().back().symbol, QStringLiteral("LRCBTC"));
        // Each is the venue's touch, exact at the scales its text shows (8 decimals here).
        QCOMPARE(sink.bestQuotes.size(), 3u);
        QCOMPARE(sink.marketEvents(), 3u);
        QCOMPARE(sink.bestQuotes.front().bid, 2535190000);
        QCOMPARE(sink.bestQuotes.front().bidQty, 3121000000);
        QCOMPARE(sink.bestQuotes.front().ask, 2536520000);
        QCOMPARE(sink.bestQuotes.front().askQty, 4066000000);
        QCOMPARE(sink.bestQuotes.back().bid, 637);
        QCOMPARE(sink.bestQuotes.back().ask, 638);
        QVERIFY(learning.takeSnapshotRequests().isEmpty());

        // A symbol that is not followed is ignored.
        BinanceProtocol following(QUrl(), QUrl(), {QStringLiteral("BTCUSDT")});
        QCOMPARE(following.decode(raw, false, sink).status, DecodeResult::Status::Ignored);
    }

    void tradesAndAggregateTrades()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC"), QStringLiteral("NKNUSDT")},
                                 {catalogEntry("BNBBTC", 6, 2)});
        QVERIFY(protocol.decode(docSample("aggTrade"), false, sink));
        QVERIFY(protocol.decode(docSample("trade"), false, sink));
        QByteArray recorded;
        for (const QByteArray &frame : recordedStream()) {
            if (frame.contains("nknusdt@aggTrade"))
                recorded = frame;
        }
        QVERIFY(protocol.decode(recorded, false, sink));
        QCOMPARE(sink.trades.size(), 3u);
        const Trade &aggregate = sink.trades[0];
        QCOMPARE(aggregate.instrument, 0u);
        QCOMPARE(aggregate.price, 1000); // "0.001" at 6 decimals (the catalogue's scale)
        QCOMPARE(aggregate.qty, 10000); // "100" at 2 decimals
        QCOMPARE(aggregate.tradeId, 12345u); // "a"
        QCOMPARE(aggregate.side, Side::Sell); // the buyer was the maker
        QCOMPARE(aggregate.exchangeTimeUs, std::int64_t {1672515782136} * 1000);
        QCOMPARE(sink.trades[1].tradeId, 12345u); // "t"
        QCOMPARE(sink.trades[1].price, 1000);
        const Trade &nkn = sink.trades[2];
        QCOMPARE(nkn.instrument, 1u);
        QCOMPARE(nkn.price, 35280000); // "0.35280000" at the default 8 decimals
        QCOMPARE(nkn.qty, 5800000000);
        QCOMPARE(nkn.tradeId, 15683430u);
        QCOMPARE(nkn.side, Side::Buy);
    }

    void dayTicker()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")}, {catalogEntry("BNBBTC", 4, 0)});
        QCOMPARE(protocol.decode(docSample("24hrTicker"), false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.tickers.size(), 1u);
        const Ticker &t = sink.tickers.front();
        QCOMPARE(t.last, 25); // "0.0025" at 4 decimals
        QCOMPARE(t.open24h, 10);
        QCOMPARE(t.high24h, 25);
        QCOMPARE(t.low24h, 10);
        QCOMPARE(t.volume24h, 10000);
        QCOMPARE(t.exchangeTimeUs, std::int64_t {1672515782136} * 1000);
    }

    void acksErrorsAndShutdown()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")});
        QCOMPARE(protocol.decode("{\"result\":null,\"id\":1}", false, sink).status, DecodeResult::Status::Ignored);
        QCOMPARE(protocol.decode("{\"result\":[\"bnbbtc@aggTrade\"],\"id\":3}", false, sink).status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.marketEvents(), 0u);

        QCOMPARE(protocol.decode("{\"code\":2,\"msg\":\"Invalid request: too many parameters\",\"id\":7}", false, sink)
                     .status,
                 DecodeResult::Status::Ok);
        QCOMPARE(protocol.decode("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON\"},\"id\":8}", false, sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(protocol.decode("{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\"}", false, sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.statuses.size(), 3u);
        QCOMPARE(sink.statuses[0].kind, VenueStatus::Kind::Error);
        QCOMPARE(sink.statuses[0].code, 2);
        QCOMPARE(sink.statuses[0].message, QStringLiteral("Invalid request: too many parameters (request 7)"));
        QCOMPARE(sink.statuses[1].code, 3);
        QCOMPARE(sink.statuses[1].message, QStringLiteral("Invalid JSON (request 8)"));
        QCOMPARE(sink.statuses[2].message, QStringLiteral("Invalid value type: expected Boolean"));

        // serverShutdown, raw and combined (documented samples).
        const QList<QByteArray> samples = lines("binance_spot_doc_samples.jsonl");
        for (const QByteArray &line : samples) {
            if (line.contains("serverShutdown"))
                QCOMPARE(protocol.decode(line, false, sink).status, DecodeResult::Status::Ok);
        }
        QCOMPARE(sink.statuses.size(), 5u);
        QCOMPARE(sink.statuses[3].kind, VenueStatus::Kind::Info);
        QVERIFY(sink.statuses[3].message.contains(QLatin1String("shutdown")));
        QCOMPARE(sink.statuses[4].kind, VenueStatus::Kind::Info);

        // Streams we do not use (the recording has klines) are valid and ignored.
        for (const QByteArray &frame : recordedStream()) {
            if (frame.contains("@kline_1m"))
                QCOMPARE(protocol.decode(frame, false, sink).status, DecodeResult::Status::Ignored);
        }
        QCOMPARE(sink.statuses.size(), 5u);
    }

    void badFramesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("frame");
        const QByteArray depthHead = "{\"stream\":\"bnbbtc@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,"
                                     "\"s\":\"BNBBTC\",";
        const QByteArray tradeHead = "{\"stream\":\"bnbbtc@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1,\"s\":"
                                     "\"BNBBTC\",\"a\":5,";
        QTest::newRow("not JSON") << QByteArray("not json at all");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[[\"0.0024\"");
        QTest::newRow("array root") << QByteArray("[1,2,3]");
        QTest::newRow("string root") << QByteArray("\"depthUpdate\"");
        QTest::newRow("stream name not a string") << QByteArray("{\"stream\":5,\"data\":{}}");
        QTest::newRow("data not an object") << QByteArray("{\"stream\":\"bnbbtc@aggTrade\",\"data\":\"x\"}");
        QTest::newRow("combined without data") << QByteArray("{\"stream\":\"bnbbtc@aggTrade\"}");
        QTest::newRow("event type not a string") << QByteArray("{\"e\":5,\"s\":\"BNBBTC\"}");
        QTest::newRow("U is a string") << QByteArray(depthHead + "\"U\":\"157\",\"u\":160,\"b\":[],\"a\":[]}}");
        QTest::newRow("U missing") << QByteArray(depthHead + "\"u\":160,\"b\":[],\"a\":[]}}");
        QTest::newRow("u below U") << QByteArray(depthHead + "\"U\":160,\"u\":157,\"b\":[],\"a\":[]}}");
        QTest::newRow("U beyond 64 bits")
            << QByteArray(depthHead + "\"U\":18446744073709551616,\"u\":160,\"b\":[],\"a\":[]}}");
        QTest::newRow("bids not an array") << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":{},\"a\":[]}}");
        QTest::newRow("asks missing") << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[]}}");
        QTest::newRow("level not an array") << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[\"1\"],\"a\":[]}}");
        QTest::newRow("level without quantity")
            << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[[\"0.0024\"]],\"a\":[]}}");
        QTest::newRow("price is a boolean")
            << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[[true,\"1\"]],\"a\":[]}}");
        QTest::newRow("price finer than the tick")
            << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[[\"0.00240001\",\"1\"]],\"a\":[]}}");
        QTest::newRow("quantity not a number")
            << QByteArray(depthHead + "\"U\":157,\"u\":160,\"b\":[[\"0.0024\",\"1x\"]],\"a\":[]}}");
        QTest::newRow("depth without symbol")
            << QByteArray("{\"e\":\"depthUpdate\",\"U\":157,\"u\":160,\"b\":[],\"a\":[]}");
        QTest::newRow("trade without price") << QByteArray(tradeHead + "\"q\":\"1\",\"T\":1,\"m\":true}}");
        QTest::newRow("trade price is an object")
            << QByteArray(tradeHead + "\"p\":{},\"q\":\"1\",\"T\":1,\"m\":true}}");
        QTest::newRow("trade without maker flag") << QByteArray(tradeHead + "\"p\":\"0.001\",\"q\":\"1\",\"T\":1}}");
        QTest::newRow("trade without symbol") << QByteArray("{\"e\":\"trade\",\"t\":1,\"p\":\"1\",\"q\":\"1\"}");
        QTest::newRow("ticker without last price")
            << QByteArray("{\"e\":\"24hrTicker\",\"E\":1,\"s\":\"BNBBTC\",\"o\":\"0.001\"}");
        QTest::newRow("ticker high is text")
            << QByteArray("{\"e\":\"24hrTicker\",\"E\":1,\"s\":\"BNBBTC\",\"c\":\"0.001\",\"h\":\"high\"}");
        QTest::newRow("bookTicker without u")
            << QByteArray("{\"stream\":\"bnbbtc@bookTicker\",\"data\":{\"s\":\"BNBBTC\",\"b\":\"0.001\",\"B\":\"1\","
                          "\"a\":\"0.002\",\"A\":\"1\"}}");
        QTest::newRow("bookTicker ask missing")
            << QByteArray("{\"stream\":\"bnbbtc@bookTicker\",\"data\":{\"u\":1,\"s\":\"BNBBTC\",\"b\":\"0.001\","
                          "\"B\":\"1\",\"A\":\"1\"}}");
        QTest::newRow("error without msg") << QByteArray("{\"code\":2,\"id\":4}");
        QTest::newRow("unknown object") << QByteArray("{\"hello\":1}");
        QTest::newRow("stream payload without event") << QByteArray("{\"stream\":\"bnbbtc@weird\",\"data\":{\"x\":1}}");
    }

    void badFramesAreErrors()
    {
        QFETCH(QByteArray, frame);
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")}, {catalogEntry("BNBBTC", 6, 2)});
        const DecodeResult result = protocol.decode(frame, false, sink);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY(!result.error.isEmpty());
        QCOMPARE(sink.marketEvents(), 0u);
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 0u); // a bad diff is not kept
        QVERIFY(protocol.takeSnapshotRequests().isEmpty());
        // Survived: the next good frame decodes.
        QVERIFY(protocol.decode(docSample("aggTrade"), false, sink));
        QCOMPARE(sink.trades.size(), 1u);
    }

    void binaryFramesAreErrors()
    {
        RecordingSink sink;
        BinanceProtocol protocol;
        QCOMPARE(protocol.decode(docSample("aggTrade"), true, sink).status, DecodeResult::Status::Error);
    }

    void hugeIntegersInUnrelatedFields()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")}, {catalogEntry("BNBBTC", 6, 2)});
        // Event time beyond 2^64 and an unknown field beyond 2^63 around a good diff and trade.
        const QByteArray diff = "{\"stream\":\"bnbbtc@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":"
                                "18446744073709551616,\"x\":123456789012345678901234567890,\"s\":\"BNBBTC\",\"U\":157,"
                                "\"u\":160,\"b\":[[\"0.0024\",\"10\"]],\"a\":[]}}";
        QCOMPARE(protocol.decode(diff, false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 1u);
        const QByteArray trade = "{\"e\":\"aggTrade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"a\":12345,\"p\":\"0.001\","
                                 "\"q\":\"100\",\"f\":99999999999999999999,\"l\":9223372036854775808,\"T\":"
                                 "1672515782136,\"m\":false,\"M\":true}";
        QCOMPARE(protocol.decode(trade, false, sink).status, DecodeResult::Status::Ok);
        QCOMPARE(sink.trades.size(), 1u);
        QCOMPARE(sink.trades.front().price, 1000);
        QCOMPARE(sink.trades.front().side, Side::Buy);
        // The diff with the odd event time still syncs the book (time unknown: 0).
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(158), sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.deltas.size(), 1u);
        QCOMPARE(sink.deltas.front().exchangeTimeUs, 0);
        QCOMPARE(sink.deltas.front().sequence, 160u);
    }

    void exchangeInfo()
    {
        // Shaped like the documented GET /api/v3/exchangeInfo response.
        const QByteArray body
            = "{\"timezone\":\"UTC\",\"serverTime\":1565246363776,\"rateLimits\":[],\"exchangeFilters\":[],"
              "\"symbols\":["
              "{\"symbol\":\"ETHBTC\",\"status\":\"TRADING\",\"baseAsset\":\"ETH\",\"baseAssetPrecision\":8,"
              "\"quoteAsset\":\"BTC\",\"quotePrecision\":8,\"quoteAssetPrecision\":8,\"orderTypes\":[\"LIMIT\"],"
              "\"icebergAllowed\":true,\"filters\":["
              "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00000100\",\"maxPrice\":\"922327.00000000\","
              "\"tickSize\":\"0.00000100\"},"
              "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00010000\",\"maxQty\":\"100000.00000000\","
              "\"stepSize\":\"0.00010000\"},"
              "{\"filterType\":\"MIN_NOTIONAL\",\"minNotional\":\"0.00010000\"}],\"permissions\":[\"SPOT\"]},"
              "{\"symbol\":\"BNBUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"BNB\",\"quoteAsset\":\"USDT\","
              "\"filters\":[{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00100000\",\"maxQty\":\"9000.00000000\","
              "\"stepSize\":\"0.00100000\"},{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01000000\","
              "\"maxPrice\":\"1000000.00000000\",\"tickSize\":\"0.05000000\"}]},"
              "{\"symbol\":\"OLDBTC\",\"status\":\"BREAK\",\"baseAsset\":\"OLD\",\"quoteAsset\":\"BTC\",\"filters\":[]}"
              ","
              "{\"symbol\":\"SHIBUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"SHIB\",\"quoteAsset\":\"USDT\","
              "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00000001\",\"maxPrice\":"
              "\"1.00000000\",\"tickSize\":\"0.00000001\"},{\"filterType\":\"LOT_SIZE\",\"minQty\":\"1.00\","
              "\"maxQty\":\"92233743.00\",\"stepSize\":\"1.00\"}]},"
              "{\"symbol\":\"NOFILTER\",\"status\":\"TRADING\",\"baseAsset\":\"NO\",\"quoteAsset\":\"FILTER\","
              "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0\",\"maxPrice\":\"0\",\"tickSize\":"
              "\"0.00000000\"}]}"
              "]}";
        QString error = QStringLiteral("stale");
        const std::vector<Instrument> list = BinanceProtocol::parseInstrumentList(body, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(list.size(), 4u); // OLDBTC is not trading
        const Instrument &ethbtc = list[0];
        QCOMPARE(ethbtc.venue, QStringLiteral("binance"));
        QCOMPARE(ethbtc.symbol, QStringLiteral("ETHBTC"));
        QCOMPARE(ethbtc.base, QStringLiteral("ETH"));
        QCOMPARE(ethbtc.quote, QStringLiteral("BTC"));
        QCOMPARE(ethbtc.displayName, QStringLiteral("ETH / BTC"));
        QCOMPARE(ethbtc.priceScale, 6);
        QCOMPARE(ethbtc.tickSize, 1);
        QCOMPARE(ethbtc.qtyScale, 4);
        QCOMPARE(ethbtc.lotSize, 1);
        QCOMPARE(ethbtc.kind, InstrumentKind::Spot);
        const Instrument &bnb = list[1]; // filters in any order; a tick of 0.05
        QCOMPARE(bnb.priceScale, 2);
        QCOMPARE(bnb.tickSize, 5);
        QCOMPARE(bnb.qtyScale, 3);
        QCOMPARE(bnb.lotSize, 1);
        const Instrument &shib = list[2];
        QCOMPARE(shib.priceScale, 8);
        QCOMPARE(shib.qtyScale, 0);
        QCOMPARE(shib.lotSize, 1);
        const Instrument &nofilter = list[3]; // a zero tick disables the filter: the wire's 8 decimals
        QCOMPARE(nofilter.priceScale, 8);
        QCOMPARE(nofilter.tickSize, 1);
        QCOMPARE(nofilter.qtyScale, 8);

        // The parsed list drives decoding: prices with 8 wire decimals read at the tick's scale.
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("ETHBTC")}, list);
        QCOMPARE(protocol.fixedInstruments().front().priceScale, 6);
        QVERIFY(protocol.decode("{\"e\":\"trade\",\"E\":1,\"s\":\"ETHBTC\",\"t\":1,\"p\":\"0.06123400\",\"q\":"
                                "\"1.25000000\",\"T\":1,\"m\":true}",
                                false, sink));
        QCOMPARE(sink.trades.front().price, 61234);
        QCOMPARE(sink.trades.front().qty, 12500);

        for (const QByteArray &bad : {QByteArray("not json"), QByteArray("{\"timezone\":\"UTC\"}"),
                                      QByteArray("{\"symbols\":{}}"), QByteArray("{\"symbols\":[{\"symbol\":1}]}")}) {
            error.clear();
            QVERIFY(BinanceProtocol::parseInstrumentList(bad, &error).empty());
            QVERIFY2(!error.isEmpty(), bad.constData());
        }
        error = QStringLiteral("stale");
        QVERIFY(BinanceProtocol::parseInstrumentList("{\"symbols\":[]}", &error).empty());
        QVERIFY(error.isEmpty()); // an empty list is a valid answer
    }

    void documentedSyncProcedure()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")});
        OrderBook book; // the engine's check of what the protocol emits
        const auto feedEngine = [&](std::size_t &snapshotsSeen, std::size_t &deltasSeen) {
            std::vector<ApplyResult> results;
            for (; snapshotsSeen < sink.snapshots.size(); ++snapshotsSeen)
                book.applySnapshot(sink.snapshots[snapshotsSeen]);
            for (; deltasSeen < sink.deltas.size(); ++deltasSeen)
                results.push_back(book.applyDelta(sink.deltas[deltasSeen]));
            return results;
        };
        std::size_t snapshotsSeen = 0;
        std::size_t deltasSeen = 0;

        // Step 2: buffered; the first buffered diff asks for a snapshot, once.
        QVERIFY(protocol.decode(depthFrame(157, 160), false, sink));
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QVERIFY(protocol.decode(depthFrame(161, 163, "0.0023", "0"), false, sink));
        QVERIFY(protocol.takeSnapshotRequests().isEmpty());
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 2u);
        QCOMPARE(sink.marketEvents(), 0u);

        // Step 4: a snapshot older than the first buffered U is refused and fetched again.
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(155), sink).status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(sink.snapshots.size(), 0u);
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QVERIFY(!protocol.localUpdateId(QStringLiteral("BNBBTC")));

        // Steps 5-7: lastUpdateId 158 lies inside the first diff (157..160): it applies on top.
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(158), sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.snapshots.size(), 1u);
        QCOMPARE(sink.snapshots[0].sequence, 158u);
        QCOMPARE(sink.snapshots[0].bids.size(), 2u);
        QCOMPARE(sink.snapshots[0].bids[0], (Level {240000, 500000000})); // "0.00240000" / "5.00000000" at 8
        QCOMPARE(sink.deltas.size(), 2u);
        QCOMPARE(sink.deltas[0].prevSequence, 158u); // the book's id, so the engine accepts U <= L+1 <= u
        QCOMPARE(sink.deltas[0].sequence, 160u);
        QCOMPARE(sink.deltas[1].prevSequence, 160u);
        QCOMPARE(sink.deltas[1].sequence, 163u);
        QCOMPARE(feedEngine(snapshotsSeen, deltasSeen),
                 (std::vector<ApplyResult> {ApplyResult::Applied, ApplyResult::Applied}));
        QCOMPARE(book.quantityAt(BookSide::Bid, 230000), 0); // removed by the second diff
        QCOMPARE(protocol.localUpdateId(QStringLiteral("BNBBTC")), std::optional<std::uint64_t> {163});
        QVERIFY(protocol.takeSnapshotRequests().isEmpty());

        // Live: older diffs are dropped, the next one applies, a missing one is a gap.
        QVERIFY(protocol.decode(depthFrame(150, 163), false, sink));
        QCOMPARE(sink.deltas.size(), 2u);
        QVERIFY(protocol.decode(depthFrame(164, 170), false, sink));
        QVERIFY(protocol.decode(depthFrame(175, 180), false, sink)); // 171..174 never came
        QCOMPARE(sink.deltas.size(), 4u);
        QCOMPARE(sink.deltas[3].prevSequence, 174u);
        QCOMPARE(sink.deltas[3].sequence, 180u);
        QCOMPARE(feedEngine(snapshotsSeen, deltasSeen),
                 (std::vector<ApplyResult> {ApplyResult::Applied, ApplyResult::Gap}));
        // Buffering again, starting with the diff after the gap; a snapshot is asked for.
        QVERIFY(!protocol.localUpdateId(QStringLiteral("BNBBTC")));
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 1u);
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        protocol.beginResync(QStringLiteral("BNBBTC")); // the engine's resync: buffering already, nothing lost
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 1u);
        QVERIFY(protocol.decode(depthFrame(181, 182), false, sink));
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(181), sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.snapshots.back().sequence, 181u);
        QCOMPARE(sink.deltas.back().prevSequence, 181u);
        QCOMPARE(sink.deltas.back().sequence, 182u);
        QCOMPARE(feedEngine(snapshotsSeen, deltasSeen), (std::vector<ApplyResult> {ApplyResult::Applied}));
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.sequence(), 182u);

        // A late answer for a synced book changes nothing.
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(100), sink).status,
                 DecodeResult::Status::Ignored);
        // The engine's own resync (e.g. a crossed book) starts over: the next diff asks for a snapshot.
        protocol.beginResync(QStringLiteral("BNBBTC"));
        QVERIFY(!protocol.localUpdateId(QStringLiteral("BNBBTC")));
        QVERIFY(protocol.takeSnapshotRequests().isEmpty());
        QVERIFY(protocol.decode(depthFrame(183, 183), false, sink));
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        // An unreadable snapshot is an error and is asked for again.
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), "{\"lastUpdateId\":\"x\"}", sink).status,
                 DecodeResult::Status::Error);
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QCOMPARE(
            protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), "{\"lastUpdateId\":190,\"bids\":[[1]]}", sink).status,
            DecodeResult::Status::Error);
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("NOTFOLLOWED"), depthSnapshotBody(190), sink).status,
                 DecodeResult::Status::Error);
    }

    void bufferIsBounded()
    {
        RecordingSink sink;
        BinanceProtocol protocol(QUrl(), QUrl(), {QStringLiteral("BNBBTC")});
        protocol.setBufferLimit(5);
        for (quint64 i = 0; i < 5; ++i)
            QVERIFY(protocol.decode(depthFrame(100 + 2 * i, 101 + 2 * i), false, sink)); // 100..109
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 5u);
        QCOMPARE(protocol.droppedBufferedDiffs(), 0u);
        // Beyond the bound: the oldest goes and a fresh snapshot is asked for (once).
        QVERIFY(protocol.decode(depthFrame(110, 111), false, sink));
        QVERIFY(protocol.decode(depthFrame(112, 113), false, sink));
        QCOMPARE(protocol.bufferedDiffs(QStringLiteral("BNBBTC")), 5u);
        QCOMPARE(protocol.droppedBufferedDiffs(), 2u);
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        // The snapshot asked for first now predates the oldest diff kept (104): refused, asked again.
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(102), sink).status,
                 DecodeResult::Status::Ignored);
        QCOMPARE(protocol.takeSnapshotRequests(), QStringList {QStringLiteral("BNBBTC")});
        QCOMPARE(protocol.applyRestSnapshot(QStringLiteral("BNBBTC"), depthSnapshotBody(107), sink).status,
                 DecodeResult::Status::Ok);
        QCOMPARE(sink.deltas.size(), 3u); // 108..109, 110..111, 112..113
        QCOMPARE(sink.deltas.front().prevSequence, 107u);
        QCOMPARE(sink.deltas.back().sequence, 113u);
    }

    void recordedStreamSyncsThroughTheFeed()
    {
        const QList<QByteArray> stream = recordedStream();
        const QHash<QString, QByteArray> snapshots = recordedSnapshots();
        QCOMPARE(snapshots.size(), 4);
        StreamServer ws;
        RestServer rest;
        for (auto it = snapshots.begin(); it != snapshots.end(); ++it)
            rest.bodies[it.key()] = {it.value()};
        Handoff handoff;
        PipelineStats stats;
        // NKNUSDT with the scales of its catalogue entry (0.00001 tick, 0.1 lot); the others at the
        // wire's 8 decimals.
        Instrument nkn = catalogEntry("NKNUSDT", 5, 1);
        FeedConnection feed(
            0, std::make_unique<BinanceProtocol>(ws.url(), rest.url(), kRecordedSymbols, std::vector<Instrument> {nkn}),
            feedConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 1, 10000);
        QCOMPARE(ws.paths, QStringList {QStringLiteral("/stream")});
        const QJsonObject subscribe = ws.received.first();
        QCOMPARE(subscribe.value(QLatin1String("method")).toString(), QStringLiteral("SUBSCRIBE"));
        QCOMPARE(subscribe.value(QLatin1String("id")).toInteger(), 1);
        QStringList expected;
        for (const QString &symbol : kRecordedSymbols) {
            const QString s = symbol.toLower();
            expected << s + QStringLiteral("@depth@100ms") << s + QStringLiteral("@bookTicker")
                     << s + QStringLiteral("@aggTrade") << s + QStringLiteral("@ticker");
        }
        QStringList params;
        for (const QJsonValue &p : subscribe.value(QLatin1String("params")).toArray())
            params.append(p.toString());
        QCOMPARE(params, expected); // 16 streams in one frame

        ws.send("{\"result\":null,\"id\":1}");
        for (const QByteArray &frame : stream)
            ws.send(frame);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 4, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, static_cast<std::uint64_t>(stream.size() + 1), 10000);
        QCOMPARE(rest.requests.size(), 4); // one snapshot per book
        for (const QString &symbol : kRecordedSymbols)
            QCOMPARE(rest.requestsFor(symbol), 1);
        for (const QString &path : std::as_const(rest.paths))
            QCOMPARE(path, QStringLiteral("/api/v3/depth"));
        QCOMPARE(feed.snapshotFetches(), 4u);
        QCOMPARE(feed.snapshotErrors(), 0u);
        QCOMPARE(feed.status().gaps, 0u);
        QCOMPARE(feed.status().resyncs, 0u);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(feed.state(), FeedState::Live);

        // Every book equals the documented procedure replayed here on the fixture text.
        int appliedDiffs = 0;
        for (const QString &symbol : kRecordedSymbols) {
            int applied = 0;
            const TextBook truth = replay(snapshots.value(symbol), diffsOf(stream, symbol), &applied);
            appliedDiffs += applied;
            const auto local = static_cast<LocalInstrument>(feed.market().indexOf(symbol));
            const MarketState::Entry &entry = feed.market().entry(local);
            QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
            QCOMPARE(entry.book.sequence(), truth.updateId);
            QCOMPARE(engineLevels(entry.book, BookSide::Bid, entry.instrument), textLevels(truth.bids, true));
            QCOMPARE(engineLevels(entry.book, BookSide::Ask, entry.instrument), textLevels(truth.asks, false));
        }
        QCOMPARE(appliedDiffs, 172); // 149 + 9 + 13 + 1 of the 177 recorded diffs
        const auto nknLocal = static_cast<LocalInstrument>(feed.market().indexOf(QStringLiteral("NKNUSDT")));
        QCOMPARE(feed.market().entry(nknLocal).instrument.priceScale, 5);
        QCOMPARE(feed.market().entry(nknLocal).book.best(BookSide::Bid), (Level {35270, 96020})); // 0.3527 / 9602.0
        QCOMPARE(feed.market().entry(nknLocal).book.best(BookSide::Ask), (Level {35310, 1520})); // 0.3531 / 152.0
        QCOMPARE(feed.market().entry(nknLocal).quote.last, 35280); // the recorded aggTrade
        // 4 snapshots + 172 diffs + 2 trades + 84 bookTickers reached the engine (kline adds nothing).
        QCOMPARE(feed.status().messagesApplied, 262u);

        // Server pings are answered with their payload (QWebSocket does it on its own).
        ws.client->ping("binance-ping");
        QTRY_COMPARE_WITH_TIMEOUT(ws.pongPayloads.size(), 1, 5000);
        QCOMPARE(ws.pongPayloads.first(), QByteArray("binance-ping"));

        // Bad frames are counted (one warning, the rest rate-limited) and survived.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        ws.send("{\"stream\":\"nknusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"NKNUSDT\",\"p\":true}}");
        ws.send("not json");
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().decodeErrors, 2u, 5000);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void aRemovedDiffIsAGapForThatBookAlone()
    {
        QList<QByteArray> stream = recordedStream();
        const QHash<QString, QByteArray> snapshots = recordedSnapshots();
        const QString nkn = QStringLiteral("NKNUSDT");
        const QList<QJsonObject> nknDiffs = diffsOf(stream, nkn);
        // Remove NKNUSDT's 60th diff (well after its snapshot point) from what the server sends.
        const qsizetype removed = 60;
        const QByteArray removedU
            = "\"U\":" + QByteArray::number(nknDiffs[removed].value(QLatin1String("U")).toInteger());
        qsizetype removedAt = -1;
        for (qsizetype i = 0; i < stream.size(); ++i) {
            if (stream[i].contains("nknusdt@depth") && stream[i].contains(removedU))
                removedAt = i;
        }
        QVERIFY(removedAt > 0);
        stream.removeAt(removedAt);

        StreamServer ws;
        RestServer rest;
        for (auto it = snapshots.begin(); it != snapshots.end(); ++it)
            rest.bodies[it.key()] = {it.value()};
        // The venue's fresh snapshot when asked again: the true book after the diff that follows
        // the lost one (the lost diff included, as the venue has it).
        const TextBook fresh = replay(snapshots.value(nkn), nknDiffs, nullptr, removed + 2);
        rest.bodies[nkn].append(depthBody(fresh));
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BinanceProtocol>(ws.url(), rest.url(), kRecordedSymbols), feedConfig(),
                            handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 1, 10000);
        for (const QByteArray &frame : stream)
            ws.send(frame);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().gaps, 1u, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 4, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, static_cast<std::uint64_t>(stream.size()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(binanceOf(feed).localUpdateId(nkn).value_or(0),
                                  static_cast<std::uint64_t>(nknDiffs.last().value(QLatin1String("u")).toInteger()),
                                  10000);
        QCOMPARE(feed.status().gaps, 1u);
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(rest.requestsFor(nkn), 2); // a fresh snapshot for that book
        for (const QString &symbol : kRecordedSymbols.mid(1))
            QCOMPARE(rest.requestsFor(symbol), 1); // the other books were never touched
        QCOMPARE(rest.requests.size(), 5);
        QCOMPARE(feed.status().reconnects, 0u);

        // After the resync the book is the true one again, the lost diff's levels included.
        const TextBook truth = replay(snapshots.value(nkn), nknDiffs);
        const auto local = static_cast<LocalInstrument>(feed.market().indexOf(nkn));
        const MarketState::Entry &entry = feed.market().entry(local);
        QCOMPARE(entry.book.integrity(), BookIntegrity::Synced);
        QCOMPARE(entry.book.sequence(), truth.updateId);
        QCOMPARE(engineLevels(entry.book, BookSide::Bid, entry.instrument), textLevels(truth.bids, true));
        QCOMPARE(engineLevels(entry.book, BookSide::Ask, entry.instrument), textLevels(truth.asks, false));
    }

    void failedSnapshotFetchesAreRetried()
    {
        const QString blz = QStringLiteral("BLZETH");
        StreamServer ws;
        RestServer rest;
        rest.bodies[blz] = {recordedSnapshots().value(blz)};
        rest.failures[blz] = 2; // two HTTP 500s first
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BinanceProtocol>(ws.url(), rest.url(), QStringList {blz}), feedConfig(),
                            handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 1, 10000);
        int frames = 0;
        for (const QByteArray &frame : recordedStream()) {
            if (frame.startsWith("{\"stream\":\"blzeth@")) {
                ws.send(frame);
                ++frames;
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 1, 10000);
        QCOMPARE(rest.requestsFor(blz), 3);
        QCOMPARE(feed.snapshotErrors(), 2u);
        QCOMPARE(feed.snapshotFetches(), 3u);
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().framesReceived, static_cast<std::uint64_t>(frames), 5000);
        QCOMPARE(feed.market().entry(0).book.sequence(), 281916638u);
        QCOMPARE(feed.status().gaps, 0u);
    }

    void snapshotFetchesStayWithinTheRestBudget()
    {
        // Twelve books ask for their snapshot at once: ten go at once, then one per second.
        QStringList symbols;
        StreamServer ws;
        RestServer rest;
        for (int i = 0; i < 12; ++i) {
            symbols.append(QStringLiteral("SYM%1USDT").arg(i));
            rest.bodies[symbols.last()] = {depthSnapshotBody(100)};
        }
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BinanceProtocol>(ws.url(), rest.url(), symbols), feedConfig(), handoff,
                            stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 1, 10000);
        for (int i = 0; i < 12; ++i) {
            ws.send("{\"stream\":\"sym" + QByteArray::number(i)
                    + "usdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"SYM" + QByteArray::number(i)
                    + "USDT\",\"U\":100,\"u\":101,\"b\":[[\"0.0024\",\"3\"]],\"a\":[]}}");
        }
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 12, 10000);
        QCOMPARE(rest.requests.size(), 12);
        QVERIFY(rest.requestMs[9] - rest.requestMs[0] < 900); // the burst
        QVERIFY(rest.requestMs[10] - rest.requestMs[0] >= 900); // then the budget's pace
        QVERIFY(rest.requestMs[11] - rest.requestMs[10] >= 900);
        QCOMPARE(feed.snapshotFetches(), 12u);
        QCOMPARE(feed.market().entry(11).book.sequence(), 101u);
        QCOMPARE(feed.market().entry(11).book.quantityAt(BookSide::Bid, 240000), 300000000);
    }

    void controlFramesArePaced()
    {
        // 256 symbols = 1024 streams = 6 SUBSCRIBE frames, sent at the venue's pace.
        QStringList symbols;
        for (int i = 0; i < 256; ++i)
            symbols.append(QStringLiteral("SYM%1USDT").arg(i));
        StreamServer ws;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<BinanceProtocol>(ws.url(), QUrl(), symbols), feedConfig(), handoff,
                            stats);
        const int limit = feed.protocol().maxControlFramesPerSecond();
        QVERIFY(limit > 0 && limit < 6);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 6, 10000);
        int streams = 0;
        for (int i = 0; i < ws.received.size(); ++i) {
            QCOMPARE(ws.received[i].value(QLatin1String("id")).toInteger(), i + 1); // in order
            streams += static_cast<int>(ws.received[i].value(QLatin1String("params")).toArray().size());
        }
        QCOMPARE(streams, 1024);
        // Measured at the server: never more than `limit` frames within any second.
        for (qsizetype i = 0; i < ws.arrivalMs.size(); ++i) {
            int inWindow = 0;
            for (qsizetype j = i; j < ws.arrivalMs.size() && ws.arrivalMs[j] - ws.arrivalMs[i] < 1000; ++j)
                ++inWindow;
            QVERIFY2(inWindow <= limit, qPrintable(QStringLiteral("%1 frames within a second").arg(inWindow)));
        }
        QVERIFY(ws.arrivalMs.last() - ws.arrivalMs.first() >= 1000); // it did wait
        QTest::qWait(1500);
        QCOMPARE(ws.received.size(), 6); // nothing more once the queue is empty
    }

    void plannedReconnectBeforeTheAgeLimit()
    {
        std::int64_t fakeNs = 1'000'000'000;
        const auto advance = [&](std::chrono::seconds by) {
            fakeNs += std::chrono::duration_cast<std::chrono::nanoseconds>(by).count();
        };
        const QString nkn = QStringLiteral("NKNUSDT");
        QByteArray trade;
        for (const QByteArray &frame : recordedStream()) {
            if (frame.contains("nknusdt@aggTrade"))
                trade = frame;
        }
        StreamServer ws;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = feedConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        FeedConnection feed(0, std::make_unique<BinanceProtocol>(ws.url(), QUrl(), QStringList {nkn}), config, handoff,
                            stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 1, 10000);
        // Data keeps the link live while the (injected) clock runs towards 24 h.
        const auto dataAt = [&](std::chrono::seconds age) {
            advance(age);
            const std::uint64_t before = feed.status().framesReceived;
            ws.send(trade);
            QTRY_VERIFY_WITH_TIMEOUT(feed.status().framesReceived > before, 5000);
            feed.checkLiveness();
        };
        dataAt(std::chrono::seconds(10));
        QCOMPARE(feed.state(), FeedState::Live);
        dataAt(std::chrono::hours(23) + std::chrono::minutes(49)); // 23 h 49 min 10 s old
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.plannedReconnects(), 0u);
        QCOMPARE(ws.connections, 1);
        advance(std::chrono::seconds(60)); // 23 h 50 min 10 s: ten minutes before the venue's limit
        feed.checkLiveness();
        QCOMPARE(feed.plannedReconnects(), 1u);
        QTRY_COMPARE_WITH_TIMEOUT(ws.connections, 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(ws.received.size(), 2, 10000); // subscribed again on the new link
        QCOMPARE(ws.received.last().value(QLatin1String("id")).toInteger(), 1);
        QCOMPARE(feed.status().reconnects, 0u); // planned, not a failure
        ws.send(trade);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        feed.checkLiveness();
        QCOMPARE(feed.plannedReconnects(), 1u); // the new connection's age counts from its own start
    }
};

QTEST_GUILESS_MAIN(TestBinance)
#include "tst_binance.moc"
