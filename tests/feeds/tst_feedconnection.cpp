// FeedConnection against a scripted loopback WebSocket server that speaks the demo protocol:
// state machine, subscriptions, book gaps and per-book resync, bad frames, reconnects.
#include "bybitprotocol.h"
#include "demo.pb.h"
#include "demoprotocol.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <optional>

using namespace tickscope;

namespace {

/// A loopback demo-protocol server whose every frame the test decides.
class ScriptedServer : public QObject
{
public:
    ScriptedServer()
        : server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
    {
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            client = server.nextPendingConnection();
            client->setParent(this); // the server does not own accepted sockets
            ++connections;
            seq = 0;
            connect(client, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &frame) {
                demo::Envelope envelope;
                QVERIFY(envelope.ParseFromArray(frame.constData(), static_cast<int>(frame.size())));
                if (envelope.has_subscribe()) {
                    QList<quint32> ids;
                    for (auto id : envelope.subscribe().instrument_ids())
                        ids.append(id);
                    subscriptions.append(ids);
                }
            });
            sendInstruments();
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.serverPort())); }

    void send(demo::Envelope &envelope)
    {
        envelope.set_seq(++seq);
        std::string bytes;
        envelope.SerializeToString(&bytes);
        client->sendBinaryMessage(QByteArray::fromStdString(bytes));
    }
    void sendRaw(const QByteArray &bytes) { client->sendBinaryMessage(bytes); }

    void sendInstruments()
    {
        demo::Envelope e;
        auto *list = e.mutable_instruments();
        for (quint32 id = 0; id < 2; ++id) {
            auto *info = list->add_instruments();
            info->set_id(id);
            info->set_symbol(id == 0 ? "BTC-USD" : "PEPE-USDT");
            info->set_price_scale(id == 0 ? 2 : 8);
            info->set_qty_scale(id == 0 ? 8 : 0);
            info->set_tick_size(1);
            info->set_lot_size(1);
        }
        send(e);
    }
    void sendSnapshot(quint32 id, quint64 bookSeq, std::int64_t mid)
    {
        demo::Envelope e;
        auto *s = e.mutable_snapshot();
        s->set_instrument_id(id);
        s->set_book_seq(bookSeq);
        for (int i = 1; i <= 5; ++i) {
            auto *bid = s->add_bids();
            bid->set_price(mid - i);
            bid->set_qty(100 * i);
            auto *ask = s->add_asks();
            ask->set_price(mid + i);
            ask->set_qty(100 * i);
        }
        send(e);
    }
    void sendDelta(quint32 id, quint64 bookSeq, std::int64_t price, std::int64_t qty)
    {
        demo::Envelope e;
        auto *d = e.mutable_delta();
        d->set_instrument_id(id);
        d->set_book_seq(bookSeq);
        auto *level = d->add_bids();
        level->set_price(price);
        level->set_qty(qty);
        send(e);
    }

    QWebSocketServer server;
    QWebSocket *client = nullptr;
    int connections = 0;
    quint64 seq = 0;
    QList<QList<quint32>> subscriptions;
};

FeedConfig fastConfig()
{
    FeedConfig config;
    config.name = QStringLiteral("demo");
    config.backoffBase = std::chrono::milliseconds(20);
    config.backoffCap = std::chrono::milliseconds(100);
    config.minPublishInterval = std::chrono::milliseconds(1);
    return config;
}

/// Drains the handoff and returns the latest update of an instrument seen in this drain (if any).
std::optional<InstrumentUpdate> drainFor(Handoff &handoff, InstrumentId id)
{
    DrainBatch batch;
    handoff.drain(batch);
    for (auto &update : batch.updates) {
        if (update.id == id)
            return update;
    }
    return std::nullopt;
}

} // namespace

class TestFeedConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void backoffCeilingDoublesUpToCap()
    {
        Backoff backoff(std::chrono::milliseconds(500), std::chrono::milliseconds(30000), 7);
        const QList<qint64> expected {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int attempt = 0; attempt < expected.size(); ++attempt)
            QCOMPARE(backoff.ceiling(attempt).count(), expected[attempt]);
        QCOMPARE(backoff.ceiling(1000).count(), 30000); // no overflow for huge attempt counts
    }

    void backoffIsFullJitter()
    {
        Backoff backoff(std::chrono::milliseconds(500), std::chrono::milliseconds(30000), 11);
        // Full jitter: every delay lies in [0, ceiling(attempt)] and they spread over the range.
        double sum = 0;
        std::int64_t smallest = INT64_MAX;
        constexpr int kSamples = 4000;
        for (int i = 0; i < kSamples; ++i) {
            backoff.reset();
            for (int attempt = 0; attempt < 3; ++attempt) {
                const auto delay = backoff.next().count();
                QVERIFY(delay >= 0 && delay <= backoff.ceiling(attempt).count());
                if (attempt == 2) {
                    sum += static_cast<double>(delay);
                    smallest = std::min(smallest, delay);
                }
            }
            QCOMPARE(backoff.attempt(), 3);
        }
        const double mean = sum / kSamples;
        QVERIFY2(mean > 900 && mean < 1100, qPrintable(QString::number(mean))); // uniform on [0, 2000]
        QVERIFY(smallest < 100);
    }

    void connectsSubscribesAndGoesLive()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        QSignalSpy states(&feed, &FeedConnection::stateChanged);
        QCOMPARE(feed.state(), FeedState::Idle);
        feed.start();
        QCOMPARE(feed.state(), FeedState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        QCOMPARE(feed.state(), FeedState::Subscribing); // connected, no data yet
        QCOMPARE(server.subscriptions.first(), (QList<quint32> {0, 1}));
        QCOMPARE(handoff.instrumentCount(), 2u);

        server.sendSnapshot(0, 10, 6'000'000);
        server.sendDelta(0, 11, 5'999'999, 7);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(handoff.hasPending(), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(feed.market().entry(0).book.sequence() == 11, 2000);
        std::optional<InstrumentUpdate> update;
        // The drain consumes what it returns, so keep the newest update seen across retries.
        const auto drainedTo11 = [&] {
            if (auto drained = drainFor(handoff, 0))
                update = std::move(drained);
            return update && update->bookSequence == 11;
        };
        QTRY_VERIFY_WITH_TIMEOUT(drainedTo11(), 2000);
        QCOMPARE(update->bids.front(), (Level {5'999'999, 7}));
        QCOMPARE(update->integrity, BookIntegrity::Synced);
        QVERIFY(!update->stale);
        QCOMPARE(feed.status().messagesApplied, 2u);
        QCOMPARE(feed.status().decodeErrors, 0u);
        QCOMPARE(states.first().first().value<FeedState>(), FeedState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(PipelineStats::get(stats.framesReceived), 3u, 2000);
    }

    void gapResyncsOnlyThatBook()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        server.sendSnapshot(1, 1, 5000);
        server.sendDelta(1, 3, 4999, 1); // book_seq 2 never came
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 2, 5000);
        QCOMPARE(server.subscriptions.last(), QList<quint32> {1}); // only the broken book is re-requested
        QCOMPARE(feed.status().gaps, 1u);
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(feed.market().entry(1).book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(feed.market().entry(0).book.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.state(), FeedState::Live); // the connection stays up

        server.sendDelta(1, 4, 4998, 1); // still waiting for the snapshot: dropped, no second resync
        server.sendSnapshot(1, 10, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(1).book.integrity(), BookIntegrity::Synced, 5000);
        QCOMPARE(feed.status().resyncs, 1u);
        QCOMPARE(feed.market().entry(1).book.sequence(), 10u);
        QCOMPARE(server.connections, 1);
    }

    void badFramesAreCountedAndSurvived()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("demo bad frame:.*")));
        server.sendRaw(QByteArray("\xff\xff\xff\xff garbage", 12)); // not protobuf
        demo::Envelope e;
        e.set_seq(++server.seq);
        auto *d = e.mutable_delta();
        d->set_instrument_id(0);
        d->set_book_seq(2);
        d->add_bids()->set_price(999);
        std::string bytes;
        e.SerializeToString(&bytes);
        server.sendRaw(QByteArray::fromStdString(bytes).left(static_cast<qsizetype>(bytes.size()) - 3)); // truncated
        server.client->sendTextMessage(QStringLiteral("{\"not\":\"binary\"}")); // wrong frame type
        demo::Envelope empty; // a frame without a body: unknown type
        server.send(empty);
        server.sendDelta(0, 2, 999, 5); // the connection goes on
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().entry(0).book.sequence(), 2u, 5000);
        QCOMPARE(feed.status().decodeErrors, 4u);
        QCOMPARE(feed.market().entry(0).book.quantityAt(BookSide::Bid, 999), 5);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(server.connections, 1);
    }

    void reconnectsRestoresSubscriptionsAndResyncs()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        server.sendSnapshot(1, 1, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 2, 5000);

        QSignalSpy states(&feed, &FeedConnection::stateChanged);
        const auto reconnectingSeen = [&] {
            return std::count_if(states.cbegin(), states.cend(), [](const QList<QVariant> &args) {
                return args.first().value<FeedState>() == FeedState::Reconnecting;
            });
        };
        for (int round = 1; round <= 3; ++round) {
            // The server process dies: TCP drops without a close handshake.
            server.client->abort();
            // Reconnecting may last 0 ms (full jitter), so look at the transitions, not the state.
            QTRY_COMPARE_WITH_TIMEOUT(reconnectingSeen(), round, 5000);
            QCOMPARE(feed.market().booksSynced(), 0); // nothing is shown as live before a fresh snapshot
            QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1 + round, 5000);
            QCOMPARE(server.subscriptions.last(), (QList<quint32> {0, 1}));
            QCOMPARE(feed.state(), FeedState::Subscribing);
            server.sendSnapshot(0, 100 * round, 1000);
            server.sendSnapshot(1, 100 * round, 2000);
            QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 2, 5000);
            QCOMPARE(feed.state(), FeedState::Live);
            QCOMPARE(feed.status().reconnects, quint64(round));
        }
        QCOMPARE(handoff.instrumentCount(), 2u); // same instruments, same ids after reconnects
    }

    void livenessWithAnInjectedClock()
    {
        // Time moves only when the test says so: silence → Stale → replaced, data → Live again,
        // and the backoff's attempt count resets after a stable period.
        std::int64_t fakeNs = 1'000'000'000;
        const std::int64_t wallBaseMs = 1'700'000'000'000;
        const auto advance = [&](int ms) { fakeNs += std::int64_t {ms} * 1'000'000; };
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        config.wallClockMs = [&] { return wallBaseMs + fakeNs / 1'000'000; };
        config.stableAfter = std::chrono::seconds(30);
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        server.sendSnapshot(1, 1, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);

        advance(4000); // within the demo feed's 5 s silence timeout
        feed.checkLiveness();
        QCOMPARE(feed.state(), FeedState::Live);
        advance(2000); // 6 s without a frame
        feed.checkLiveness();
        QCOMPARE(feed.state(), FeedState::Stale);
        QCOMPARE(feed.status().detail, QStringLiteral("no data for 6 s"));
        QCOMPARE(feed.status().staleSinceMs, wallBaseMs + (fakeNs / 1'000'000) - 6000);
        QVERIFY(feed.market().entry(0).stale); // every row says it is not live

        server.sendDelta(0, 2, 998, 5); // data again: live at once
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        QCOMPARE(feed.status().staleSinceMs, 0);

        advance(11000); // a half-open connection: more than twice the timeout in silence
        feed.checkLiveness();
        feed.checkLiveness();
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().reconnects, 1u, 5000);
        QCOMPARE(feed.status().attempt, 1);
        QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 2, 5000);
        server.sendSnapshot(0, 10, 1000);
        server.sendSnapshot(1, 10, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 2, 5000);

        // A second loss soon after: the backoff climbs (attempt 2).
        server.client->abort();
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().reconnects, 2u, 5000);
        QCOMPARE(feed.status().attempt, 2);
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 3, 5000);
        server.sendSnapshot(0, 20, 1000);
        server.sendSnapshot(1, 20, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);

        // Stable for longer than stableAfter (data keeps arriving): the count starts over.
        for (int second = 0; second < 31; ++second) {
            const std::uint64_t before = feed.status().messagesApplied;
            server.sendDelta(0, 21 + static_cast<quint64>(second), 997, 5);
            QTRY_VERIFY_WITH_TIMEOUT(feed.status().messagesApplied > before, 2000); // arrived before time moves on
            advance(1000);
            feed.checkLiveness();
            QCOMPARE(feed.state(), FeedState::Live);
        }
        server.client->abort();
        QTRY_COMPARE_WITH_TIMEOUT(feed.status().reconnects, 3u, 5000);
        QCOMPARE(feed.status().attempt, 1);
    }

    void aSilentSubscriptionIsResyncedAlone()
    {
        std::int64_t fakeNs = 1'000'000'000;
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        config.subscriptionSilenceTimeout = std::chrono::seconds(3);
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        server.sendSnapshot(1, 1, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 2, 5000);
        // Instrument 0 keeps talking, instrument 1 goes quiet; the connection stays busy.
        for (int second = 0; second < 4; ++second) {
            const std::uint64_t before = feed.status().messagesApplied;
            server.sendDelta(0, 2 + static_cast<quint64>(second), 997, 5);
            QTRY_VERIFY_WITH_TIMEOUT(feed.status().messagesApplied > before, 2000);
            fakeNs += 1'000'000'000;
            feed.checkLiveness();
        }
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().resyncs, 1u);
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 2, 5000);
        QCOMPARE(server.subscriptions.last(), (QList<quint32> {1})); // that one book, on the open link
        QCOMPARE(feed.market().entry(0).book.integrity(), BookIntegrity::Synced);
        QCOMPARE(feed.market().entry(1).book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void unansweredPingsReplaceTheConnection()
    {
        // A server that completes the WebSocket handshake, then neither sends nor answers pings.
        QTcpServer deaf;
        QVERIFY(deaf.listen(QHostAddress::LocalHost, 0));
        int connections = 0;
        connect(&deaf, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = deaf.nextPendingConnection();
            ++connections;
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                if (socket->property("upgraded").toBool()) {
                    socket->readAll(); // pings go unanswered
                    return;
                }
                const QByteArray request = socket->peek(socket->bytesAvailable());
                if (!request.contains("\r\n\r\n"))
                    return;
                socket->readAll();
                QByteArray key;
                for (const QByteArray &line : request.split('\n')) {
                    if (line.toLower().startsWith("sec-websocket-key:"))
                        key = line.mid(18).trimmed();
                }
                const QByteArray accept
                    = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                               QCryptographicHash::Sha1)
                          .toBase64();
                socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: "
                              + accept + "\r\n\r\n");
                socket->setProperty("upgraded", true);
            });
        });
        std::int64_t fakeNs = 1'000'000'000;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        FeedConnection feed(
            0, std::make_unique<DemoProtocol>(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(deaf.serverPort()))), config,
            handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Subscribing, 5000);
        fakeNs += 1'500'000'000; // quiet for more than half the ping interval: a ping goes out
        feed.checkLiveness();
        QCOMPARE(feed.status().reconnects, 0u);
        fakeNs += 5'500'000'000; // and no pong within the 5 s pong timeout
        feed.checkLiveness();
        QCOMPARE(feed.status().reconnects, 1u);
        QCOMPARE(feed.status().detail, QStringLiteral("no pong within 5000 ms"));
        QTRY_COMPARE_WITH_TIMEOUT(connections, 2, 5000); // replaced
    }

    void venuePingsGoOutOnTheirPeriodWhateverTheTraffic()
    {
        // Bybit wants {"op":"ping"} every 20 s; a busy connection must send it too.
        QWebSocketServer server(QStringLiteral("bybit"), QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QWebSocket *client = nullptr;
        int pings = 0;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            client = server.nextPendingConnection();
            client->setParent(&server);
            connect(client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
                if (text == QLatin1String("{\"op\":\"ping\"}")) {
                    ++pings;
                    client->sendTextMessage(QStringLiteral("{\"success\":true,\"ret_msg\":\"pong\",\"op\":\"ping\"}"));
                }
            });
        });
        std::int64_t fakeNs = 1'000'000'000;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        FeedConnection feed(0,
                            std::make_unique<BybitProtocol>(
                                QUrl(QStringLiteral("ws://127.0.0.1:%1/v5/public/spot").arg(server.serverPort())),
                                QStringList {QStringLiteral("BTCUSDT")}),
                            config, handoff, stats);
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(client, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Subscribing, 5000);
        const QString trade = QStringLiteral(
            "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1672304486868,\"data\":[{\"T\":"
            "1672304486865,\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.001\",\"p\":\"16578.50\",\"i\":\"1\"}]}");
        // Data every 4 s (never quiet long enough for a WebSocket ping): the venue ping still goes
        // out every 20 s.
        quint64 trades = 0;
        for (int second = 4; second <= 44; second += 4) {
            fakeNs += 4'000'000'000;
            client->sendTextMessage(trade);
            ++trades;
            QTRY_COMPARE_WITH_TIMEOUT(feed.status().messagesApplied, trades, 5000);
            feed.checkLiveness();
        }
        QTRY_COMPARE_WITH_TIMEOUT(pings, 2, 5000); // at 20 s and 40 s
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().reconnects, 0u);
    }

    void connectTimeoutWithAnInjectedClock()
    {
        // A server that accepts TCP and never answers the WebSocket handshake.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        std::int64_t fakeNs = 1'000'000'000;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.steadyClockNs = [&] { return fakeNs; };
        FeedConnection feed(
            0, std::make_unique<DemoProtocol>(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(mute.serverPort()))), config,
            handoff, stats);
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(mute.hasPendingConnections(), 5000);
        QCOMPARE(feed.state(), FeedState::Connecting);
        fakeNs += 9'000'000'000;
        feed.checkLiveness();
        QCOMPARE(feed.state(), FeedState::Connecting);
        fakeNs += 2'000'000'000;
        feed.checkLiveness();
        QCOMPARE(feed.status().reconnects, 1u);
        QCOMPARE(feed.status().detail, QStringLiteral("no answer within 10 s"));
    }

    void aFailedConnectSaysWhy_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("ws") << QStringLiteral("ws");
        // Over TLS, Qt reports the error only after disconnected(): it used to say "connection closed".
        QTest::newRow("wss") << QStringLiteral("wss");
    }

    void aFailedConnectSaysWhy()
    {
        QFETCH(QString, scheme);
        QTcpServer probe; // a loopback port with nothing listening on it
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.backoffBase = std::chrono::seconds(5); // one attempt within the test
        config.backoffCap = std::chrono::seconds(5);
        FeedConnection feed(
            0, std::make_unique<DemoProtocol>(QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(port))), config,
            handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Reconnecting, 5000);
        QCOMPARE(feed.status().detail, QStringLiteral("Connection refused"));
        QCOMPARE(feed.status().reconnects, 1u);
    }

    void oversizedFramesAreRefused()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.maxFrameBytes = 4096;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), 1, 5000); // everything sent so far is in
        const std::uint64_t decodedBefore = feed.status().framesDecoded;
        // Counters as they stood when the link was dropped: the retry comes within milliseconds and
        // the new session's own frames must not be confused with the refused one.
        std::optional<FeedSnapshot> atDrop;
        connect(&feed, &FeedConnection::stateChanged, this, [&](FeedState state) {
            if (state == FeedState::Reconnecting && !atDrop)
                atDrop = feed.status();
        });
        server.sendRaw(QByteArray(64 * 1024, 'x')); // 64 KiB against a 4 KiB limit
        // Refused before decoding: the link is closed as the protocol says, and then recovered.
        QTRY_VERIFY_WITH_TIMEOUT(atDrop.has_value(), 5000);
        QCOMPARE(atDrop->framesDecoded, decodedBefore);
        QCOMPARE(atDrop->decodeErrors, 0u);
        QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 5000);
    }

    void pauseAndResume()
    {
        ScriptedServer server;
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 1, 5000);
        server.sendSnapshot(0, 1, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        feed.pause();
        QCOMPARE(feed.state(), FeedState::Paused);
        QTest::qWait(200); // a paused feed does not reconnect on its own
        QCOMPARE(feed.state(), FeedState::Paused);
        QCOMPARE(server.connections, 1);
        feed.resume();
        QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server.subscriptions.size(), 2, 5000);
    }
};

QTEST_GUILESS_MAIN(TestFeedConnection)
#include "tst_feedconnection.moc"
