// tickscope: wiring only. Starts the embedded demo feed (or connects to --feed), builds the market
// hub, loads the QML module and ties the frame driver to the window's frames.
#include "appinfo.h"
#include "demoprotocol.h"
#include "demoserver.h"
#include "feedoptions.h"
#include "framescheduler.h"
#include "markethub.h"
#include "pipelinestats.h"
#include "windowstats.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QImage>
#include <QJsonDocument>
#include <QNetworkProxyFactory>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
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

/// Whether any of `names` is one of the command-line arguments (looked at before Qt parses them).
bool hasArgument(int argc, char *argv[], std::initializer_list<QLatin1String> names)
{
    for (int i = 1; i < argc; ++i) {
        if (std::find(names.begin(), names.end(), QLatin1String(argv[i])) != names.end())
            return true;
    }
    return false;
}

/// Why the window cannot open, when that is known before Qt tries: on Linux and the BSDs, no X11 or
/// Wayland display and no platform chosen (Qt would abort with a message about plugins). Empty when
/// the window can be tried.
QString missingDisplay(int argc, char *argv[])
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return {};
    if (hasArgument(argc, argv, {QLatin1String("-platform"), QLatin1String("--platform")}))
        return {};
    return QStringLiteral("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). Start it in "
                          "a desktop session, with scripts/run.sh (which falls back to a virtual display), under "
                          "xvfb-run, or with QT_QPA_PLATFORM=offscreen for --screenshot and --stats runs.");
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return {};
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    const std::int64_t processStartNs = steadyNowNs();
    QApplication::setApplicationName(QStringLiteral("Tickscope"));
    QApplication::setOrganizationName(QStringLiteral("Tickscope"));
    QApplication::setOrganizationDomain(QStringLiteral("tickscope.app"));
    QApplication::setApplicationVersion(AppInfo::version());

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
    const QCommandLineOption proxyOption(
        QStringLiteral("proxy"),
        QStringLiteral("Proxy of the feed: system (default), none, http://host:port or socks5://host:port."),
        QStringLiteral("PROXY"));
    const QCommandLineOption caOption(QStringLiteral("feed-ca"),
                                      QStringLiteral("Also trust the CA certificate(s) in this PEM file for the "
                                                     "feed's wss:// connection (repeatable)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption pinOption(
        QStringLiteral("feed-pin"),
        QStringLiteral("Accept only the server certificate with this SHA-256 fingerprint (64 hex digits)."),
        QStringLiteral("SHA256"));
    const QCommandLineOption silenceOption(
        QStringLiteral("silence-timeout"),
        QStringLiteral("Seconds without data before the feed is Stale; twice that replaces the connection "
                       "(default 5)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption configDirOption(
        QStringLiteral("config-dir"),
        QStringLiteral("Keep the workspace and settings in DIR instead of the user's configuration folder "
                       "(tests, portable installs)."),
        QStringLiteral("DIR"));
    const QCommandLineOption maxFpsOption(
        QStringLiteral("max-fps"),
        QStringLiteral("Render at most N frames per second (1-1000; default: as often as the display or, "
                       "without vsync, the CPU allows). Saves CPU on machines without a GPU."),
        QStringLiteral("N"));
    parser.addOptions({feedOption, quitAfterOption, statsOption, screenshotOption, afterOption, proxyOption, caOption,
                       pinOption, silenceOption, configDirOption, maxFpsOption});
    // --help and --version need no window system: answered before the GUI application exists, so
    // they work in a terminal on a machine without a display (over SSH, in a container).
    if (hasArgument(argc, argv,
                    {QLatin1String("-h"), QLatin1String("--help"), QLatin1String("-?"), QLatin1String("-v"),
                     QLatin1String("--version")})) {
        QCoreApplication info(argc, argv);
        parser.parse(QCoreApplication::arguments());
        if (parser.isSet(QStringLiteral("help")))
            parser.showHelp(0);
        if (parser.isSet(QStringLiteral("version")))
            parser.showVersion();
    }
    if (const QString why = missingDisplay(argc, argv); !why.isEmpty())
        return fail(why);

    // QApplication, not QGuiApplication: QtCharts draws through the Graphics View framework.
    QApplication app(argc, argv);
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().constFirst()));

    // Where the workspace (and the settings file) live.
    QString configDir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    if (parser.isSet(configDirOption)) {
        configDir = QDir(parser.value(configDirOption)).absolutePath();
        if (parser.value(configDirOption).isEmpty() || !QDir().mkpath(configDir) || !QFileInfo(configDir).isWritable())
            return fail(
                QStringLiteral("--config-dir: cannot create or write to '%1'").arg(parser.value(configDirOption)));
        // QSettings() then reads <DIR>/Tickscope/Tickscope.conf.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, configDir);
    }

    int maxFps = 0;
    if (parser.isSet(maxFpsOption)) {
        bool ok = false;
        maxFps = parser.value(maxFpsOption).toInt(&ok);
        if (!ok || maxFps < 1 || maxFps > 1000)
            return fail(QStringLiteral("--max-fps needs a whole number of frames per second from 1 to 1000, got '%1'")
                            .arg(parser.value(maxFpsOption)));
    }
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

    // Connection settings of the feed: the settings file's [feed] group, overridden by the
    // command line. A bad value on the command line is an error; one in the settings file is
    // reported and ignored, so a damaged file never keeps the app from starting.
    QNetworkProxyFactory::setUseSystemConfiguration(true); // "system" proxy = the OS's settings
    FeedConfig demoConfig;
    demoConfig.name = QStringLiteral("demo");
    {
        QSettings settings;
        settings.beginGroup(QStringLiteral("feed"));
        const auto warn = [](const QString &message) {
            std::fprintf(stderr, "tickscope: settings: %s (ignored)\n", qPrintable(message));
        };
        QString error;
        if (settings.contains(QStringLiteral("proxy"))) {
            if (const auto proxy = feedoptions::parseProxy(settings.value(QStringLiteral("proxy")).toString(), &error))
                demoConfig.proxy = *proxy;
            else
                warn(error);
        }
        for (const QString &path : settings.value(QStringLiteral("trustedCa")).toStringList()) {
            if (const auto certificates = feedoptions::loadCertificates(path, &error))
                demoConfig.trustedCertificates += *certificates;
            else
                warn(error);
        }
        if (settings.contains(QStringLiteral("pinSha256"))) {
            if (const auto pin = feedoptions::parsePin(settings.value(QStringLiteral("pinSha256")).toString(), &error))
                demoConfig.pinnedSha256 = *pin;
            else
                warn(error);
        }
        // silenceTimeoutSeconds of this group moved into the workspace (Settings → Connection);
        // loadWorkspace() takes it over on a first start.
        if (settings.contains(QStringLiteral("silenceTimeoutSeconds")))
            warn(QStringLiteral("silenceTimeoutSeconds is now set in Settings → Connection"));
        if (settings.contains(QStringLiteral("subscriptionSilenceSeconds"))) {
            bool ok = false;
            const double seconds = settings.value(QStringLiteral("subscriptionSilenceSeconds")).toDouble(&ok);
            if (ok && seconds >= 0 && seconds <= 3600)
                demoConfig.subscriptionSilenceTimeout = std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
            else
                warn(QStringLiteral("subscriptionSilenceSeconds must be from 0 (off) to 3600"));
        }
        if (settings.contains(QStringLiteral("maxFrameMiB"))) {
            bool ok = false;
            const double mib = settings.value(QStringLiteral("maxFrameMiB")).toDouble(&ok);
            if (ok && mib >= 0.0625 && mib <= 1024)
                demoConfig.maxFrameBytes = static_cast<qint64>(mib * 1024 * 1024);
            else
                warn(QStringLiteral("maxFrameMiB must be from 0.0625 to 1024"));
        }
    }
    // --silence-timeout holds for this run only; otherwise the workspace's setting applies.
    std::chrono::milliseconds silenceOverride {0};
    {
        QString error;
        if (parser.isSet(proxyOption)) {
            const auto proxy = feedoptions::parseProxy(parser.value(proxyOption), &error);
            if (!proxy)
                return fail(error);
            demoConfig.proxy = *proxy;
        }
        for (const QString &path : parser.values(caOption)) {
            const auto certificates = feedoptions::loadCertificates(path, &error);
            if (!certificates)
                return fail(error);
            demoConfig.trustedCertificates += *certificates;
        }
        if (parser.isSet(pinOption)) {
            const auto pin = feedoptions::parsePin(parser.value(pinOption), &error);
            if (!pin)
                return fail(error);
            demoConfig.pinnedSha256 = *pin;
        }
        if (parser.isSet(silenceOption)) {
            bool ok = false;
            const double seconds = parser.value(silenceOption).toDouble(&ok);
            if (!ok || seconds < 1 || seconds > 600)
                return fail(QStringLiteral("--silence-timeout needs a number of seconds from 1 to 600"));
            silenceOverride = std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
        }
    }

    // A loopback feed (the built-in demo, a local tickscope-sim, a test server) never goes through
    // the system proxy.
    const auto isLoopback = [](const QUrl &url) {
        const QHostAddress host(url.host());
        return url.host() == QLatin1String("localhost") || (!host.isNull() && host.isLoopback());
    };
    // Venue feeds share the connection settings; a pinned certificate belongs to the demo feed only.
    FeedConfig venueConfig = demoConfig;
    venueConfig.pinnedSha256.clear();
    if (demoConfig.proxy.type() == QNetworkProxy::DefaultProxy && isLoopback(feedUrl))
        demoConfig.proxy = QNetworkProxy(QNetworkProxy::NoProxy);

    MarketHub hub(nullptr);
    MarketHub::setInstance(&hub);
    {
        // The workspace; a new user's watchlist holds the demo instruments.
        QStringList demoSymbols;
        const MarketSimulator demoMarket {SimConfig {}};
        for (const Instrument &instrument : demoMarket.instruments())
            demoSymbols.append(instrument.symbol);
        hub.workspace()->load(configDir, Workspace::defaults(demoSymbols), QSettings().fileName());
        if (!hub.workspace()->loadMessage().isEmpty())
            std::fprintf(stderr, "tickscope: %s\n", qPrintable(hub.workspace()->loadMessage()));
    }
    // Reconnect delays and the silence timeout of every feed follow the workspace (Settings →
    // Connection), live.
    hub.setSilenceTimeoutOverride(silenceOverride);
    const int demoFeed = hub.addFeed(std::make_unique<DemoProtocol>(feedUrl), demoConfig, true);
    // Exchange venues the user enabled (feeds settings page) run as feeds of their own.
    VenueSettings &venueSettings = *hub.venues();
    venueSettings.setConfigFactory([venueConfig, isLoopback](const QString &, const QUrl &url) {
        FeedConfig config = venueConfig;
        if (config.proxy.type() == QNetworkProxy::DefaultProxy && isLoopback(url))
            config.proxy = QNetworkProxy(QNetworkProxy::NoProxy);
        return config;
    });
    QObject::connect(&venueSettings, &VenueSettings::notice, &app,
                     [](const QString &text) { std::fprintf(stderr, "tickscope: %s\n", qPrintable(text)); });
    venueSettings.setDemoFeed(demoFeed, feedUrl);
    venueSettings.start();

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

    // The pill's recent latency starts with the first frame on screen (--stats keeps all).
    countRecentLatencyFromFirstFrame(window, hub.cache());

    // Frame-driven coalescing: the handoff wakes the driver, the driver asks the scheduler for a
    // frame, and the frame drains the handoff once, at its start. No data → no frame.
    FrameDriver &driver = hub.frameDriver();
    driver.setMode(FrameDriver::Mode::External);
    auto *scheduler = new FrameScheduler(window, maxFps);
    QObject::connect(&driver, &FrameDriver::frameRequested, scheduler, &FrameScheduler::requestFrame);
    QObject::connect(scheduler, &FrameScheduler::frameStarting, &driver, &FrameDriver::drainNow, Qt::DirectConnection);
    if (hub.handoff().hasPending())
        scheduler->requestFrame();

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
