// The venues as the app runs them: defaults (demo on, exchanges off, bundled instrument lists),
// refused endpoints, following an instrument starts that venue's own feed (a loopback Kraken v2
// server here) and selects the instrument once it arrives, a second symbol restarts the feed
// without duplicating rows, everything persists, a damaged instrument cache falls back to the
// bundled list with a notice, and an instrument list is fetched from a loopback REST server.
#include "fatalwarnings.h"
#include "instrumentcatalog.h"
#include "markethub.h"
#include "venuesettings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace tickscope;

namespace {

const QByteArray kInstruments
    = "{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[],\"pairs\":["
      "{\"symbol\":\"ALGO/USD\",\"base\":\"ALGO\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
      "\"qty_increment\":0.00000001,\"price_precision\":5,\"price_increment\":0.00001},"
      "{\"symbol\":\"MATIC/USD\",\"base\":\"MATIC\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
      "\"qty_increment\":0.00000001,\"price_precision\":4,\"price_increment\":0.0001}]}}";

/// A Kraken v2 stand-in that answers the instrument subscription with two pairs and every book
/// subscription with a snapshot of each requested pair.
class KrakenServer : public QObject
{
public:
    KrakenServer()
        : server(QStringLiteral("kraken"), QWebSocketServer::NonSecureMode)
    {
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *client = server.nextPendingConnection();
            client->setParent(this);
            ++connections;
            connect(client, &QWebSocket::textMessageReceived, this, [this, client](const QString &text) {
                const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
                const QJsonObject params = request.value(QLatin1String("params")).toObject();
                const QString channel = params.value(QLatin1String("channel")).toString();
                if (request.value(QLatin1String("method")).toString() != QLatin1String("subscribe"))
                    return;
                if (channel == QLatin1String("instrument")) {
                    client->sendTextMessage(QString::fromUtf8(kInstruments));
                } else if (channel == QLatin1String("book")) {
                    QStringList symbols;
                    for (const QJsonValue &s : params.value(QLatin1String("symbol")).toArray())
                        symbols << s.toString();
                    lastBookSymbols = symbols;
                    for (const QString &symbol : symbols) {
                        client->sendTextMessage(
                            QStringLiteral("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"%1\","
                                           "\"bids\":[{\"price\":0.5,\"qty\":10}],\"asks\":[{\"price\":0.6,\"qty\":"
                                           "20}]}]}")
                                .arg(symbol));
                    }
                }
            });
        });
    }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/v2").arg(server.serverPort()); }

    QWebSocketServer server;
    int connections = 0;
    QStringList lastBookSymbols;
};

/// Answers every HTTP GET with `body` (one request per connection) and records the paths asked.
class HttpServer : public QObject
{
public:
    explicit HttpServer(QByteArray body)
        : m_body(std::move(body))
    {
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                const QByteArray request = socket->readAll();
                paths << QString::fromLatin1(request.split(' ').value(1));
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                              "Content-Length: "
                              + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()); }

    QTcpServer server;
    QStringList paths;

private:
    QByteArray m_body;
};

int countOf(MarketHub &hub, const QString &venue, const QString &symbol)
{
    int n = 0;
    for (InstrumentId id = 0; id < hub.cache().instrumentCount(); ++id) {
        const Instrument &i = hub.cache().instrument(id);
        n += (i.venue == venue && i.symbol == symbol) ? 1 : 0;
    }
    return n;
}

} // namespace

class TestVenueSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TickscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_venuesettings"));
    }
    void init()
    {
        test::installFatalWarnings();
        QSettings().clear();
        QVERIFY(m_config.isValid());
        QFile::remove(workspacePath(m_config.path()));
        QVERIFY(m_cache.isValid());
        for (const char *venue : {"binance", "okx"})
            QFile::remove(catalogCachePath(QLatin1String(venue), m_cache.path()));
    }

    void defaults()
    {
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        QCOMPARE(venues.rowCount(), 6); // demo, binance, coinbase, kraken, okx, bybit (Kraken v1 is replay-only)
        const int demo = venues.rowOf(QStringLiteral("demo"));
        QCOMPARE(demo, 0);
        QVERIFY(venues.data(venues.index(demo), VenueSettings::EnabledRole).toBool());
        for (const char *id : {"binance", "coinbase", "kraken", "okx", "bybit"}) {
            const QModelIndex at = venues.index(venues.rowOf(QLatin1String(id)));
            QVERIFY2(at.isValid(), id);
            QVERIFY2(!venues.data(at, VenueSettings::EnabledRole).toBool(), id); // off until enabled
            QCOMPARE(venues.data(at, VenueSettings::CatalogOriginRole).toString(), QStringLiteral("bundled"));
            QVERIFY2(venues.data(at, VenueSettings::InstrumentCountRole).toInt() >= 10, id); // offline fallback
            QCOMPARE(venues.data(at, VenueSettings::FeedIndexRole).toInt(), -1);
            QVERIFY(venues.data(at, VenueSettings::WsUrlRole).toString().startsWith(QLatin1String("wss://")));
        }
        QAbstractItemModelTester tester(&venues, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Nothing of a disabled venue is offered for adding; an enabled one's catalogue is.
        QVERIFY(venues.searchCatalogs(QStringLiteral("BTC"), 50).isEmpty());
    }

    void badEndpointsAreRefusedAndChangeNothing()
    {
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        const int row = venues.rowOf(QStringLiteral("okx"));
        const QString before = venues.data(venues.index(row), VenueSettings::WsUrlRole).toString();
        QVERIFY(
            venues.setEndpoints(row, QStringLiteral("http://ws.example"), QString()).contains(QLatin1String("ws://")));
        QVERIFY(venues.setEndpoints(row, QStringLiteral("wss://"), QString()).contains(QLatin1String("host")));
        QVERIFY(!venues.setEndpoints(row, QString(), QStringLiteral("ftp://files.example")).isEmpty());
        QCOMPARE(venues.data(venues.index(row), VenueSettings::WsUrlRole).toString(), before);
        QVERIFY(hub.workspace()->workspace().feeds.value(QStringLiteral("okx")).wsUrl.isEmpty());
        QVERIFY(!venues.follow(QStringLiteral("nowhere"), QStringLiteral("X")).isEmpty());
    }

    void followStartsTheVenueFeedAndPersists()
    {
        KrakenServer server;
        {
            MarketHub hub(nullptr);
            VenueSettings &venues = prepare(hub);
            const int row = venues.rowOf(QStringLiteral("kraken"));
            QCOMPARE(venues.setEndpoints(row, server.url(), QString()), QString());
            QCOMPARE(server.connections, 0); // endpoints of a disabled venue: nothing connects

            QCOMPARE(hub.followInstrument(QStringLiteral("kraken"), QStringLiteral("MATIC/USD")), QString());
            QVERIFY(venues.data(venues.index(row), VenueSettings::EnabledRole).toBool());
            QCOMPARE(venues.data(venues.index(row), VenueSettings::SymbolsRole).toStringList(),
                     QStringList {QStringLiteral("MATIC/USD")});
            QTRY_COMPARE_WITH_TIMEOUT(
                (hub.frameDriver().drainNow(), countOf(hub, QStringLiteral("kraken"), QStringLiteral("MATIC/USD"))), 1,
                5000);
            // The book subscription follows the instrument list; the server may read it a moment later.
            QTRY_COMPARE_WITH_TIMEOUT(server.lastBookSymbols, QStringList {QStringLiteral("MATIC/USD")}, 5000);
            // The instrument the user picked is shown as soon as it exists.
            QTRY_COMPARE_WITH_TIMEOUT((hub.frameDriver().drainNow(), hub.selectedSymbol()), QStringLiteral("MATIC/USD"),
                                      5000);
            const int maticId = hub.selectedInstrument();

            // A second symbol restarts the venue's feed with both; MATIC keeps its row and id.
            QCOMPARE(hub.followInstrument(QStringLiteral("kraken"), QStringLiteral("ALGO/USD")), QString());
            QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 5000);
            QTRY_COMPARE_WITH_TIMEOUT(server.lastBookSymbols.size(), 2, 5000);
            QTRY_COMPARE_WITH_TIMEOUT(
                (hub.frameDriver().drainNow(), countOf(hub, QStringLiteral("kraken"), QStringLiteral("ALGO/USD"))), 1,
                5000);
            QCOMPARE(countOf(hub, QStringLiteral("kraken"), QStringLiteral("MATIC/USD")), 1);
            QTRY_COMPARE_WITH_TIMEOUT(hub.selectedSymbol(), QStringLiteral("ALGO/USD"), 5000);
            QVERIFY(hub.selectedInstrument() != maticId);
            // Followed instruments are no longer offered for adding; others of the venue are.
            const QVariantList offered = venues.searchCatalogs(QStringLiteral("USD"), 500);
            QVERIFY(!offered.isEmpty());
            for (const QVariant &entry : offered)
                QVERIFY(entry.toMap().value(QStringLiteral("symbol")).toString() != QLatin1String("MATIC/USD"));
        }
        // Everything is remembered.
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        const QModelIndex kraken = venues.index(venues.rowOf(QStringLiteral("kraken")));
        QVERIFY(venues.data(kraken, VenueSettings::EnabledRole).toBool());
        QCOMPARE(venues.data(kraken, VenueSettings::WsUrlRole).toString(), server.url());
        QCOMPARE(venues.data(kraken, VenueSettings::SymbolsRole).toStringList(),
                 (QStringList {QStringLiteral("MATIC/USD"), QStringLiteral("ALGO/USD")}));
        QTRY_COMPARE_WITH_TIMEOUT(server.connections, 3, 5000); // started again at launch
    }

    void severalVenuesEachItsOwnFeed()
    {
        KrakenServer kraken;
        QWebSocketServer okx(QStringLiteral("okx"), QWebSocketServer::NonSecureMode);
        QVERIFY(okx.listen(QHostAddress::LocalHost, 0));
        QStringList okxRequests;
        connect(&okx, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *client = okx.nextPendingConnection();
            client->setParent(&okx);
            connect(client, &QWebSocket::textMessageReceived, this, [&](const QString &text) { okxRequests << text; });
        });
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        const int krakenRow = venues.rowOf(QStringLiteral("kraken"));
        const int okxRow = venues.rowOf(QStringLiteral("okx"));
        QCOMPARE(venues.setEndpoints(krakenRow, kraken.url(), QString()), QString());
        QCOMPARE(venues.setEndpoints(okxRow, QStringLiteral("ws://127.0.0.1:%1/ws/v5/public").arg(okx.serverPort()),
                                     QString()),
                 QString());
        QCOMPARE(hub.followInstrument(QStringLiteral("kraken"), QStringLiteral("MATIC/USD")), QString());
        // A venue switched on with nothing followed starts with its usual first instruments.
        venues.setEnabled(okxRow, true);
        QCOMPARE(venues.data(venues.index(okxRow), VenueSettings::SymbolsRole).toStringList(),
                 (QStringList {QStringLiteral("BTC-USDT"), QStringLiteral("ETH-USDT"), QStringLiteral("SOL-USDT")}));
        const int krakenFeed = venues.data(venues.index(krakenRow), VenueSettings::FeedIndexRole).toInt();
        const int okxFeed = venues.data(venues.index(okxRow), VenueSettings::FeedIndexRole).toInt();
        QVERIFY(krakenFeed >= 0 && okxFeed >= 0 && krakenFeed != okxFeed);

        // Each venue its own connection, status pill and rows (the venue on each row).
        QTRY_VERIFY_WITH_TIMEOUT(!okxRequests.isEmpty(), 5000);
        QVERIFY(okxRequests.join(QLatin1Char('\n')).contains(QLatin1String("BTC-USDT")));
        QTRY_COMPARE_WITH_TIMEOUT((hub.frameDriver().drainNow(), hub.feeds()->rowCount()), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            (hub.frameDriver().drainNow(), countOf(hub, QStringLiteral("kraken"), QStringLiteral("MATIC/USD"))), 1,
            5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            (hub.frameDriver().drainNow(), countOf(hub, QStringLiteral("okx"), QStringLiteral("ETH-USDT"))), 1, 5000);
        QStringList names;
        for (int row = 0; row < hub.feeds()->rowCount(); ++row)
            names << hub.feeds()->data(hub.feeds()->index(row), FeedStatusModel::NameRole).toString();
        names.sort();
        QCOMPARE(names, (QStringList {QStringLiteral("kraken"), QStringLiteral("okx")}));
        for (InstrumentId id = 0; id < hub.cache().instrumentCount(); ++id) {
            const int row = hub.watchlist()->rowOf(static_cast<int>(id));
            QVERIFY(row >= 0);
            const QModelIndex at = hub.watchlist()->index(row);
            QCOMPARE(hub.watchlist()->data(at, WatchlistModel::VenueRole).toString(), hub.cache().instrument(id).venue);
        }
        // Switching one venue off leaves the other running.
        venues.setEnabled(okxRow, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            (hub.frameDriver().drainNow(),
             hub.feeds()
                 ->data(hub.feeds()->index(hub.feeds()->rowOfFeed(okxFeed)), FeedStatusModel::StateRole)
                 .toString()),
            QStringLiteral("Paused"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            (hub.frameDriver().drainNow(),
             hub.feeds()
                 ->data(hub.feeds()->index(hub.feeds()->rowOfFeed(krakenFeed)), FeedStatusModel::StateRole)
                 .toString()),
            QStringLiteral("Live"), 5000);
    }

    void instrumentListFetchedAndCached()
    {
        const QByteArray body = "{\"code\":\"0\",\"msg\":\"\",\"data\":["
                                "{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"baseCcy\":\"BTC\",\"quoteCcy\":"
                                "\"USDT\",\"tickSz\":\"0.1\",\"lotSz\":\"0.00000001\",\"state\":\"live\"},"
                                "{\"instType\":\"SPOT\",\"instId\":\"NEW-USDT\",\"baseCcy\":\"NEW\",\"quoteCcy\":"
                                "\"USDT\",\"tickSz\":\"0.0001\",\"lotSz\":\"0.01\",\"state\":\"live\"}]}";
        HttpServer rest(body);
        storeFeed(QStringLiteral("okx"), {false, {}, rest.url()});
        {
            MarketHub hub(nullptr);
            VenueSettings &venues = prepare(hub);
            const int row = venues.rowOf(QStringLiteral("okx"));
            QCOMPARE(venues.data(venues.index(row), VenueSettings::CatalogOriginRole).toString(),
                     QStringLiteral("bundled"));
            QSignalSpy notices(&venues, &VenueSettings::notice);
            venues.refreshInstruments(row);
            QTRY_COMPARE_WITH_TIMEOUT(venues.data(venues.index(row), VenueSettings::CatalogOriginRole).toString(),
                                      QStringLiteral("venue"), 5000);
            QCOMPARE(rest.paths, QStringList {QStringLiteral("/api/v5/public/instruments?instType=SPOT")});
            QCOMPARE(venues.data(venues.index(row), VenueSettings::InstrumentCountRole).toInt(), 2);
            QCOMPARE(venues.catalog(QStringLiteral("okx"))->instruments[1].symbol, QStringLiteral("NEW-USDT"));
            QCOMPARE(venues.catalog(QStringLiteral("okx"))->instruments[1].priceScale, 4);
            QVERIFY(notices.size() >= 1);
            QVERIFY(notices.last().first().toString().contains(QLatin1String("2 instruments")));
        }
        // The next start uses the cached list (no download needed).
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        const QModelIndex okx = venues.index(venues.rowOf(QStringLiteral("okx")));
        QCOMPARE(venues.data(okx, VenueSettings::CatalogOriginRole).toString(), QStringLiteral("cache"));
        QCOMPARE(venues.data(okx, VenueSettings::InstrumentCountRole).toInt(), 2);

        // A failing download keeps the list there is and says so.
        QTcpServer dead;
        QVERIFY(dead.listen(QHostAddress::LocalHost, 0));
        const quint16 port = dead.serverPort();
        dead.close(); // nothing listens there any more: connection refused
        QCOMPARE(venues.setEndpoints(okx.row(), QString(), QStringLiteral("http://127.0.0.1:%1").arg(port)), QString());
        venues.refreshInstruments(okx.row());
        QTRY_VERIFY_WITH_TIMEOUT(!venues.data(okx, VenueSettings::ErrorRole).toString().isEmpty(), 5000);
        QVERIFY(venues.data(okx, VenueSettings::ErrorRole).toString().contains(QLatin1String("cached")));
        QCOMPARE(venues.data(okx, VenueSettings::InstrumentCountRole).toInt(), 2);
    }

    void damagedSettingsAndCacheFallBack()
    {
        {
            QFile cache(catalogCachePath(QStringLiteral("binance"), m_cache.path()));
            QVERIFY(cache.open(QIODevice::WriteOnly));
            cache.write("{\"schema\":1,\"venue\":\"binance\",\"instruments\":[{\"symbol\":\"BTCUSDT\"}"); // truncated
        }
        storeFeed(QStringLiteral("bybit"), {false, QStringLiteral("not a url"), {}});
        MarketHub hub(nullptr);
        hub.workspace()->load(m_config.path(), Workspace::defaults());
        VenueSettings &venues = *hub.venues();
        venues.setAutoRefresh(false);
        venues.setCacheDir(m_cache.path());
        QSignalSpy notices(&venues, &VenueSettings::notice);
        venues.start();
        QStringList texts;
        for (const auto &n : notices)
            texts << n.first().toString();
        QVERIFY2(texts.join(QLatin1Char('\n')).contains(QLatin1String("unusable")),
                 qPrintable(texts.join(QLatin1Char('\n'))));
        QVERIFY(texts.join(QLatin1Char('\n')).contains(QLatin1String("Bybit")));
        const QModelIndex binance = venues.index(venues.rowOf(QStringLiteral("binance")));
        QCOMPARE(venues.data(binance, VenueSettings::CatalogOriginRole).toString(), QStringLiteral("bundled"));
        const QModelIndex bybit = venues.index(venues.rowOf(QStringLiteral("bybit")));
        QCOMPARE(venues.data(bybit, VenueSettings::WsUrlRole).toString(),
                 QStringLiteral("wss://stream.bybit.com/v5/public/spot"));
    }

    void settingsLiveInTheWorkspaceDocument()
    {
        KrakenServer server;
        QWebSocketServer okxServer(QStringLiteral("okx"), QWebSocketServer::NonSecureMode);
        QVERIFY(okxServer.listen(QHostAddress::LocalHost, 0));
        const QString okxUrl = QStringLiteral("ws://127.0.0.1:%1/ws").arg(okxServer.serverPort());
        {
            MarketHub hub(nullptr);
            VenueSettings &venues = prepare(hub);
            const int okx = venues.rowOf(QStringLiteral("okx"));
            QCOMPARE(venues.setEndpoints(okx, okxUrl, QString()), QString());
            venues.setEnabled(okx, true);
            venues.setEnabled(venues.rowOf(QStringLiteral("demo")), false);
            const int kraken = venues.rowOf(QStringLiteral("kraken"));
            QCOMPARE(venues.setEndpoints(kraken, server.url(), QString()), QString());
            QCOMPARE(hub.followInstrument(QStringLiteral("kraken"), QStringLiteral("MATIC/USD")), QString());
            QTRY_COMPARE_WITH_TIMEOUT(server.lastBookSymbols, QStringList {QStringLiteral("MATIC/USD")}, 5000);

            // A watchlist edited through the workspace: the venue's feed follows its instruments.
            hub.workspace()->modify([](Workspace &w) {
                w.watchlists[0].instruments.append({QStringLiteral("kraken"), QStringLiteral("ALGO/USD")});
            });
            QTRY_COMPARE_WITH_TIMEOUT(server.lastBookSymbols.size(), 2, 5000);
            QCOMPARE(venues.data(venues.index(kraken), VenueSettings::SymbolsRole).toStringList(),
                     (QStringList {QStringLiteral("MATIC/USD"), QStringLiteral("ALGO/USD")}));
            hub.workspace()->modify([](Workspace &w) {
                w.watchlists[0].instruments.removeAll(
                    InstrumentKey {QStringLiteral("kraken"), QStringLiteral("MATIC/USD")});
            });
            QCOMPARE(venues.data(venues.index(kraken), VenueSettings::SymbolsRole).toStringList(),
                     QStringList {QStringLiteral("ALGO/USD")});
            QTRY_COMPARE_WITH_TIMEOUT(server.lastBookSymbols, QStringList {QStringLiteral("ALGO/USD")}, 5000);
            QVERIFY(hub.workspace()->saveNow());
        }
        // Nothing of it in QSettings; all of it in workspace.json.
        QVERIFY(QSettings().allKeys().isEmpty());
        QFile file(workspacePath(m_config.path()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject feeds = json.value(QLatin1String("feeds")).toObject();
        QCOMPARE(feeds.value(QLatin1String("okx")).toObject().value(QLatin1String("enabled")).toBool(), true);
        QCOMPARE(feeds.value(QLatin1String("okx")).toObject().value(QLatin1String("ws_url")).toString(), okxUrl);
        QCOMPARE(feeds.value(QLatin1String("kraken")).toObject().value(QLatin1String("ws_url")).toString(),
                 server.url());
        // The demo feed: only whether it is on (its address is the embedded server's of this run).
        QCOMPARE(feeds.value(QLatin1String("demo")).toObject().value(QLatin1String("enabled")).toBool(), false);
        QCOMPARE(feeds.value(QLatin1String("demo")).toObject().value(QLatin1String("ws_url")).toString(), QString());
        // The followed instruments are the watchlist's: OKX's first three, then Kraken's.
        const std::optional<Workspace> w = Workspace::fromJson(json, nullptr);
        QVERIFY(w);
        QCOMPARE(w->watchlists[0].instruments,
                 (QList<InstrumentKey> {{QStringLiteral("okx"), QStringLiteral("BTC-USDT")},
                                        {QStringLiteral("okx"), QStringLiteral("ETH-USDT")},
                                        {QStringLiteral("okx"), QStringLiteral("SOL-USDT")},
                                        {QStringLiteral("kraken"), QStringLiteral("ALGO/USD")}}));

        // And the next start reads them from there.
        MarketHub hub(nullptr);
        VenueSettings &venues = prepare(hub);
        const QModelIndex okx = venues.index(venues.rowOf(QStringLiteral("okx")));
        QVERIFY(venues.data(okx, VenueSettings::EnabledRole).toBool());
        QCOMPARE(venues.data(okx, VenueSettings::WsUrlRole).toString(), okxUrl);
        QVERIFY(!venues.data(venues.index(venues.rowOf(QStringLiteral("demo"))), VenueSettings::EnabledRole).toBool());
    }

    void connectionSettingsApplyToFeedsLive()
    {
        MarketHub hub(nullptr);
        hub.workspace()->load(m_config.path(), Workspace::defaults());
        WorkspaceStore &store = *hub.workspace();
        // The venue's own silence timeout is the floor; the workspace's reconnect delays are taken.
        store.setReconnectBaseSeconds(1.5);
        store.setReconnectCapSeconds(45);
        FeedConfig config = hub.withWorkspaceTimeouts({}, std::chrono::milliseconds(30000));
        QCOMPARE(config.backoffBase.count(), 1500);
        QCOMPARE(config.backoffCap.count(), 45000);
        QCOMPARE(config.silenceTimeout.count(), 30000); // 5 s would make a quiet venue Stale
        store.setSilenceTimeoutSeconds(60);
        QCOMPARE(hub.withWorkspaceTimeouts({}, std::chrono::milliseconds(30000)).silenceTimeout.count(), 60000);
        QCOMPARE(hub.withWorkspaceTimeouts({}, std::chrono::milliseconds(5000)).silenceTimeout.count(), 60000);
        hub.setSilenceTimeoutOverride(std::chrono::milliseconds(2000)); // --silence-timeout
        QCOMPARE(hub.withWorkspaceTimeouts({}, std::chrono::milliseconds(30000)).silenceTimeout.count(), 2000);
        hub.setSilenceTimeoutOverride(std::chrono::milliseconds(0));
        store.setSilenceTimeoutSeconds(5);

        // A live feed that falls silent (the stand-in sends nothing after its snapshots): with the
        // silence timeout raised while it runs it stays Live past 5 s; a paused one stays paused.
        KrakenServer server;
        VenueSettings &venues = *hub.venues();
        venues.setAutoRefresh(false);
        venues.setCacheDir(m_cache.path());
        venues.start();
        const int kraken = venues.rowOf(QStringLiteral("kraken"));
        QCOMPARE(venues.setEndpoints(kraken, server.url(), QString()), QString());
        QCOMPARE(hub.followInstrument(QStringLiteral("kraken"), QStringLiteral("MATIC/USD")), QString());
        const int feed = venues.data(venues.index(kraken), VenueSettings::FeedIndexRole).toInt();
        const auto state = [&] {
            hub.frameDriver().drainNow();
            const int row = hub.feeds()->rowOfFeed(feed);
            return row < 0 ? QString()
                           : hub.feeds()->data(hub.feeds()->index(row), FeedStatusModel::StateRole).toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("Live"), 5000);
        store.setSilenceTimeoutSeconds(120);
        QTest::qWait(7000);
        QCOMPARE(state(), QStringLiteral("Live"));

        hub.pauseFeed(feed);
        QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("Paused"), 5000);
        const int connections = server.connections;
        store.setSilenceTimeoutSeconds(1);
        store.setReconnectBaseSeconds(0.05);
        QTest::qWait(1500);
        QCOMPARE(state(), QStringLiteral("Paused"));
        QCOMPARE(server.connections, connections);
    }

private:
    /// The venues of `hub` as the app starts them, with the workspace of this test's folder.
    VenueSettings &prepare(MarketHub &hub)
    {
        hub.workspace()->load(m_config.path(), Workspace::defaults());
        VenueSettings &venues = *hub.venues();
        venues.setAutoRefresh(false);
        venues.setCacheDir(m_cache.path());
        venues.start();
        return venues;
    }
    /// Writes a workspace whose feeds hold `feed` for `venue`.
    void storeFeed(const QString &venue, const VenueFeedSettings &feed)
    {
        Workspace w = Workspace::defaults();
        w.feeds.insert(venue, feed);
        QString error;
        QVERIFY2(saveWorkspace(w, workspacePath(m_config.path()), &error), qPrintable(error));
    }

    QTemporaryDir m_cache;
    QTemporaryDir m_config;
};

QTEST_GUILESS_MAIN(TestVenueSettings)
#include "tst_venuesettings.moc"
