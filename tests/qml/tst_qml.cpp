// Runs the tst_*.qml QtQuickTest files of this folder against the app's own QML modules
// (Tickscope, Tickscope.Models), linked in statically like in the app. The MarketHub singleton is
// real: a demo server on a loopback port feeds it, so components that read live data (symbol
// search, chart read-out) are tested against the same pipeline as in the app.
#include "demoprotocol.h"
#include "demoserver.h"
#include "markethub.h"
#include "marketsimulator.h"

#include <QApplication>
#include <QQmlEngine>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(TickscopePlugin)
Q_IMPORT_QML_PLUGIN(Tickscope_ModelsPlugin)

using namespace tickscope;

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        SimConfig config;
        config.rate = 2000; // enough to move prices and build candles, little enough for a busy CI machine
        m_server = std::make_unique<DemoServerThread>(config);
        m_hub = std::make_unique<MarketHub>(nullptr);
        MarketHub::setInstance(m_hub.get());
        // A fresh workspace of the test's own, as a first start makes it: one list of the demo
        // instruments.
        QStringList demoSymbols;
        const MarketSimulator demoMarket(config);
        for (const Instrument &instrument : demoMarket.instruments())
            demoSymbols.append(instrument.symbol);
        m_hub->workspace()->load(m_configDir.path(), Workspace::defaults(demoSymbols));
        FeedConfig feed;
        feed.name = QStringLiteral("demo");
        const int demo = m_hub->addFeed(std::make_unique<DemoProtocol>(m_server->url()), feed);
        // The venues as the app starts them, from settings of the test's own (cleared) location,
        // with the bundled instrument lists and no downloads: tests never reach real exchanges.
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("venues"));
        VenueSettings &venues = *m_hub->venues();
        venues.setAutoRefresh(false);
        venues.setCacheDir(m_cacheDir.path());
        venues.setDemoFeed(demo, m_server->url());
        venues.start();
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // The statically linked modules keep their qmldir under qrc:/<URI>/ (Qt 6.4's default prefix).
        engine->addImportPath(QStringLiteral("qrc:/"));
    }
    void cleanupTestCase()
    {
        m_hub.reset();
        m_server.reset();
    }

private:
    std::unique_ptr<DemoServerThread> m_server;
    std::unique_ptr<MarketHub> m_hub;
    QTemporaryDir m_cacheDir;
    QTemporaryDir m_configDir;
};

// QtCharts' QML types need a QApplication; quick_test_main uses the application that already exists.
int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("TickscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_qml"));
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "tickscope_qml", QUICK_TEST_SOURCE_DIR, &setup);
}
#include "tst_qml.moc"
