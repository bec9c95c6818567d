// Feed health against the real demo server with injected faults: a server killed and restarted 20
// times, a half-open (stalled) connection, lost messages, garbage frames, refused handshakes and
// TLS trust (a private CA, a pinned certificate).
#include "demoprotocol.h"
#include "demoserver.h"
#include "fatalwarnings.h"
#include "feedconnection.h"
#include "handoff.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace tickscope;

namespace {

constexpr int kSymbols = 8;

SimConfig simConfig(double rate = 2000)
{
    SimConfig config;
    config.symbols = kSymbols;
    config.rate = rate;
    config.depth = 20;
    return config;
}

FeedConfig fastConfig()
{
    FeedConfig config;
    config.name = QStringLiteral("demo");
    config.backoffBase = std::chrono::milliseconds(20);
    config.backoffCap = std::chrono::milliseconds(200);
    config.minPublishInterval = std::chrono::milliseconds(1);
    return config;
}

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/tls/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

QSslConfiguration serverTls()
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(QSslCertificate::fromData(readData(QStringLiteral("server.crt")), QSsl::Pem));
    tls.setPrivateKey(QSslKey(readData(QStringLiteral("server.key")), QSsl::Rsa, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

/// How many times the feed entered `state` (transitions can be shorter than a poll).
qsizetype entered(const QSignalSpy &spy, FeedState state)
{
    return std::count_if(spy.cbegin(), spy.cend(),
                         [state](const QList<QVariant> &args) { return args.first().value<FeedState>() == state; });
}

/// A feed to `url`, whose server answers the upgrade with 403 (counting its `connections`),
/// fails once with the reason and does not retry.
void refusedHandshakeFails(const QUrl &url, const FeedConfig &config, const int &connections)
{
    Handoff handoff;
    PipelineStats stats;
    FeedConnection feed(0, std::make_unique<DemoProtocol>(url), config, handoff, stats);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: handshake refused: 403")));
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Failed, 5000);
    QVERIFY2(feed.status().detail.startsWith(QStringLiteral("handshake refused: 403")),
             qPrintable(feed.status().detail));
    QTest::qWait(500);
    QCOMPARE(connections, 1); // no retries
    QCOMPARE(feed.state(), FeedState::Failed);
}

/// A minimal SOCKS5 proxy (no authentication, CONNECT to an IPv4 address) that relays bytes and
/// counts the tunnels it opened: enough to prove a feed really goes through its proxy.
class Socks5Proxy : public QObject
{
public:
    Socks5Proxy()
    {
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = server.nextPendingConnection())
                serve(client);
        });
    }
    quint16 port() const { return server.serverPort(); }
    int tunnels = 0;

private:
    void serve(QTcpSocket *client)
    {
        auto *buffer = new QByteArray;
        auto *upstream = new QTcpSocket(client);
        connect(client, &QTcpSocket::disconnected, client, [client, buffer] {
            delete buffer;
            client->deleteLater();
        });
        connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, buffer] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            buffer->append(client->readAll());
            if (buffer->size() >= 3 && buffer->at(0) == 5 && !client->property("greeted").toBool()) {
                const int methods = static_cast<unsigned char>(buffer->at(1));
                if (buffer->size() < 2 + methods)
                    return;
                buffer->remove(0, 2 + methods);
                client->setProperty("greeted", true);
                client->write(QByteArray("\x05\x00", 2)); // no authentication
            }
            // CONNECT request: 05 01 00 01 a b c d port(2)
            if (client->property("greeted").toBool() && buffer->size() >= 10 && buffer->at(3) == 1) {
                const auto *b = reinterpret_cast<const unsigned char *>(buffer->constData());
                const QHostAddress target((quint32(b[4]) << 24) | (quint32(b[5]) << 16) | (quint32(b[6]) << 8) | b[7]);
                const quint16 port = static_cast<quint16>((b[8] << 8) | b[9]);
                buffer->remove(0, 10);
                connect(upstream, &QTcpSocket::connected, client, [this, client, upstream, buffer] {
                    ++tunnels;
                    client->write(QByteArray("\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10));
                    if (!buffer->isEmpty())
                        upstream->write(*buffer);
                    buffer->clear();
                });
                connect(upstream, &QTcpSocket::readyRead, client,
                        [client, upstream] { client->write(upstream->readAll()); });
                connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
                upstream->connectToHost(target, port);
            }
        });
    }
    QTcpServer server;
};

/// A minimal HTTP CONNECT proxy that relays bytes and counts its tunnels.
class HttpConnectProxy : public QObject
{
public:
    HttpConnectProxy()
    {
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = server.nextPendingConnection())
                serve(client);
        });
    }
    quint16 port() const { return server.serverPort(); }
    int tunnels = 0;
    QByteArray lastRequestLine;

