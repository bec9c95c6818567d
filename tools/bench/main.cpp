// tickscope-bench: performance measurements, one sub-command each. Every sub-command prints a
// human summary on stderr and ends with one JSON line on stdout (with --json).
#include "benchcommon.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {
int usage(int code)
{
    QTextStream(code == 0 ? stdout : stderr)
        << "usage: tickscope-bench <command> [options]\n"
           "  book   [--json] [--updates N] [--seed S]   flat-array order book vs std::map book\n"
           "  ingest [--json] [--seconds S]              whole feed path vs bare QWebSocket receive\n"
           "  sim    [--json] [--rate R] [--seconds S]   rate the demo server really delivers\n"
           "  frame  [--json] [--rate R] [--seconds S]   the real window: frames, GUI load, latency, idle CPU\n";
    return code;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty())
        return usage(2);
    const QString command = args.takeFirst();
    if (command == QLatin1String("book"))
        return tickscope::bench::runBookBench(args);
    if (command == QLatin1String("ingest"))
        return tickscope::bench::runIngestBench(args);
    if (command == QLatin1String("frame"))
        return tickscope::bench::runFrameBench(args);
    if (command == QLatin1String("sim"))
        return tickscope::bench::runSimBench(args);
    if (command == QLatin1String("--help") || command == QLatin1String("-h"))
        return usage(0);
    QTextStream(stderr) << "tickscope-bench: unknown command '" << command << "'\n";
    return usage(2);
}
