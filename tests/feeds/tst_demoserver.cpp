// DemoServer over a real loopback WebSocket: instrument list first, snapshots on subscribe (again on
// re-subscribe), consecutive envelope sequences, only subscribed instruments, heartbeats while
// quiet, clear errors for bad requests, slow consumers cut off, and client books that end up equal
// to the simulator's.
#include "demo.pb.h"
#include "demoserver.h"
#include "fatalwarnings.h"
#include "orderbook.h"

#include <QSignalSpy>
#include <QWebSocket>
#include <QtTest>

#include <map>

using namespace tickscope;

namespace {

/// A demo-protocol client that keeps books and checks the envelope sequence.
class Client : public QObject
{
public:
    explicit Client(const QUrl &url)
    {
        connect(&socket, &QWebSocket::binaryMessageReceived, this, &Client::onFrame);
        connect(&socket, &QWebSocket::disconnected, this, [this] { disconnected = true; });
        socket.open(url);
    }

    void send(const demo::Envelope &e)
    {
        std::string bytes;
        e.SerializeToString(&bytes);
        socket.sendBinaryMessage(QByteArray::fromStdString(bytes));
    }
    void subscribe(std::initializer_list<std::uint32_t> ids)
    {
        demo::Envelope e;
        auto *sub = e.mutable_subscribe();
        for (auto id : ids)
            sub->add_instrument_ids(id);
        send(e);
    }
    void unsubscribe(std::uint32_t id)
    {
        demo::Envelope e;
        e.mutable_unsubscribe()->add_instrument_ids(id);
        send(e);
    }

    void onFrame(const QByteArray &frame)
    {
        demo::Envelope e;
        if (!e.ParseFromArray(frame.constData(), static_cast<int>(frame.size()))) {
            ++malformed;
            return;
        }
        if (e.seq() != lastSeq + 1)
            ++seqErrors;
        lastSeq = e.seq();
        if (e.send_time_us() <= 0)
            ++seqErrors;
        ++frames;
        if (e.has_instruments()) {
            instruments = e.instruments().instruments_size();
            firstWasInstruments = frames == 1;
        } else if (e.has_snapshot()) {
            const auto &s = e.snapshot();
            ++snapshots[s.instrument_id()];
            BookSnapshot snap;
            snap.sequence = s.book_seq();
            for (const auto &l : s.bids())
                snap.bids.push_back({l.price(), l.qty()});
            for (const auto &l : s.asks())
                snap.asks.push_back({l.price(), l.qty()});
            books[s.instrument_id()].applySnapshot(snap);
        } else if (e.has_delta()) {
            const auto &d = e.delta();
            ++deltas[d.instrument_id()];
            BookDelta delta;
            delta.sequence = d.book_seq();
            for (const auto &l : d.bids())
                delta.bids.push_back({l.price(), l.qty()});
            for (const auto &l : d.asks())
                delta.asks.push_back({l.price(), l.qty()});
            if (books[d.instrument_id()].applyDelta(delta) != ApplyResult::Applied)
                ++bookErrors;
        } else if (e.has_trade()) {
            ++trades[e.trade().instrument_id()];
        } else if (e.has_ticker()) {
            ++tickers;
        } else if (e.has_heartbeat()) {
            ++heartbeats;
        } else if (e.has_error()) {
            errors.append(QString::fromStdString(e.error().message()));
        }
    }

    int eventsFor(std::uint32_t id) const
    {
        const auto d = deltas.find(id);
        const auto t = trades.find(id);
        return (d == deltas.end() ? 0 : d->second) + (t == trades.end() ? 0 : t->second);
    }

    QWebSocket socket;
    bool disconnected = false;
    bool firstWasInstruments = false;
    int instruments = 0;
    std::uint64_t lastSeq = 0;
    int frames = 0;
    int malformed = 0;
    int seqErrors = 0;
    int bookErrors = 0;
    int tickers = 0;
    int heartbeats = 0;
    std::map<std::uint32_t, int> snapshots;
    std::map<std::uint32_t, int> deltas;
    std::map<std::uint32_t, int> trades;
    std::map<std::uint32_t, OrderBook> books;
    QStringList errors;
};

std::vector<Level> top(const OrderBook &book, BookSide side, std::size_t n)
{
    std::vector<Level> out;
    book.top(side, n, out);
    return out;
}

SimConfig config(double rate)
{
    SimConfig c;
    c.seed = 21;
    c.symbols = 10;
    c.rate = rate;
    c.depth = 20;
    return c;
}

} // namespace

class TestDemoServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void servesSubscribedInstrumentsInSequence()
    {
        DemoServerThread server(config(5000));
        QVERIFY(server.url().isValid());
        QCOMPARE(server.url().host(), QStringLiteral("127.0.0.1"));
        Client client(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.instruments, 10, 5000);
        QVERIFY(client.firstWasInstruments);
        QTRY_COMPARE_WITH_TIMEOUT(server.server()->clientCount(), 1, 5000);

        client.subscribe({0, 3});
        QTRY_VERIFY_WITH_TIMEOUT(client.eventsFor(0) > 20 && client.eventsFor(3) > 5, 10000);
        QCOMPARE(client.snapshots[0], 1);
        QCOMPARE(client.snapshots[3], 1);
        // Nothing for instruments that were not asked for.
        for (std::uint32_t id : {1u, 2u, 4u, 5u, 9u})
            QCOMPARE(client.eventsFor(id), 0);

        // Unsubscribe stops the instrument; subscribing again starts over with a fresh snapshot.
        client.unsubscribe(3);
        QTest::qWait(300);
        const int before = client.eventsFor(3);
        QTest::qWait(300);
        QCOMPARE(client.eventsFor(3), before);
        client.subscribe({3});
        QTRY_COMPARE_WITH_TIMEOUT(client.snapshots[3], 2, 5000);

        // Paused and caught up: the client's books are exactly the simulator's.
        server.server()->pause();
        QVERIFY(server.server()->isPaused());
        const auto caughtUp = [&] {
            return client.books[0].sequence() == server.server()->bookCopy(0, 0).sequence
                && client.books[3].sequence() == server.server()->bookCopy(3, 0).sequence;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 5000);
        for (std::uint32_t id : {0u, 3u}) {
            const BookCopy expected = server.server()->bookCopy(id, 1000);
            QVERIFY(expected.bids.size() >= 20);
            QCOMPARE(top(client.books[id], BookSide::Bid, 1000), expected.bids);
            QCOMPARE(top(client.books[id], BookSide::Ask, 1000), expected.asks);
            QCOMPARE(client.books[id].integrity(), BookIntegrity::Synced);
        }
        QCOMPARE(client.seqErrors, 0);
        QCOMPARE(client.bookErrors, 0);
        QCOMPARE(client.malformed, 0);
        QVERIFY(client.errors.isEmpty());

        // While paused the connection is kept alive by heartbeats, and no market event arrives.
        const int events = client.eventsFor(0);
        QTRY_VERIFY_WITH_TIMEOUT(client.heartbeats >= 2, 5000);
        QCOMPARE(client.eventsFor(0), events);

        server.server()->resume();
        QTRY_VERIFY_WITH_TIMEOUT(client.eventsFor(0) > events, 5000);
        QCOMPARE(client.seqErrors, 0);
        QVERIFY(server.server()->framesSent() >= static_cast<std::uint64_t>(client.frames));
    }

    void subscribeAllWithEmptyList()
    {
        DemoServerThread server(config(20000));
        Client client(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.instruments, 10, 5000);
        client.subscribe({});
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(client.snapshots.size()), 10, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(client.tickers > 0, 10000);
        QCOMPARE(client.bookErrors, 0);
    }

    void badRequestsGetAnErrorAndKeepTheConnection()
    {
        DemoServerThread server(config(100));
        Client client(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.instruments, 10, 5000);
        client.socket.sendBinaryMessage(QByteArray("\xff\xff\xff", 3));
        client.socket.sendTextMessage(QStringLiteral("{\"subscribe\":\"BTC\"}"));
        client.subscribe({42});
        demo::Envelope heartbeat;
        heartbeat.mutable_heartbeat();
        client.send(heartbeat);
        QTRY_COMPARE_WITH_TIMEOUT(client.errors.size(), 4, 5000);
        QVERIFY(client.errors[0].contains(QStringLiteral("malformed")));
        QVERIFY(client.errors[1].contains(QStringLiteral("text frames")));
        QVERIFY(client.errors[2].contains(QStringLiteral("unknown instrument id 42")));
        QVERIFY(client.errors[3].contains(QStringLiteral("only subscribe")));
        client.subscribe({1});
        QTRY_COMPARE_WITH_TIMEOUT(client.snapshots[1], 1, 5000);
        QVERIFY(!client.disconnected);
    }

    void twoClientsSeeTheSameMarket()
    {
        DemoServerThread server(config(10000));
        Client a(server.url());
        Client b(server.url());
        QTRY_VERIFY_WITH_TIMEOUT(a.instruments == 10 && b.instruments == 10, 5000);
        a.subscribe({2});
        b.subscribe({2});
        QTRY_VERIFY_WITH_TIMEOUT(a.eventsFor(2) > 10 && b.eventsFor(2) > 10, 10000);
        server.server()->pause();
        const std::uint64_t seq = server.server()->bookCopy(2, 0).sequence;
        QTRY_VERIFY_WITH_TIMEOUT(a.books[2].sequence() == seq && b.books[2].sequence() == seq, 5000);
        QCOMPARE(top(a.books[2], BookSide::Bid, 100), top(b.books[2], BookSide::Bid, 100));
        QCOMPARE(top(a.books[2], BookSide::Ask, 100), top(b.books[2], BookSide::Ask, 100));
        QCOMPARE(a.seqErrors + b.seqErrors + a.bookErrors + b.bookErrors, 0);
    }

    void slowConsumerIsDisconnected()
    {
        DemoServerThread server(config(200000));
        Client client(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.instruments, 10, 5000);
        server.server()->setMaxPendingBytes(1); // from now on anything queued counts as falling behind
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("disconnecting slow consumer")));
        client.subscribe({});
        QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, 10000);
        QCOMPARE(server.server()->slowConsumersDropped(), 1u);
        QTRY_COMPARE_WITH_TIMEOUT(server.server()->clientCount(), 0, 5000);
    }

    void listenFailureIsReported()
    {
        DemoServerThread first(config(10));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("could not listen")));
        DemoServerThread second(config(10), QHostAddress::LocalHost, static_cast<quint16>(first.url().port()));
        QVERIFY(second.url().isEmpty());
        QVERIFY(!second.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demoserver.moc"