private:
    void serve(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(client, &QTcpSocket::readyRead, client, [this, client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            const QByteArray head = client->peek(client->bytesAvailable());
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0 || upstream->state() != QAbstractSocket::UnconnectedState)
                return;
            client->read(end + 4);
            lastRequestLine = head.left(head.indexOf("\r\n"));
            const QList<QByteArray> parts = lastRequestLine.split(' ');
            if (parts.size() < 2 || parts[0] != "CONNECT") {
                client->write("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            const QList<QByteArray> target = parts[1].split(':');
            connect(upstream, &QTcpSocket::connected, client, [this, client] {
                ++tunnels;
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
            });
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            upstream->connectToHost(QString::fromLatin1(target.value(0)),
                                    static_cast<quint16>(target.value(1).toUInt()));
        });
    }
    QTcpServer server;
};

} // namespace

class TestFeedHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void serverKilledAndRestarted20Times()
    {
        auto server = std::make_unique<DemoServerThread>(simConfig());
        QVERIFY(!server->url().isEmpty());
        const QUrl url = server->url();
        const quint16 port = static_cast<quint16>(url.port());
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(url), fastConfig(), handoff, stats);
        QSignalSpy states(&feed, &FeedConnection::stateChanged);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);

        for (int round = 1; round <= 20; ++round) {
            const qsizetype reconnectingBefore = entered(states, FeedState::Reconnecting);
            server.reset(); // the venue goes away: every socket closes
            QTRY_VERIFY_WITH_TIMEOUT(entered(states, FeedState::Reconnecting) > reconnectingBefore, 5000);
            QVERIFY2(feed.market().booksSynced() < kSymbols, "books shown live while the venue is down");
            server = std::make_unique<DemoServerThread>(simConfig(), QHostAddress::LocalHost, port);
            QVERIFY2(!server->url().isEmpty(), qPrintable(server->errorString()));
            // Recovered: live again, every subscription restored (a snapshot per book) and resynced.
            QTRY_COMPARE_WITH_TIMEOUT(entered(states, FeedState::Live), round + 1, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
        }
        QCOMPARE(feed.state(), FeedState::Live);
        QVERIFY(feed.status().reconnects >= 20u);
        QCOMPARE(handoff.instrumentCount(), static_cast<std::size_t>(kSymbols));
    }

    void stalledConnectionGoesStaleAndIsReplaced()
    {
        FaultConfig faults;
        faults.stallEverySeconds = 2;
        faults.stallForSeconds = 60; // the stalled connection never speaks again
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, faults);
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.silenceTimeout = std::chrono::milliseconds(1500);
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        QSignalSpy states(&feed, &FeedConnection::stateChanged);
        QElapsedTimer clock;
        clock.start();
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(entered(states, FeedState::Stale) >= 1, 6000);
        const qint64 staleAt = clock.elapsed();
        QVERIFY(feed.market().booksSynced() < kSymbols || feed.state() != FeedState::Live);
        // Replaced within twice the silence timeout (plus one liveness tick), then live again.
        QTRY_VERIFY_WITH_TIMEOUT(entered(states, FeedState::Reconnecting) >= 1, 4000);
        QVERIFY2(clock.elapsed() - staleAt < 3000, "a stale connection was kept too long");
        QTRY_VERIFY_WITH_TIMEOUT(entered(states, FeedState::Live) >= 2, 5000);
        QVERIFY(server.server()->faultCounts().stalls >= 1);
    }

    void lostMessagesResyncBooksWithoutDroppingTheConnection()
    {
        FaultConfig faults;
        faults.gapProbability = 0.01;
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, faults);
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(feed.status().resyncs >= 5u, 10000);
        QVERIFY(server.server()->faultCounts().gaps >= 5u);
        QCOMPARE(feed.status().reconnects, 0u); // a book gap is mended on the open connection
        QVERIFY(feed.status().gaps >= 5u);
        // Books come back: at some moment every book is synced again.
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
    }

    void garbageFramesAreCountedAndTheConnectionKept()
    {
        FaultConfig faults;
        faults.corruptProbability = 0.01;
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, faults);
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad frame")));
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(feed.status().decodeErrors >= 10u, 10000);
        QCOMPARE(feed.status().reconnects, 0u);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.market().booksSynced(), kSymbols);
        const std::uint64_t sent = server.server()->faultCounts().corrupt;
        QVERIFY(sent >= feed.status().decodeErrors); // every garbage frame received was counted, no more
    }

    void refusedHandshakesAreRetried()
    {
        FaultConfig faults;
        faults.refuseForSeconds = 1;
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, faults);
        Handoff handoff;
        PipelineStats stats;
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Live, 10000);
        QVERIFY(server.server()->faultCounts().refused >= 1u);
        QVERIFY(feed.status().reconnects >= 1u);
    }

    void handshakeRefusedWith4xxNeedsTheUser()
    {
        // A plain HTTP server that forbids the upgrade: retrying cannot help.
        QTcpServer http;
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        int connections = 0;
        connect(&http, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = http.nextPendingConnection();
            ++connections;
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket->disconnectFromHost();
            });
        });
        refusedHandshakeFails(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(http.serverPort())), fastConfig(),
                              connections);
    }

    void handshakeRefusedOverTlsNeedsTheUser()
    {
        // The same over wss://, where a failed connect's reason is read only after disconnected()
        // (FeedConnection::onDisconnected): a refused handshake must still stop the retries.
        QSslServer https;
        https.setSslConfiguration(serverTls());
        QVERIFY(https.listen(QHostAddress::LocalHost, 0));
        int connections = 0;
        connect(&https, &QSslServer::pendingConnectionAvailable, this, [&] {
            auto *socket = static_cast<QSslSocket *>(https.nextPendingConnection());
            ++connections;
            const auto answer = [socket] {
                if (!socket->canReadLine())
                    return;
                socket->readAll();
                socket->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket->disconnectFromHost();
            };
            connect(socket, &QSslSocket::readyRead, socket, answer);
            answer();
        });
        FeedConfig config = fastConfig();
        config.trustedCertificates = QSslCertificate::fromData(readData(QStringLiteral("ca.crt")), QSsl::Pem);
        refusedHandshakeFails(QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(https.serverPort())), config, connections);
    }

    void explicitSocks5ProxyIsUsed()
    {
        Socks5Proxy proxy;
        DemoServerThread server(simConfig());
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), proxy.port());
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
        QCOMPARE(proxy.tunnels, 1); // the whole feed went through the proxy
    }

    void explicitHttpProxyIsUsed()
    {
        HttpConnectProxy proxy;
        DemoServerThread server(simConfig());
        Handoff handoff;
        PipelineStats stats;
        FeedConfig config = fastConfig();
        config.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port());
        FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
        QCOMPARE(proxy.tunnels, 1);
        QCOMPARE(proxy.lastRequestLine,
                 QStringLiteral("CONNECT 127.0.0.1:%1 HTTP/1.1").arg(server.url().port()).toLatin1());
    }

    void selfSignedServerIsRefusedUntilItsCaIsTrusted()
    {
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, {}, serverTls());
        QCOMPARE(server.url().scheme(), QStringLiteral("wss"));
        Handoff handoff;
        PipelineStats stats;
        {
            FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), fastConfig(), handoff, stats);
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("TLS:")));
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: certificate not trusted")));
            feed.start();
            QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Failed, 5000);
            QCOMPARE(feed.status().detail, QStringLiteral("certificate not trusted"));
            QCOMPARE(feed.market().booksSynced(), 0);
            QTest::qWait(300);
            QCOMPARE(feed.state(), FeedState::Failed); // stays failed: no retry loop against a bad certificate
        }
        {
            FeedConfig config = fastConfig();
            config.trustedCertificates = QSslCertificate::fromData(readData(QStringLiteral("ca.crt")), QSsl::Pem);
            QCOMPARE(config.trustedCertificates.size(), 1);
            Handoff trustedHandoff;
            FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, trustedHandoff, stats);
            feed.start();
            QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
            QCOMPARE(feed.state(), FeedState::Live);
        }
    }

    void pinnedCertificateIsTheOnlyOneAccepted()
    {
        DemoServerThread server(simConfig(), QHostAddress::LocalHost, 0, {}, serverTls());
        const QSslCertificate serverCert
            = QSslCertificate::fromData(readData(QStringLiteral("server.crt")), QSsl::Pem).constFirst();
        const QSslCertificate caCert
            = QSslCertificate::fromData(readData(QStringLiteral("ca.crt")), QSsl::Pem).constFirst();
        PipelineStats stats;
        {
            // Pinned, no CA: accepted, because it is exactly that certificate.
            FeedConfig config = fastConfig();
            config.pinnedSha256 = serverCert.digest(QCryptographicHash::Sha256);
            Handoff handoff;
            FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
            feed.start();
            QTRY_COMPARE_WITH_TIMEOUT(feed.market().booksSynced(), kSymbols, 10000);
        }
        {
            // CA trusted but another certificate pinned: refused.
            FeedConfig config = fastConfig();
            config.trustedCertificates = {caCert};
            config.pinnedSha256 = caCert.digest(QCryptographicHash::Sha256);
            Handoff handoff;
            FeedConnection feed(0, std::make_unique<DemoProtocol>(server.url()), config, handoff, stats);
            QTest::ignoreMessage(QtWarningMsg,
                                 QRegularExpression(QStringLiteral("failed: certificate does not match")));
            feed.start();
            QTRY_COMPARE_WITH_TIMEOUT(feed.state(), FeedState::Failed, 5000);
            QCOMPARE(feed.status().detail, QStringLiteral("certificate does not match the pinned one"));
        }
    }
};

QTEST_GUILESS_MAIN(TestFeedHealth)
#include "tst_feedhealth.moc"
