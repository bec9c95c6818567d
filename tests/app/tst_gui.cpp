// The real main window (qrc:/Tickscope/Main.qml with the real hub and models) on a loopback demo
// server: every panel gets rows, the prices on screen change between two grabs; window geometry,
// pane sizes and theme survive a restart.
#include "demoprotocol.h"
#include "demoserver.h"
#include "fatalwarnings.h"
#include "markethub.h"

#include <QApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQmlListReference>
#include <QQmlProperty>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TickscopePlugin)
Q_IMPORT_QML_PLUGIN(Tickscope_ModelsPlugin)

using namespace tickscope;

namespace {
/// Items whose accessible name is `name` (the panels' tables carry one).
QQuickItem *findAccessible(QQuickItem *root, const QString &name)
{
    const QVariant accessibleName = QQmlProperty::read(root, QStringLiteral("Accessible.name"), qmlContext(root));
    if (accessibleName.toString() == name)
        return root;
    for (QQuickItem *child : root->childItems()) {
        if (QQuickItem *found = findAccessible(child, name))
            return found;
    }
    return nullptr;
}
/// The first item named `name` in the visual tree under `root` (Repeater delegates included).
QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (root->objectName() == name)
        return root;
    for (QQuickItem *child : root->childItems()) {
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
}
/// Loads the real main window into `engine` and waits until it is on screen (nullptr if it is not).
QQuickWindow *showMainWindow(QQmlApplicationEngine &engine)
{
    engine.load(QUrl(QStringLiteral("qrc:/Tickscope/Main.qml")));
    if (engine.rootObjects().size() != 1)
        return nullptr;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    return window && QTest::qWaitForWindowExposed(window) ? window : nullptr;
}
} // namespace

class TestGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Each test starts without remembered window geometry and theme, and leaves none behind.
    void init()
    {
        test::installFatalWarnings();
        QSettings(QStringLiteral("Tickscope"), QStringLiteral("tst_gui")).clear();
    }
    void cleanup() { QSettings(QStringLiteral("Tickscope"), QStringLiteral("tst_gui")).clear(); }

    void everyPanelHasRowsAndPricesMove()
    {
        SimConfig config;
        config.rate = 5000;
        DemoServerThread server(config);
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        FeedConfig feed;
        feed.name = QStringLiteral("demo");
        hub.addFeed(std::make_unique<DemoProtocol>(server.url()), feed);
        hub.frameDriver().setMode(FrameDriver::Mode::Timer);

        QQmlApplicationEngine engine;
        QQuickWindow *window = showMainWindow(engine);
        QVERIFY(window);

        const QStringList tables {QStringLiteral("Watchlist"), QStringLiteral("Asks"), QStringLiteral("Bids"),
                                  QStringLiteral("Trades")};
        for (const QString &name : tables) {
            QQuickItem *view = findAccessible(window->contentItem(), name);
            QVERIFY2(view, qPrintable(name));
            QTRY_VERIFY2_WITH_TIMEOUT(view->property("count").toInt() > 0, qPrintable(name), 10000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(hub.candles()->rowCount() > 0, 10000);

        // The status pill shows the feed model's values (a delegate must not hide the pill's own).
        QQuickItem *top = window->contentItem();
        while (top->parentItem())
            top = top->parentItem(); // the footer sits beside the content item
        auto *pill = findItem(top, QStringLiteral("statusPill"));
        QVERIFY(pill);
        QTRY_COMPARE_WITH_TIMEOUT(pill->property("liveStateText").toString(), QStringLiteral("Live"), 10000);
        // The venue's display name from the model, not the feed id.
        QVERIFY2(pill->property("label").toString().startsWith(QStringLiteral("Demo  Live")),
                 qPrintable(pill->property("label").toString()));
        hub.pauseFeed(0);
        QTRY_COMPARE_WITH_TIMEOUT(pill->property("liveStateText").toString(), QStringLiteral("Paused"), 5000);
        const QString tip = QQmlProperty::read(pill, QStringLiteral("ToolTip.text"), qmlContext(pill)).toString();
        QVERIFY2(tip.contains(QStringLiteral("last: paused by the user")), qPrintable(tip));
        hub.resumeFeed(0);
        QTRY_COMPARE_WITH_TIMEOUT(pill->property("liveStateText").toString(), QStringLiteral("Live"), 10000);

        const QImage first = window->grabWindow();
        QTest::qWait(1500);
        const QImage second = window->grabWindow();
        QCOMPARE(first.size(), second.size());
        QVERIFY2(first != second, "nothing on screen changed in 1.5 s of live data");
        window->close();
    }

    /// A feed that cannot be reached: the empty panels say why instead of staying blank, and the
    /// chart shows no made-up scale; once the server is up they fill and the notes go.
    void emptyPanelsSayWhy()
    {
        QTcpServer probe; // a loopback port with nothing listening on it
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        FeedConfig feed;
        feed.name = QStringLiteral("demo");
        feed.backoffBase = std::chrono::milliseconds(100);
        feed.backoffCap = std::chrono::milliseconds(200);
        hub.addFeed(std::make_unique<DemoProtocol>(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port))), feed);
        hub.frameDriver().setMode(FrameDriver::Mode::Timer);

        QQmlApplicationEngine engine;
        QQuickWindow *window = showMainWindow(engine);
        QVERIFY(window);

        QList<QQuickItem *> notes;
        for (const QString &name :
             {QStringLiteral("bookNote"), QStringLiteral("tradesNote"), QStringLiteral("chartNote")}) {
            QQuickItem *note = findItem(window->contentItem(), name);
            QVERIFY2(note, qPrintable(name));
            notes << note;
        }
        for (QQuickItem *note : std::as_const(notes)) {
            QTRY_VERIFY_WITH_TIMEOUT(note->property("text").toString().startsWith(
                                         QStringLiteral("Waiting for demo — Reconnecting (attempt ")),
                                     5000);
            QVERIFY2(note->property("text").toString().contains(QStringLiteral("refused")),
                     qPrintable(note->property("text").toString()));
            QVERIFY(note->isVisible());
            QVERIFY(note->width() > 100);
        }
        // No scale on the empty chart (a 0…1 price axis and a row of 00:00:00 would be made up).
        QQuickItem *chart = findItem(window->contentItem(), QStringLiteral("priceChart"));
        QVERIFY(chart);
        const QQmlListReference axes(chart, "axes");
        QCOMPARE(axes.count(), 2);
        const auto labelsShown = [&axes] {
            return axes.at(0)->property("labelsVisible").toBool() || axes.at(1)->property("labelsVisible").toBool();
        };
        QVERIFY(!labelsShown());

        DemoServerThread server(SimConfig {}, QHostAddress::LocalHost, port);
        QVERIFY2(server.url().isValid(), "the port was taken meanwhile");
        for (QQuickItem *note : std::as_const(notes))
            QTRY_VERIFY2_WITH_TIMEOUT(!note->isVisible(), qPrintable(note->objectName()), 10000);
        QCOMPARE(hub.dataNote(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(
            axes.at(0)->property("labelsVisible").toBool() && axes.at(1)->property("labelsVisible").toBool(), 5000);
        window->close();
    }

    /// A selected instrument whose book has no levels: the book says why (its row count is fixed,
    /// so the note follows the models' `empty`), and its badge does not claim a resync while the
    /// feed is down.
    void anEmptyBookSaysWhy()
    {
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        hub.frameDriver().setMode(FrameDriver::Mode::Timer);
        FeedSnapshot feed;
        feed.name = QStringLiteral("demo");
        feed.state = FeedState::Live;
        feed.detail = QStringLiteral("receiving data");
        hub.handoff().publish({}, &feed);
        Instrument btc;
        btc.venue = QStringLiteral("demo");
        btc.symbol = QStringLiteral("BTC-USD");
        btc.priceScale = 2;
        btc.qtyScale = 8;
        const InstrumentId id = hub.handoff().registerInstrument(btc);

        QQmlApplicationEngine engine;
        QQuickWindow *window = showMainWindow(engine);
        QVERIFY(window);
        QQuickItem *note = findItem(window->contentItem(), QStringLiteral("bookNote"));
        QQuickItem *badge = findItem(window->contentItem(), QStringLiteral("bookBadge"));
        QVERIFY(note && badge);
        QTRY_COMPARE_WITH_TIMEOUT(hub.selectedSymbol(), QStringLiteral("BTC-USD"), 5000);
        QCOMPARE(hub.bids()->rowCount(), 20); // rows, but no levels
        QTRY_VERIFY_WITH_TIMEOUT(note->isVisible(), 5000);
        QCOMPARE(note->property("text").toString(), QStringLiteral("Resyncing: waiting for a snapshot of the book"));
        QVERIFY(badge->property("text").toString().endsWith(QStringLiteral("resyncing")));

        // The feed goes down before the snapshot came: offline, and the note says why.
        feed.state = FeedState::Reconnecting;
        feed.detail = QStringLiteral("Connection refused");
        feed.attempt = 2;
        InstrumentUpdate down;
        down.reset(id);
        down.integrity = BookIntegrity::Resyncing;
        down.stale = true;
        hub.handoff().publish({&down}, &feed);
        QTRY_VERIFY_WITH_TIMEOUT(badge->property("text").toString().endsWith(QStringLiteral("offline")), 5000);
        QCOMPARE(note->property("text").toString(),
                 QStringLiteral("Waiting for demo — Reconnecting (attempt 2): Connection refused"));
        QVERIFY(note->isVisible());

        // Back, with a book: the levels replace the note.
        feed.state = FeedState::Live;
        feed.detail = QStringLiteral("receiving data");
        InstrumentUpdate synced;
        synced.reset(id);
        synced.integrity = BookIntegrity::Synced;
        synced.bids = {{6'000'000, 100'000'000}};
        synced.asks = {{6'000'100, 50'000'000}};
        hub.handoff().publish({&synced}, &feed);
        QTRY_VERIFY_WITH_TIMEOUT(!note->isVisible(), 5000);
        QVERIFY(badge->property("text").toString().endsWith(QStringLiteral("synced")));
        QVERIFY(!hub.bids()->isEmpty());
        window->close();
    }

    /// Buttons, dialogs and menus take the theme's colours (from the window's palette), in both
    /// themes, instead of the platform style's light grey.
    void controlsFollowTheTheme()
    {
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        QQmlApplicationEngine engine;
        QQuickWindow *window = showMainWindow(engine);
        QVERIFY(window);
        auto *button = window->findChild<QQuickItem *>(QStringLiteral("settingsButton"));
        auto *dialog = window->findChild<QObject *>(QStringLiteral("settingsDialog"));
        auto *tabs = window->findChild<QQuickItem *>(QStringLiteral("settingsTabs"));
        QVERIFY(button && dialog && tabs);
        const auto colour = [](QObject *object, const char *role) {
            return QQmlProperty::read(object, QStringLiteral("palette.") + QLatin1String(role), qmlContext(object))
                .value<QColor>();
        };
        const auto check = [&](const QColor &control, const QColor &text) {
            QCOMPARE(colour(button, "button"), control);
            QCOMPARE(colour(button, "buttonText"), text);
            QCOMPARE(colour(dialog, "button"), control); // a popup inherits the window's palette
            QCOMPARE(colour(tabs, "buttonText"), text);
        };
        check(QColor(QStringLiteral("#252e39")), QColor(QStringLiteral("#e3e8ee"))); // dark
        QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(colour(button, "button"), QColor(QStringLiteral("#e3e8ed")));
        check(QColor(QStringLiteral("#e3e8ed")), QColor(QStringLiteral("#1b2128"))); // light
        QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(colour(button, "button"), QColor(QStringLiteral("#252e39")));
        window->close();
    }

    /// A window made narrow keeps every pane on screen at its minimum width or more: the watchlist
    /// gives up width first, then the book (SplitView alone squeezed the chart and trades column to
    /// nothing and pushed the book out of the window).
    void aNarrowWindowKeepsEveryPane()
    {
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        QQmlApplicationEngine engine;
        QQuickWindow *window = showMainWindow(engine);
        QVERIFY(window);
        auto *watchlist = window->findChild<QQuickItem *>(QStringLiteral("watchlistPane"));
        auto *trades = window->findChild<QQuickItem *>(QStringLiteral("tradesPane"));
        auto *book = window->findChild<QQuickItem *>(QStringLiteral("bookPane"));
        QVERIFY(watchlist && trades && book);
        const auto rightEdge = [](QQuickItem *item) { return item->mapToScene(QPointF(item->width(), 0)).x(); };
        for (const int width : {1000, 1200, 1000}) {
            window->resize(width, 640);
            QTRY_COMPARE(window->width(), width);
            QTRY_VERIFY2(rightEdge(book) <= width + 0.5, qPrintable(QString::number(rightEdge(book))));
            QVERIFY2(watchlist->width() >= 300, qPrintable(QString::number(watchlist->width())));
            QVERIFY2(trades->width() >= 340, qPrintable(QString::number(trades->width())));
            QVERIFY2(book->width() >= 330, qPrintable(QString::number(book->width())));
        }
        window->close();
    }

    void geometryPanesAndThemeAreRemembered()
    {
        DemoServerThread server(SimConfig {});
        MarketHub hub(nullptr);
        MarketHub::setInstance(&hub);
        FeedConfig feed;
        feed.name = QStringLiteral("demo");
        hub.addFeed(std::make_unique<DemoProtocol>(server.url()), feed);

        QColor darkColour;
        {
            QQmlApplicationEngine engine;
            QQuickWindow *window = showMainWindow(engine);
            QVERIFY(window);
            darkColour = window->color();
            window->resize(1210, 705);
            auto *watchlist = window->findChild<QQuickItem *>(QStringLiteral("watchlistPane"));
            auto *trades = window->findChild<QQuickItem *>(QStringLiteral("tradesPane"));
            QVERIFY(watchlist && trades);
            QQmlProperty::write(watchlist, QStringLiteral("SplitView.preferredWidth"), 520, qmlContext(watchlist));
            QQmlProperty::write(trades, QStringLiteral("SplitView.preferredHeight"), 210, qmlContext(trades));
            QTRY_COMPARE(watchlist->width(), 520.0);
            QTRY_COMPARE(trades->height(), 210.0);
            QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier); // light theme
            QTRY_VERIFY(window->color() != darkColour);
            window->close(); // saves the pane layout
        }
        {
            QQmlApplicationEngine engine;
            QQuickWindow *window = showMainWindow(engine);
            QVERIFY(window);
            QCOMPARE(window->width(), 1210);
            QCOMPARE(window->height(), 705);
            auto *watchlist = window->findChild<QQuickItem *>(QStringLiteral("watchlistPane"));
            auto *trades = window->findChild<QQuickItem *>(QStringLiteral("tradesPane"));
            QVERIFY(watchlist && trades);
            QTRY_COMPARE(watchlist->width(), 520.0);
            QTRY_COMPARE(trades->height(), 210.0);
            QVERIFY(window->color() != darkColour); // still the light theme
            QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier); // back to dark for the next run
            QTRY_COMPARE(window->color(), darkColour);
            window->close();
        }
    }
};

int main(int argc, char *argv[])
{
    // QtCharts draws through the Graphics View framework: a QApplication, as in the app.
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Tickscope"));
    QApplication::setOrganizationDomain(QStringLiteral("tickscope.test"));
    QApplication::setApplicationName(QStringLiteral("tst_gui"));
    QStandardPaths::setTestModeEnabled(true); // remembered geometry goes to a test location
    TestGui test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_gui.moc"
