// `tickscope-bench frame`: the real `tickscope` window under the current platform (set
// QT_QPA_PLATFORM or run under Xvfb) against the demo server at R messages/s over 50 instruments,
// every panel open. Run 1 (busy, S seconds) gives frame intervals, GUI-thread load, latency and the
// first live frame from the app's --stats; run 2 starts the app on a paused feed and samples the
// process's CPU time from /proc for a few seconds (idle cost).
#include "benchcommon.h"

#include "demoserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace tickscope::bench {

namespace {

/// user + system CPU seconds of a process, from /proc (Linux); -1 elsewhere.
double processCpuSeconds(qint64 pid)
{
#if defined(Q_OS_LINUX)
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = file.readAll();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
#else
    Q_UNUSED(pid);
    return -1;
#endif
}

QString appPath(const QString &given)
{
    if (!given.isEmpty())
        return given;
    // Installed next to each other, or in the build tree (build/<preset>/tools/bench → app/).
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate :
         {here.filePath(QStringLiteral("tickscope")), here.filePath(QStringLiteral("../../app/tickscope"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStringLiteral("tickscope");
}

/// Lowers the scheduling priority of the simulator's thread to `nice` (Linux; per thread). Returns
/// the niceness applied, 0 when none was.
int lowerSimulatorPriority(DemoServerThread &server, int nice)
{
    int applied = 0;
#if defined(Q_OS_LINUX)
    if (nice > 0) {
        QMetaObject::invokeMethod(
            server.server(),
            [&applied, nice] {
                if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0)
                    applied = nice;
            },
            Qt::BlockingQueuedConnection);
    }
#else
    Q_UNUSED(server);
    Q_UNUSED(nice);
#endif
    return applied;
}

} // namespace

int runFrameBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("End with one JSON line on stdout.")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Demo feed messages/s."), QStringLiteral("R"),
                      QStringLiteral("100000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Length of the busy run."), QStringLiteral("S"),
                      QStringLiteral("10")});
    parser.addOption(
        {QStringLiteral("app"), QStringLiteral("Path of the tickscope executable."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("sim-nice"),
                      QStringLiteral("Niceness of the simulator's thread (Linux; 0-19, default 0). The simulator "
                                     "stands in for a venue on another machine; reniced, it competes less with the "
                                     "app, but may fall behind the rate (see applied_msgs_per_s)."),
                      QStringLiteral("N"), QStringLiteral("0")});
    if (!parser.parse(QStringList {QStringLiteral("frame")} + args)) {
        QTextStream(stderr) << "tickscope-bench frame: " << parser.errorText() << '\n';
        return 2;
    }
    bool okRate = false;
    bool okSeconds = false;
    const double rate = parser.value(QStringLiteral("rate")).toDouble(&okRate);
    const double seconds = parser.value(QStringLiteral("seconds")).toDouble(&okSeconds);
    if (!okRate || rate < 1 || !okSeconds || seconds < 2) {
        QTextStream(stderr) << "tickscope-bench frame: --rate needs a number >= 1 and --seconds a number >= 2\n";
        return 2;
    }
    bool okNice = false;
    const int simNice = parser.value(QStringLiteral("sim-nice")).toInt(&okNice);
    if (!okNice || simNice < 0 || simNice > 19) {
        QTextStream(stderr) << "tickscope-bench frame: --sim-nice needs a whole number from 0 to 19\n";
        return 2;
    }
    const QString app = appPath(parser.value(QStringLiteral("app")));
    QTextStream err(stderr);

    SimConfig config;
    config.rate = rate;
    config.symbols = 50;
    DemoServerThread server(config);
    const int simNiceApplied = lowerSimulatorPriority(server, simNice);
    QTemporaryDir dir;

    // Run 1: busy.
    const QString statsPath = dir.filePath(QStringLiteral("busy.json"));
    // A fresh settings directory: the window opens at its default size and pane layout, whatever the
    // user's own saved geometry (Linux; elsewhere the user's settings apply).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    QProcess busy;
    busy.setProcessEnvironment(env);
    busy.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    busy.start(app,
               {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--quit-after"),
                QString::number(seconds), QStringLiteral("--stats"), statsPath});
    if (!busy.waitForStarted(10000) || !busy.waitForFinished(static_cast<int>(seconds * 1000) + 60000)
        || busy.exitCode() != 0) {
        err << "tickscope-bench frame: " << app << " did not run (" << busy.errorString() << ")\n";
        return 1;
    }
    QFile statsFile(statsPath);
    if (!statsFile.open(QIODevice::ReadOnly)) {
        err << "tickscope-bench frame: no stats written\n";
        return 1;
    }
    const QJsonObject stats = QJsonDocument::fromJson(statsFile.readAll()).object();

    // Run 2: idle — the feed is paused, the app has its books and nothing changes.
    server.server()->pause();
    QProcess idle;
    idle.setProcessEnvironment(env);
    idle.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    idle.start(
        app, {QStringLiteral("--feed"), server.url().toString(), QStringLiteral("--quit-after"), QStringLiteral("20")});
    double idleCpuPct = -1;
    if (idle.waitForStarted(10000)) {
        // Connect, snapshots, first frames, the last flash animations: under llvmpipe start-up
        // work can reach past 4 s, so the sampling starts at 6 s and lasts 10 s (10 ms clock ticks:
        // one tick is 0.1 %).
        QThread::sleep(6);
        const double cpu0 = processCpuSeconds(idle.processId());
        QElapsedTimer clock;
        clock.start();
        QThread::sleep(10);
        const double cpu1 = processCpuSeconds(idle.processId());
        if (cpu0 >= 0 && cpu1 >= 0)
            idleCpuPct = 100.0 * (cpu1 - cpu0) / (static_cast<double>(clock.nsecsElapsed()) / 1e9);
        idle.waitForFinished(30000);
    }

    const QJsonObject result {
        {QStringLiteral("rate"), rate},
        {QStringLiteral("frame_interval_ms_p50"), stats.value(QStringLiteral("frame_interval_ms_p50"))},
        {QStringLiteral("frame_interval_ms_p99"), stats.value(QStringLiteral("frame_interval_ms_p99"))},
        {QStringLiteral("gui_thread_busy_pct"), stats.value(QStringLiteral("gui_thread_busy_pct"))},
        {QStringLiteral("latency_recv_to_model_ms_p99"), stats.value(QStringLiteral("latency_recv_to_model_ms_p99"))},
        {QStringLiteral("idle_cpu_pct"), idleCpuPct},
        {QStringLiteral("first_live_frame_ms"), stats.value(QStringLiteral("first_live_frame_ms"))},
        {QStringLiteral("process_cpu_percent"), stats.value(QStringLiteral("process_cpu_percent"))},
        {QStringLiteral("messages_applied"), stats.value(QStringLiteral("messages_applied"))},
        // What the app took in, against `rate`: a simulator that fell behind would flatter the figures.
        {QStringLiteral("applied_msgs_per_s"), stats.value(QStringLiteral("messages_applied")).toDouble() / seconds},
        {QStringLiteral("sim_nice"), simNiceApplied},
        {QStringLiteral("frames"), stats.value(QStringLiteral("frames"))},
    };
    err << "frame: " << QJsonDocument(result).toJson(QJsonDocument::Indented);
    if (parser.isSet(QStringLiteral("json")))
        QTextStream(stdout) << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}

} // namespace tickscope::bench
