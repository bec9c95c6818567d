// tickscope: wiring only. Starts the embedded demo feed (or connects to --feed), builds the market
// hub, loads the QML module and ties the frame driver to the window's frames.
#include "demoprotocol.h"
#include "demoserver.h"
#include "markethub.h"
#include "pipelinestats.h"
#include "windowstats.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(TickscopePlugin)
Q_IMPORT_QML_PLUGIN(Tickscope_ModelsPlugin)

using namespace tickscope;

namespace {
int fail(const QString &message)
{
    std::fprintf(stderr, "tickscope: %s\n", qPrintable(message));
    return 2;
}
} // namespace

int main(int argc, char *argv[])
{
    const std::int64_t processStartNs = steadyNowNs();
    // QApplication, not QGuiApplication: QtCharts draws through the Graphics View framework.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tickscope"));
    QApplication::setOrganizationName(QStringLiteral("Tickscope"));
    QApplication::setOrganizationDomain(QStringLiteral("tickscope.app"));
    QApplication::setApplicationVersion(QStringLiteral(TICKSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Live market data dashboard"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption feedOption(
        QStringLiteral("feed"),
        QStringLiteral("Connect to a demo-protocol server (e.g. a running tickscope-sim) "
                       "instead of the built-in demo feed."),
        QStringLiteral("URL"));
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after"), QStringLiteral("Quit after this many seconds."), QStringLiteral("SECONDS"));
    const QCommandLineOption statsOption(QStringLiteral("stats"),
                                         QStringLiteral("Write the pipeline statistics as JSON to PATH at exit."),
                                         QStringLiteral("PATH"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save a PNG of the window to PATH (after --after "
                                                             "seconds, default 3) and exit."),
                                              QStringLiteral("PATH"));
    const QCommandLineOption afterOption(QStringLiteral("after"),
                                         QStringLiteral("Seconds to wait before --screenshot (default 3)."),
                                         QStringLiteral("SECONDS"));
    parser.addOptions({feedOption, quitAfterOption, statsOption, screenshotOption, afterOption});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().constFirst()));

    double quitAfter = 0;
    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        quitAfter = parser.value(quitAfterOption).toDouble(&ok);
        if (!ok || quitAfter <= 0)
            return fail(QStringLiteral("--quit-after needs a positive number of seconds"));
    }

    double screenshotAfter = 3;
    if (parser.isSet(afterOption)) {
        bool ok = false;
        screenshotAfter = parser.value(afterOption).toDouble(&ok);
        if (!ok || screenshotAfter < 0)
            return fail(QStringLiteral("--after needs a number of seconds >= 0"));
        if (!parser.isSet(screenshotOption))
            return fail(QStringLiteral("--after only applies to --screenshot"));
    }
    const QString screenshotPath = parser.value(screenshotOption);
    if (parser.isSet(screenshotOption) && screenshotPath.isEmpty())
        return fail(QStringLiteral("--screenshot needs a file path"));

    // The demo server runs on its own thread inside the app unless the user points us elsewhere.
    std::unique_ptr<DemoServerThread> embeddedDemo;
    QUrl feedUrl;
    if (parser.isSet(feedOption)) {
        feedUrl = QUrl(parser.value(feedOption), QUrl::StrictMode);
        if (!feedUrl.isValid() || (feedUrl.scheme() != QLatin1String("ws") && feedUrl.scheme() != QLatin1String("wss"))
            || feedUrl.host().isEmpty())
            return fail(QStringLiteral("--feed needs a ws:// or wss:// URL, got '%1'").arg(parser.value(feedOption)));
    } else {
        embeddedDemo = std::make_unique<DemoServerThread>(SimConfig {});
        feedUrl = embeddedDemo->url();
        if (feedUrl.isEmpty())
            return fail(QStringLiteral("could not start the built-in demo feed on 127.0.0.1"));
    }

    MarketHub hub(nullptr);
    MarketHub::setInstance(&hub);
    FeedConfig demoConfig;
    demoConfig.name = QStringLiteral("demo");
    hub.addFeed(std::make_unique<DemoProtocol>(feedUrl), demoConfig);

    // Glyphs from the platform rasteriser, not distance fields: crisper at 1x, and on software
    // OpenGL (Mesa llvmpipe) the distance-field shader costs about a third of every frame.
    QQuickWindow::setTextRenderType(QQuickWindow::NativeTextRendering);

    QQmlApplicationEngine engine;
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    engine.loadFromModule("Tickscope", "Main");
#else
    engine.load(QUrl(QStringLiteral("qrc:/Tickscope/Main.qml")));
#endif
    auto *window
        = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    if (!window)
        return fail(QStringLiteral("the main window failed to load"));

    // Frame-driven coalescing: the handoff wakes the driver, the driver asks for a frame, and the
    // frame drains the handoff once. No data → no frame.
    FrameDriver &driver = hub.frameDriver();
    driver.setMode(FrameDriver::Mode::External);
    QObject::connect(&driver, &FrameDriver::frameRequested, window, &QQuickWindow::requestUpdate);
    QObject::connect(window, &QQuickWindow::afterAnimating, &driver, &FrameDriver::drainNow, Qt::DirectConnection);
    if (hub.handoff().hasPending())
        window->requestUpdate();

    auto *windowStats = new WindowStats(window, processStartNs);
    QObject::connect(&driver, &FrameDriver::drained, windowStats, [windowStats, &hub] {
        if (hub.cache().feeds().empty() || hub.cache().feeds().front().booksSynced == 0)
            return;
        windowStats->markLiveData();
    });

    const QString statsPath = parser.value(statsOption);
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &app, [&] {
        if (statsPath.isEmpty())
            return;
        QFile file(statsPath);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "tickscope: cannot write stats to %s: %s\n", qPrintable(statsPath),
                         qPrintable(file.errorString()));
            return;
        }
        QJsonObject stats = hub.statsJson();
        const QJsonObject windowJson = windowStats->json();
        for (auto it = windowJson.begin(); it != windowJson.end(); ++it)
            stats.insert(it.key(), it.value());
        file.write(QJsonDocument(stats).toJson());
    });
    if (!screenshotPath.isEmpty()) {
        QTimer::singleShot(static_cast<int>(screenshotAfter * 1000), window, [window, screenshotPath] {
            const QImage image = window->grabWindow();
            if (image.isNull() || !image.save(screenshotPath, "PNG")) {
                std::fprintf(stderr, "tickscope: could not write the screenshot to %s\n", qPrintable(screenshotPath));
                QCoreApplication::exit(1);
                return;
            }
            std::fprintf(stderr, "tickscope: screenshot saved to %s (%dx%d)\n", qPrintable(screenshotPath),
                         image.width(), image.height());
            QCoreApplication::exit(0);
        });
    }
    if (quitAfter > 0)
        QTimer::singleShot(static_cast<int>(quitAfter * 1000), &app, &QCoreApplication::quit);

    return app.exec();
}
