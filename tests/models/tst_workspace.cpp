// The workspace file: every setting survives a save and a load; every kind of bad file (empty,
// truncated, invalid JSON, wrong types, a future schema, unreadable) gives defaults, keeps the file
// aside and says so; settings of builds before the workspace file are taken over; and a process
// killed with SIGKILL in the middle of saving never leaves an unreadable or empty workspace.
#include "fatalwarnings.h"
#include "workspace.h"
#include "workspacestore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <unistd.h>

using namespace tickscope;

namespace {

/// A workspace with every field away from its default.
Workspace everySetting()
{
    Workspace w = Workspace::defaults({QStringLiteral("BTC-USD")});
    w.watchlists[0].instruments.append({QStringLiteral("binance"), QStringLiteral("BTCUSDT")});
    w.watchlists[0].hiddenColumns = {QStringLiteral("volume"), QStringLiteral("spread")};
    w.watchlists[0].sortColumn = QStringLiteral("changePercent");
    w.watchlists[0].sortAscending = false;
    Watchlist second;
    second.name = QStringLiteral("Alts — ünïcode");
    second.instruments
        = {{QStringLiteral("kraken"), QStringLiteral("ETH/USD")}, {QStringLiteral("okx"), QStringLiteral("ETH-USDT")}};
    w.watchlists.append(second);
    w.currentList = 1;
    w.selected = {QStringLiteral("okx"), QStringLiteral("ETH-USDT")};
    w.panes.splitState = QByteArray("\x00\x01split\xff", 9);
    w.panes.centerState = QByteArray("center");
    w.panes.hiddenPanes = {QStringLiteral("trades")};
    PaneLayout focus;
    focus.splitState = QByteArray("f");
    focus.hiddenPanes = {QStringLiteral("chart"), QStringLiteral("book")};
    w.layouts.insert(QStringLiteral("Focus"), focus);
    w.layouts.insert(QStringLiteral("Everything"), PaneLayout {});
    w.chartInterval = QStringLiteral("15m");
    w.darkTheme = false;
    w.colorBlind = true;
    w.uiScale = 1.25;
    w.thousandsSeparators = true;
    w.reconnectBaseSeconds = 1.5;
    w.reconnectCapSeconds = 60;
    w.silenceTimeoutSeconds = 8;
    w.feeds.insert(QStringLiteral("binance"),
                   {true, QStringLiteral("wss://testnet.binance.vision/stream"),
                    QStringLiteral("https://testnet.binance.vision")});
    w.feeds.insert(QStringLiteral("kraken"), {false, {}, {}});
    return w;
}

QByteArray validJson()
{
    return QJsonDocument(everySetting().toJson()).toJson();
}

/// validJson() with one field replaced (a '/'-separated path into objects).
QByteArray withField(const QString &path, const QJsonValue &value)
{
    QJsonObject root = everySetting().toJson();
    const QStringList parts = path.split(QLatin1Char('/'));
    std::function<void(QJsonObject &, int)> set = [&](QJsonObject &object, int depth) {
        if (depth == parts.size() - 1) {
            object.insert(parts[depth], value);
            return;
        }
        QJsonValue child = object.value(parts[depth]);
        if (child.isArray()) {
            QJsonArray array = child.toArray();
            const int index = parts[depth + 1].toInt();
            QJsonObject element = array.at(index).toObject();
            const QStringList rest = parts.mid(depth + 2);
            if (rest.isEmpty()) {
                array.replace(index, value);
            } else {
                QJsonObject inner = element;
                inner.insert(rest.join(QLatin1Char('/')), value); // one level is enough for the tests
                array.replace(index, inner);
            }
            object.insert(parts[depth], array);
            return;
        }
        QJsonObject inner = child.toObject();
        set(inner, depth + 1);
        object.insert(parts[depth], inner);
    };
    set(root, 0);
    return QJsonDocument(root).toJson();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(data), data.size());
}

