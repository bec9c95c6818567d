// The real `tickscope` executable, as a user starts it: on the built-in demo feed and on a loopback
// demo server given with --feed, with --screenshot, --stats and --quit-after; bad options refused.
#include "demoserver.h"
#include "fatalwarnings.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSslKey>
#include <QTemporaryDir>
#include <QtTest>

using namespace tickscope;

namespace {

QProcessEnvironment appEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

/// A terminal without any window system: no X11 or Wayland display, no platform chosen.
QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return env;
}

/// Distinct colours in a coarse sample of the image: a blank window has one or two.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return static_cast<int>(colours.size());
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestAppSmoke : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void screenshotOnTheBuiltInDemoFeed()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("shot.png"));
        const QString stats = dir.filePath(QStringLiteral("stats.json"));
        QProcess app;
        app.setProcessEnvironment(appEnvironment());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                  {QStringLiteral("--screenshot"), png, QStringLiteral("--after"), QStringLiteral("2.5"),
                   QStringLiteral("--stats"), stats});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());

        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        // Rows of prices in several colours, not an empty window.
        QVERIFY2(distinctColours(image) > 20, qPrintable(QString::number(distinctColours(image))));

        const QJsonObject json = readJson(stats);
        for (const char *key : {"frames", "frame_interval_ms_p50", "frame_interval_ms_p99", "messages_received",
                                "messages_applied", "decode_errors", "drains", "latency_recv_to_model_ms_p50",
                                "latency_recv_to_model_ms_p99", "process_cpu_percent", "rss_mb", "feeds"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QVERIFY(json.value(QStringLiteral("messages_applied")).toInteger() > 100);
        QCOMPARE(json.value(QStringLiteral("decode_errors")).toInteger(), 0);
        QVERIFY(json.value(QStringLiteral("drains")).toInteger() > 0);
        QVERIFY(json.value(QStringLiteral("rss_mb")).toDouble() > 10);
        const QJsonArray feeds = json.value(QStringLiteral("feeds")).toArray();
        QCOMPARE(feeds.size(), 1);
        const QJsonObject feed = feeds.first().toObject();
        QCOMPARE(feed.value(QStringLiteral("state")).toString(), QStringLiteral("Live"));
        QCOMPARE(feed.value(QStringLiteral("books_synced")).toInt(), 50);
        for (const char *key :
             {"name", "state", "reconnects", "gaps", "resyncs", "checksum_ok", "checksum_bad", "decode_errors"})
            QVERIFY2(feed.contains(QLatin1String(key)), key);
    }

    void connectsToAGivenFeed()
    {
        SimConfig config;
        config.symbols = 12;
        config.rate = 5000;
        DemoServerThread server(config);
        QTemporaryDir dir;
        const QString stats = dir.filePath(QStringLiteral("stats.json"));
        QProcess app;
        app.setProcessEnvironment(appEnvironment());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                  {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--quit-after"),
                   QStringLiteral("2"), QStringLiteral("--stats"), stats});
        QTRY_COMPARE_WITH_TIMEOUT(server.server()->clientCount(), 1, 10000);
        QVERIFY(app.waitForFinished(30000));
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        const QJsonObject feed = readJson(stats).value(QStringLiteral("feeds")).toArray().first().toObject();
        QCOMPARE(feed.value(QStringLiteral("books_total")).toInt(), 12);
        QCOMPARE(feed.value(QStringLiteral("books_synced")).toInt(), 12);
        QCOMPARE(feed.value(QStringLiteral("url")).toString(), server.url().toString());
    }

    void wssFeedNeedsItsCaTrusted()
    {
        const auto read = [](const QString &name) {
            QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/tls/") + name);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QSslCertificate::fromData(read(QStringLiteral("server.crt")), QSsl::Pem));
        tls.setPrivateKey(QSslKey(read(QStringLiteral("server.key")), QSsl::Rsa, QSsl::Pem));
        SimConfig config;
        config.symbols = 6;
        DemoServerThread server(config, QHostAddress::LocalHost, 0, {}, tls);
        QCOMPARE(server.url().scheme(), QStringLiteral("wss"));
        QTemporaryDir dir;
        const auto run = [&](const QStringList &extra) {
            const QString stats = dir.filePath(QStringLiteral("stats.json"));
            QFile::remove(stats);
            QProcess app;
            app.setProcessEnvironment(appEnvironment());
            app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                      QStringList {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--quit-after"),
                                   QStringLiteral("3"), QStringLiteral("--stats"), stats}
                          + extra);
            app.waitForFinished(30000);
            return readJson(stats).value(QStringLiteral("feeds")).toArray().first().toObject();
        };
        const QJsonObject refused = run({});
        QCOMPARE(refused.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
        QCOMPARE(refused.value(QStringLiteral("detail")).toString(), QStringLiteral("certificate not trusted"));
        QCOMPARE(refused.value(QStringLiteral("books_synced")).toInt(), 0);
        const QJsonObject trusted
            = run({QStringLiteral("--feed-ca"), QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/tls/ca.crt")});
        QCOMPARE(trusted.value(QStringLiteral("state")).toString(), QStringLiteral("Live"));
        QCOMPARE(trusted.value(QStringLiteral("books_synced")).toInt(), 6);
    }

    void badFeedSettingsAreReportedAndIgnored()
    {
        QTemporaryDir config;
        QDir().mkpath(config.filePath(QStringLiteral("Tickscope")));
        QFile conf(config.filePath(QStringLiteral("Tickscope/Tickscope.conf")));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[feed]\nproxy=my proxy\nmaxFrameMiB=lots\npinSha256=abc\ntrustedCa=/nonexistent.pem\n");
        conf.close();
        SimConfig sim;
        sim.symbols = 5;
        DemoServerThread server(sim);
        const QString stats = config.filePath(QStringLiteral("stats.json"));
        QProcess app;
        QProcessEnvironment env = appEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                  {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--quit-after"),
                   QStringLiteral("2"), QStringLiteral("--stats"), stats});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 0); // a damaged settings file never keeps the app from starting
        const QString err = QString::fromUtf8(app.readAllStandardError());
        for (const char *expected : {"settings: proxy 'my proxy' is not", "settings: maxFrameMiB must be",
                                     "settings: certificate pin 'abc'", "settings: cannot read certificate file"})
            QVERIFY2(err.contains(QLatin1String(expected)), qPrintable(err));
        const QJsonObject feed = readJson(stats).value(QStringLiteral("feeds")).toArray().first().toObject();
        QCOMPARE(feed.value(QStringLiteral("books_synced")).toInt(), 5);
    }

    void workspaceInConfigDirSurvivesABadFile()
    {
        // --config-dir: a damaged workspace gives defaults, is kept aside, and is reported (stderr and
        // --stats); the next start finds the good file the first one wrote.
        QTemporaryDir dir;
        QFile bad(dir.filePath(QStringLiteral("workspace.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"schema_version\": 1, \"watchlists\": [");
        bad.close();
        SimConfig sim;
        sim.symbols = 3;
        DemoServerThread server(sim);
        auto run = [&](const QString &stats) {
            QProcess app;
            app.setProcessEnvironment(appEnvironment());
            app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                      {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--config-dir"), dir.path(),
                       QStringLiteral("--quit-after"), QStringLiteral("1.5"), QStringLiteral("--stats"), stats});
            if (!app.waitForFinished(30000))
                return QString(QStringLiteral("timeout"));
            return app.exitCode() == 0 ? QString::fromUtf8(app.readAllStandardError()) : QStringLiteral("failed");
        };
        const QString first = run(dir.filePath(QStringLiteral("first.json")));
        QVERIFY2(first.contains(QLatin1String("workspace file could not be used")), qPrintable(first));
        const QJsonObject workspace
            = readJson(dir.filePath(QStringLiteral("first.json"))).value(QStringLiteral("workspace")).toObject();
        QCOMPARE(workspace.value(QStringLiteral("loaded_from_backup_defaults")).toBool(), true);
        QCOMPARE(workspace.value(QStringLiteral("watchlists")).toInt(), 1);
        QCOMPARE(workspace.value(QStringLiteral("instruments")).toInt(), 50); // the demo instruments
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("workspace.json.bad-*")}).size(), 1);

        const QString second = run(dir.filePath(QStringLiteral("second.json")));
        QVERIFY2(!second.contains(QLatin1String("workspace file")), qPrintable(second));
        QCOMPARE(readJson(dir.filePath(QStringLiteral("second.json")))
                     .value(QStringLiteral("workspace"))
                     .toObject()
                     .value(QStringLiteral("loaded_from_backup_defaults"))
                     .toBool(),
                 false);
    }

    void badOptionsAreRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("feed not a websocket")
            << QStringList {QStringLiteral("--feed"), QStringLiteral("http://example.com")}
            << QStringLiteral("--feed needs a ws:// or wss:// URL");
        QTest::newRow("quit-after not a number")
            << QStringList {QStringLiteral("--quit-after"), QStringLiteral("soon")} << QStringLiteral("--quit-after");
        QTest::newRow("after without screenshot") << QStringList {QStringLiteral("--after"), QStringLiteral("2")}
                                                  << QStringLiteral("only applies to --screenshot");
        QTest::newRow("stray argument") << QStringList {QStringLiteral("BTC-USD")}
                                        << QStringLiteral("unexpected argument");
        QTest::newRow("proxy not a URL") << QStringList {QStringLiteral("--proxy"), QStringLiteral("my proxy")}
                                         << QStringLiteral("proxy 'my proxy' is not");
        QTest::newRow("pin not a fingerprint") << QStringList {QStringLiteral("--feed-pin"), QStringLiteral("abc")}
                                               << QStringLiteral("not a SHA-256 fingerprint");
        QTest::newRow("missing CA file") << QStringList {QStringLiteral("--feed-ca"),
                                                         QStringLiteral("/nonexistent.pem")}
                                         << QStringLiteral("cannot read certificate file /nonexistent.pem");
        QTest::newRow("silence timeout out of range")
            << QStringList {QStringLiteral("--silence-timeout"), QStringLiteral("0")}
            << QStringLiteral("--silence-timeout");
        QTest::newRow("max-fps zero") << QStringList {QStringLiteral("--max-fps"), QStringLiteral("0")}
                                      << QStringLiteral("--max-fps needs a whole number");
        QTest::newRow("max-fps not a number") << QStringList {QStringLiteral("--max-fps"), QStringLiteral("fast")}
                                              << QStringLiteral("--max-fps needs a whole number");
        QTest::newRow("config dir not creatable")
            << QStringList {QStringLiteral("--config-dir"), QStringLiteral("/proc/tickscope-no-such-place")}
            << QStringLiteral("--config-dir");
    }

    void badOptionsAreRefused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess app;
        app.setProcessEnvironment(appEnvironment());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH), arguments);
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitCode(), 2);
        const QString err = QString::fromUtf8(app.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void maxFpsCapsTheFramesOfTheRealApp()
    {
        // The built-in demo feed changes the window all the time; with --max-fps 5 it still renders,
        // at most 5 frames a second. 6 s: under AddressSanitizer on a loaded machine the first frame
        // can take seconds, which left a 3 s run little margin for its 3 frames.
        QTemporaryDir dir;
        const QString stats = dir.filePath(QStringLiteral("stats.json"));
        QProcess app;
        app.setProcessEnvironment(appEnvironment());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                  {QStringLiteral("--config-dir"), dir.path(), QStringLiteral("--max-fps"), QStringLiteral("5"),
                   QStringLiteral("--quit-after"), QStringLiteral("6"), QStringLiteral("--stats"), stats});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 0);
        const QJsonObject json = readJson(stats);
        const int frames = json.value(QStringLiteral("frames")).toInt();
        QVERIFY2(frames >= 3 && frames <= 6 * 5 + 2, qPrintable(QStringLiteral("%1 frames in 6 s").arg(frames)));
        QVERIFY(json.value(QStringLiteral("messages_applied")).toDouble() > 0);
        QVERIFY(json.value(QStringLiteral("frame_interval_ms_p50")).toDouble() >= 190);
    }

    void versionPrintsTheProjectVersion()
    {
        QProcess app;
        app.setProcessEnvironment(appEnvironment());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH), {QStringLiteral("--version")});
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitCode(), 0);
        // Exactly the CMake project version (project(VERSION) → TICKSCOPE_VERSION), nothing else.
        QCOMPARE(QString::fromUtf8(app.readAllStandardOutput()).trimmed(),
                 QStringLiteral("Tickscope " TICKSCOPE_VERSION));
    }

    void helpAndVersionNeedNoDisplay_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--help") << QStringLiteral("--help") << QStringLiteral("--feed <URL>");
        QTest::newRow("-h") << QStringLiteral("-h") << QStringLiteral("--screenshot <PATH>");
        QTest::newRow("--version") << QStringLiteral("--version") << QStringLiteral("Tickscope " TICKSCOPE_VERSION);
    }

    void helpAndVersionNeedNoDisplay()
    {
        // A terminal on a machine without a display (SSH, a container): no window system at all.
        QFETCH(QString, option);
        QFETCH(QString, expected);
        QProcess app;
        app.setProcessEnvironment(withoutDisplay());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH), {option});
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        const QString out = QString::fromUtf8(app.readAllStandardOutput());
        QVERIFY2(out.contains(expected), qPrintable(out));
    }

    void withoutADisplayTheAppSaysWhy()
    {
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
        QTemporaryDir dir;
        QProcess app;
        app.setProcessEnvironment(withoutDisplay());
        app.start(QStringLiteral(TICKSCOPE_APP_PATH),
                  {QStringLiteral("--config-dir"), dir.path(), QStringLiteral("--quit-after"), QStringLiteral("5")});
        QVERIFY(app.waitForFinished(15000));
        // A clear message and a plain error exit, not Qt's abort about platform plugins.
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 2);
        const QString err = QString::fromUtf8(app.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("no display")) && err.contains(QStringLiteral("xvfb-run")),
                 qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("plugin")), qPrintable(err));
#else
        QSKIP("Windows and macOS always have a window system");
#endif
    }
};

QTEST_GUILESS_MAIN(TestAppSmoke)
#include "tst_appsmoke.moc"