QStringList backups(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("workspace.json.bad-*")}, QDir::Files);
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void everySettingRoundTrips()
    {
        QTemporaryDir dir;
        const QString path = workspacePath(dir.path());
        const Workspace original = everySetting();
        QString error;
        QVERIFY2(saveWorkspace(original, path, &error), qPrintable(error));
        const WorkspaceLoad load = loadWorkspace(path, Workspace::defaults());
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Loaded);
        QVERIFY(load.message.isEmpty());
        QVERIFY(load.workspace == original);
        // The file is readable JSON with its schema version on top.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value(QLatin1String("schema_version")).toInt(), Workspace::kSchemaVersion);
        QCOMPARE(json.value(QLatin1String("watchlists")).toArray().size(), 2);
        // And saving the loaded copy writes the same bytes.
        const QString again = workspacePath(dir.path() + QStringLiteral("/again"));
        QVERIFY(saveWorkspace(load.workspace, again, &error));
        QFile a(path), b(again);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void aFirstStartGetsDefaults()
    {
        QTemporaryDir dir;
        const Workspace defaults = Workspace::defaults({QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD")});
        const WorkspaceLoad load = loadWorkspace(workspacePath(dir.path()), defaults);
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Missing);
        QVERIFY(load.workspace == defaults);
        QCOMPARE(load.workspace.watchlists.size(), 1);
        QCOMPARE(load.workspace.watchlists[0].instruments.size(), 2);
        QCOMPARE(load.workspace.selected.symbol, QStringLiteral("BTC-USD"));
        QVERIFY(backups(dir.path()).isEmpty());
    }

    void badFilesGiveDefaultsAndAreKept_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expectedProblem");
        const QByteArray valid = validJson();
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("blank") << QByteArray("\n  \n") << QStringLiteral("empty");
        QTest::newRow("truncated") << valid.left(valid.size() / 2) << QStringLiteral("not valid JSON");
        QTest::newRow("invalid JSON") << QByteArray("{\"schema_version\": 1, watchlists: []}")
                                      << QStringLiteral("not valid JSON");
        QTest::newRow("binary junk") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00", 10) << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[1,2,3]") << QStringLiteral("not a JSON object");
        QTest::newRow("future schema") << withField(QStringLiteral("schema_version"), 99)
                                       << QStringLiteral("schema_version 99 is newer");
        QTest::newRow("no schema") << QByteArray("{\"watchlists\":[]}") << QStringLiteral("schema_version: missing");
        QTest::newRow("watchlists not a list") << withField(QStringLiteral("watchlists"), QStringLiteral("BTC"))
                                               << QStringLiteral("watchlists: not a list");
        QTest::newRow("no watchlists") << withField(QStringLiteral("watchlists"), QJsonArray {})
                                       << QStringLiteral("watchlists: none");
        QTest::newRow("list name a number")
            << withField(QStringLiteral("watchlists/0/name"), 5) << QStringLiteral("watchlists[0].name: not a string");
        QTest::newRow("instrument a string")
            << withField(QStringLiteral("watchlists/1/instruments"), QJsonArray {QStringLiteral("BTC")})
            << QStringLiteral("watchlists[1].instruments[0]: not an object");
        QTest::newRow("theme a bool") << withField(QStringLiteral("theme"), true)
                                      << QStringLiteral("theme: not a string");
        QTest::newRow("unknown theme") << withField(QStringLiteral("theme"), QStringLiteral("pink"))
                                       << QStringLiteral("neither dark nor light");
        QTest::newRow("ui scale out of range")
            << withField(QStringLiteral("ui_scale"), 40) << QStringLiteral("ui_scale: not a number");
        QTest::newRow("interval unknown")
            << withField(QStringLiteral("chart_interval"), QStringLiteral("7m")) << QStringLiteral("chart_interval");
        QTest::newRow("current list missing")
            << withField(QStringLiteral("current_list"), 7) << QStringLiteral("current_list: no list 7");
        QTest::newRow("feeds wrong type") << withField(QStringLiteral("feeds/binance/enabled"), QStringLiteral("yes"))
                                          << QStringLiteral("feeds.binance.enabled: not true or false");
        QTest::newRow("reconnect wrong type")
            << withField(QStringLiteral("reconnect/base_seconds"), QStringLiteral("1"))
            << QStringLiteral("reconnect.base_seconds");
        QTest::newRow("pane state not base64") << withField(QStringLiteral("panes/split"), QStringLiteral("%%%"))
                                               << QStringLiteral("panes.split: not base64");
    }

    void badFilesGiveDefaultsAndAreKept()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expectedProblem);
        QTemporaryDir dir;
        const QString path = workspacePath(dir.path());
        writeFile(path, content);
        const Workspace defaults = Workspace::defaults({QStringLiteral("BTC-USD")});
        const WorkspaceLoad load = loadWorkspace(path, defaults);
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Recovered);
        QVERIFY(load.workspace == defaults);
        QVERIFY2(load.message.contains(expectedProblem), qPrintable(load.message));
        // The bad file is kept, byte for byte, under a timestamped name the message gives.
        const QStringList kept = backups(dir.path());
        QCOMPARE(kept.size(), 1);
        QVERIFY(load.message.contains(kept.first()));
        QFile backup(QDir(dir.path()).filePath(kept.first()));
        QVERIFY(backup.open(QIODevice::ReadOnly));
        QCOMPARE(backup.readAll(), content);
        QVERIFY(!QFile::exists(path));
        // The next save writes a good file again, and the backup stays.
        QString error;
        QVERIFY(saveWorkspace(load.workspace, path, &error));
        QCOMPARE(loadWorkspace(path, defaults).outcome, WorkspaceLoad::Outcome::Loaded);
        QCOMPARE(backups(dir.path()).size(), 1);
    }

    void somethingUnreadableInItsPlaceGivesDefaults()
    {
        // A directory where the file should be: it cannot be read, whoever runs the test.
        QTemporaryDir dir;
        const QString path = workspacePath(dir.path());
        QVERIFY(QDir().mkpath(path));
        const WorkspaceLoad load = loadWorkspace(path, Workspace::defaults());
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Recovered);
        QVERIFY2(load.message.contains(QStringLiteral("cannot be read")), qPrintable(load.message));
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("workspace.json.bad-*")}, QDir::Dirs).size(), 1);
        QString error;
        QVERIFY2(saveWorkspace(load.workspace, path, &error), qPrintable(error));
    }

    void anUnreadableFileGivesDefaults()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: file permissions do not stop root from reading (the directory case runs)");
        QTemporaryDir dir;
        const QString path = workspacePath(dir.path());
        writeFile(path, validJson());
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        const WorkspaceLoad load = loadWorkspace(path, Workspace::defaults());
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Recovered);
        QVERIFY2(load.message.contains(QStringLiteral("cannot be read")), qPrintable(load.message));
        QCOMPARE(backups(dir.path()).size(), 1);
    }

    void settingsOfEarlierBuildsAreTakenOver()
    {
        QTemporaryDir dir;
        const QString legacy = dir.filePath(QStringLiteral("Tickscope.conf"));
        {
            QSettings settings(legacy, QSettings::IniFormat);
            settings.setValue(QStringLiteral("window/darkTheme"), false);
            settings.setValue(QStringLiteral("window/colorBlind"), true);
            settings.setValue(QStringLiteral("window/splitState"), QByteArray("state"));
            settings.setValue(QStringLiteral("venues/binance/enabled"), true);
            settings.setValue(QStringLiteral("venues/binance/wsUrl"), QStringLiteral("wss://testnet.example/ws"));
            settings.setValue(QStringLiteral("venues/binance/symbols"),
                              QStringList {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT")});
            settings.setValue(QStringLiteral("venues/demo/symbols"), QStringList {QStringLiteral("SOL-USD")});
            settings.setValue(QStringLiteral("venues/demo/enabled"), false);
            settings.setValue(QStringLiteral("venues/demo/wsUrl"), QStringLiteral("ws://127.0.0.1:40123"));
            settings.setValue(QStringLiteral("feed/silenceTimeoutSeconds"), 12);
        }
        const WorkspaceLoad load
            = loadWorkspace(workspacePath(dir.path()), Workspace::defaults({QStringLiteral("BTC-USD")}), legacy);
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Missing);
        QVERIFY(load.importedLegacy);
        const Workspace &w = load.workspace;
        QVERIFY(!w.darkTheme);
        QVERIFY(w.colorBlind);
        QCOMPARE(w.panes.splitState, QByteArray("state"));
        QVERIFY(w.feeds.value(QStringLiteral("binance")).enabled);
        QCOMPARE(w.feeds.value(QStringLiteral("binance")).wsUrl, QStringLiteral("wss://testnet.example/ws"));
        // The demo feed: whether it was on, not the port of an old run.
        QVERIFY(w.feeds.contains(QStringLiteral("demo")));
        QVERIFY(!w.feeds.value(QStringLiteral("demo")).enabled);
        QVERIFY(w.feeds.value(QStringLiteral("demo")).wsUrl.isEmpty());
        QCOMPARE(w.silenceTimeoutSeconds, 12.0);
        const QList<InstrumentKey> expected {{QStringLiteral("demo"), QStringLiteral("BTC-USD")},
                                             {QStringLiteral("binance"), QStringLiteral("BTCUSDT")},
                                             {QStringLiteral("binance"), QStringLiteral("ETHUSDT")},
                                             {QStringLiteral("demo"), QStringLiteral("SOL-USD")}};
        QCOMPARE(w.watchlists[0].instruments.size(), expected.size());
        for (const InstrumentKey &key : expected)
            QVERIFY2(w.watchlists[0].instruments.contains(key), qPrintable(key.venue + u':' + key.symbol));
        // Without those settings: plain defaults.
        const WorkspaceLoad fresh = loadWorkspace(workspacePath(dir.path()), Workspace::defaults(),
                                                  dir.filePath(QStringLiteral("none.conf")));
        QVERIFY(!fresh.importedLegacy);
    }

    void storePreferencesAreClampedSignalledAndSaved()
    {
        QTemporaryDir dir;
        {
            WorkspaceStore store;
            store.load(dir.path(), Workspace::defaults());
            QSignalSpy preferences(&store, &WorkspaceStore::preferencesChanged);
            QSignalSpy connection(&store, &WorkspaceStore::connectionSettingsChanged);
            store.setUiScale(1.5);
            QCOMPARE(store.uiScale(), 1.5);
            store.setUiScale(5); // clamped to the range the file accepts
            QCOMPARE(store.uiScale(), Workspace::kMaxUiScale);
            store.setUiScale(0.1);
            QCOMPARE(store.uiScale(), Workspace::kMinUiScale);
            store.setUiScale(std::nan(""));
            QCOMPARE(store.uiScale(), Workspace::kMinUiScale); // unchanged: no signal
            store.setUiScale(1.25);
            store.setThousandsSeparators(true);
            store.setThousandsSeparators(true);
            QCOMPARE(preferences.size(), 5);
            QCOMPARE(connection.size(), 0);

            store.setReconnectBaseSeconds(2);
            store.setReconnectCapSeconds(90);
            store.setSilenceTimeoutSeconds(0); // clamped to 1
            QCOMPARE(store.silenceTimeoutSeconds(), Workspace::kMinSilence);
            store.setSilenceTimeoutSeconds(12);
            QCOMPARE(connection.size(), 4);
            // The cap never goes below the base, nor the base above the cap.
            store.setReconnectCapSeconds(1.5);
            QCOMPARE(store.reconnectCapSeconds(), 1.5);
            QCOMPARE(store.reconnectBaseSeconds(), 1.5);
            store.setReconnectBaseSeconds(50);
            QCOMPARE(store.reconnectCapSeconds(), 50.0);
            store.setReconnectBaseSeconds(1e9);
            QCOMPARE(store.reconnectBaseSeconds(), Workspace::kMaxReconnectBase);
            store.setReconnectCapSeconds(120);
            store.setReconnectBaseSeconds(3);
            QCOMPARE(preferences.size(), 5); // connection settings are not preferences
            QVERIFY(store.dirty());
        } // saved on destruction
        WorkspaceStore store;
        store.load(dir.path(), Workspace::defaults());
        QCOMPARE(store.outcome(), WorkspaceLoad::Outcome::Loaded); // what was written is valid
        QCOMPARE(store.uiScale(), 1.25);
        QVERIFY(store.thousandsSeparators());
        QCOMPARE(store.reconnectBaseSeconds(), 3.0);
        QCOMPARE(store.reconnectCapSeconds(), 120.0);
        QCOMPARE(store.silenceTimeoutSeconds(), 12.0);
    }

    void modifyIsCheapAndSaved()
    {
        QTemporaryDir dir;
        WorkspaceStore store;
        store.load(dir.path(), Workspace::defaults({QStringLiteral("BTC-USD")}));
        const int savesBefore = store.saves();
        QSignalSpy modified(&store, &WorkspaceStore::workspaceModified);
        QSignalSpy replaced(&store, &WorkspaceStore::workspaceReplaced);
        QSignalSpy preferences(&store, &WorkspaceStore::preferencesChanged);
        QSignalSpy connection(&store, &WorkspaceStore::connectionSettingsChanged);
        QSignalSpy panes(&store, &WorkspaceStore::panesChanged);
        Watchlist second;
        second.name = QStringLiteral("Second");
        second.instruments = {{QStringLiteral("kraken"), QStringLiteral("BTC/USD")}};
        store.modify([&](Workspace &w) { w.watchlists.append(second); });
        store.modify([&](Workspace &w) { w.currentList = 1; });
        QCOMPARE(modified.size(), 2);
        QCOMPARE(replaced.size() + preferences.size() + connection.size() + panes.size(), 0);
        QCOMPARE(store.workspace().watchlists.size(), 2);
        QVERIFY(store.dirty());
        // Debounced: one save once the changes pause.
        QTRY_VERIFY_WITH_TIMEOUT(!store.dirty(), 5000);
        QCOMPARE(store.saves(), savesBefore + 1);
        const WorkspaceLoad load = loadWorkspace(store.path(), Workspace::defaults());
        QCOMPARE(load.outcome, WorkspaceLoad::Outcome::Loaded);
        QCOMPARE(load.workspace.watchlists.value(1), second);
        QCOMPARE(load.workspace.currentList, 1);
    }

    void panesAndNamedLayouts()
    {
        QTemporaryDir dir;
        {
            WorkspaceStore store;
            store.load(dir.path(), Workspace::defaults({QStringLiteral("BTC-USD")}));
            QSignalSpy panes(&store, &WorkspaceStore::panesChanged);
            QSignalSpy layouts(&store, &WorkspaceStore::layoutsChanged);
            QSignalSpy applied(&store, &WorkspaceStore::layoutApplied);
            store.setPaneVisible(QStringLiteral("trades"), false);
            store.setPaneVisible(QStringLiteral("trades"), false); // already hidden
            store.setPaneVisible(QStringLiteral("nonsense"), false); // not a pane
            QCOMPARE(store.hiddenPanes(), QStringList({QStringLiteral("trades")}));
            QCOMPARE(store.paneShown().value(QStringLiteral("trades")).toBool(), false);
            QCOMPARE(store.paneShown().value(QStringLiteral("chart")).toBool(), true);
            QCOMPARE(panes.size(), 1);

            store.setSplitState(QByteArray("split-A"));
            QCOMPARE(store.saveLayout(QStringLiteral("  Scalping ")), QString());
            QVERIFY(!store.saveLayout(QStringLiteral("   ")).isEmpty());
            QVERIFY(!store.saveLayout(QString(65, QLatin1Char('x'))).isEmpty());
            store.setPaneVisible(QStringLiteral("trades"), true);
            store.setPaneVisible(QStringLiteral("book"), false);
            store.setSplitState(QByteArray("split-B"));
            QCOMPARE(store.saveLayout(QStringLiteral("Charts")), QString());
            QCOMPARE(store.layoutNames(), QStringList({QStringLiteral("Charts"), QStringLiteral("Scalping")}));
            QCOMPARE(layouts.size(), 2);

            QVERIFY(store.applyLayout(QStringLiteral("Scalping")));
            QCOMPARE(applied.size(), 1);
            QCOMPARE(store.hiddenPanes(), QStringList({QStringLiteral("trades")}));
            QCOMPARE(store.splitState().toByteArray(), QByteArray("split-A"));
            QVERIFY(!store.applyLayout(QStringLiteral("Missing")));
            QCOMPARE(applied.size(), 1);

            QVERIFY(store.deleteLayout(QStringLiteral("Charts")));
            QVERIFY(!store.deleteLayout(QStringLiteral("Charts")));
            QCOMPARE(store.layoutNames(), QStringList({QStringLiteral("Scalping")}));
        } // saved on destruction
        WorkspaceStore again;
        again.load(dir.path(), Workspace::defaults());
        QCOMPARE(again.layoutNames(), QStringList({QStringLiteral("Scalping")}));
        QCOMPARE(again.hiddenPanes(), QStringList({QStringLiteral("trades")}));
        QCOMPARE(again.splitState().toByteArray(), QByteArray("split-A"));
        QCOMPARE(again.workspace().layouts.value(QStringLiteral("Scalping")).splitState, QByteArray("split-A"));
    }

    void killedWhileSavingNeverLeavesABadFile()
    {
        // A child process saves a growing workspace as fast as it can; it is killed with SIGKILL at
        // a random moment, 100 times. Every time the file left behind must load whole.
        QTemporaryDir dir;
        const QString path = workspacePath(dir.path());
        auto *random = QRandomGenerator::global();
        int loadedSizes = 0;
        for (int round = 0; round < 100; ++round) {
            QProcess writer;
            writer.setProgram(QCoreApplication::applicationFilePath());
            writer.setArguments({QStringLiteral("--save-forever"), path});
            writer.start();
            QVERIFY(writer.waitForStarted(5000));
            // Once it says it is saving (a sanitizer build starts slowly), kill it a random moment later.
            QVERIFY(writer.waitForReadyRead(30000));
            QTest::qWait(static_cast<int>(random->bounded(0, 30)));
            ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
            QVERIFY(writer.waitForFinished(5000));
            QVERIFY2(QFile::exists(path), "the workspace file disappeared");
            const WorkspaceLoad load = loadWorkspace(path, Workspace::defaults());
            QVERIFY2(load.outcome == WorkspaceLoad::Outcome::Loaded, qPrintable(load.message));
            QVERIFY(!load.workspace.watchlists.isEmpty());
            QVERIFY(!load.workspace.watchlists[0].instruments.isEmpty());
            loadedSizes += 1;
        }
        QCOMPARE(loadedSizes, 100);
        QVERIFY(backups(dir.path()).isEmpty());
    }
};

/// `--save-forever PATH`: the child of killedWhileSavingNeverLeavesABadFile.
int saveForever(const QString &path)
{
    Workspace w = everySetting();
    for (int i = 0;; ++i) {
        // Larger and larger files: a kill lands in the middle of a write more often.
        w.watchlists[0].instruments.append({QStringLiteral("demo"), QStringLiteral("SYM-%1").arg(i)});
        QString error;
        if (!saveWorkspace(w, path, &error)) {
            std::fprintf(stderr, "save failed: %s\n", qPrintable(error));
            return 1;
        }
        if (i == 0) {
            std::fputs("saving\n", stdout);
            std::fflush(stdout);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--save-forever") == 0) {
        QCoreApplication app(argc, argv);
        return saveForever(QString::fromLocal8Bit(argv[2]));
    }
    QCoreApplication app(argc, argv);
    TestWorkspace test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workspace.moc"
