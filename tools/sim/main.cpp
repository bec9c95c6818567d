// tickscope-sim: the demo market served over WebSocket until SIGINT/SIGTERM.
#include "demoserver.h"
#include "logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace tickscope;

namespace {

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[0], &byte, 1); // async-signal-safe
}

/// Turns SIGINT/SIGTERM into a clean quit of the event loop (self-pipe trick).
void quitOnSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}
#else
volatile std::sig_atomic_t g_quit = 0;

void onSignal(int)
{
    g_quit = 1;
}

void quitOnSignals(QCoreApplication &app)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // Windows has no self-pipe; a slow check is enough to leave cleanly on Ctrl+C.
    auto *timer = new QTimer(&app);
    QObject::connect(timer, &QTimer::timeout, &app, [] {
        if (g_quit)
            QCoreApplication::quit();
    });
    timer->start(250);
}
#endif

/// Parses an integer option within [min, max]; prints a clear message and returns false otherwise.
bool parseInt(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max, qint64 &out)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        std::fprintf(stderr, "tickscope-sim: --%s must be an integer from %lld to %lld (got \"%s\")\n",
                     qPrintable(name), static_cast<long long>(min), static_cast<long long>(max),
                     qPrintable(parser.value(name)));
        return false;
    }
    out = value;
    return true;
}

/// Parses a number option within [min, max] (seconds or a probability).
bool parseDouble(const QCommandLineParser &parser, const QString &name, double min, double max, double &out)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || value < min || value > max) {
        std::fprintf(stderr, "tickscope-sim: --%s must be a number from %g to %g (got \"%s\")\n", qPrintable(name), min,
                     max, qPrintable(parser.value(name)));
        return false;
    }
    out = value;
    return true;
}

/// Reads a PEM certificate and its private key into a server TLS configuration.
bool loadTls(const QString &certPath, const QString &keyPath, QSslConfiguration &out)
{
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "tickscope-sim: cannot read --tls-cert %s: %s\n", qPrintable(certPath),
                     qPrintable(certFile.errorString()));
        return false;
    }
    if (!keyFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "tickscope-sim: cannot read --tls-key %s: %s\n", qPrintable(keyPath),
                     qPrintable(keyFile.errorString()));
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyBytes = keyFile.readAll();
    QSslKey key(keyBytes, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyBytes, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty()) {
        std::fprintf(stderr, "tickscope-sim: --tls-cert %s holds no PEM certificate\n", qPrintable(certPath));
        return false;
    }
    if (key.isNull()) {
        std::fprintf(stderr, "tickscope-sim: --tls-key %s holds no PEM RSA or EC private key\n", qPrintable(keyPath));
        return false;
    }
    out = QSslConfiguration::defaultConfiguration();
    out.setLocalCertificateChain(chain);
    out.setPrivateKey(key);
    out.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tickscope-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TICKSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Serves Tickscope's deterministic demo market over WebSocket until interrupted."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("TCP port to listen on (0 = any free port)."), QStringLiteral("P"),
         QStringLiteral("0")},
        {QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("ADDR"),
         QStringLiteral("127.0.0.1")},
        {QStringLiteral("symbols"), QStringLiteral("Number of instruments (default 50)."), QStringLiteral("N")},
        {QStringLiteral("rate"), QStringLiteral("Total messages per second, Poisson (default 2000)."),
         QStringLiteral("R")},
        {QStringLiteral("depth"), QStringLiteral("Book levels per side (default 50)."), QStringLiteral("D")},
        {QStringLiteral("seed"), QStringLiteral("Random seed; the same seed gives the same market (default 1)."),
         QStringLiteral("S")},
        {QStringLiteral("fault-drop-every"), QStringLiteral("Fault: abort every client connection every SECONDS."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("fault-gap-prob"),
         QStringLiteral("Fault: lose each market message with probability P (the sequence skips)."),
         QStringLiteral("P")},
        {QStringLiteral("fault-corrupt-prob"),
         QStringLiteral("Fault: send a garbage frame before a message with probability P."), QStringLiteral("P")},
        {QStringLiteral("fault-stall-every"),
         QStringLiteral("Fault: every SECONDS stop sending (TCP stays open), see --fault-stall-for."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("fault-stall-for"), QStringLiteral("Fault: length of each stall."), QStringLiteral("SECONDS")},
        {QStringLiteral("fault-refuse-for"),
         QStringLiteral("Fault: refuse (abort) every connection for the first SECONDS."), QStringLiteral("SECONDS")},
        {QStringLiteral("tls-cert"), QStringLiteral("Serve wss:// with this PEM certificate (chain)."),
         QStringLiteral("FILE")},
        {QStringLiteral("tls-key"), QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("FILE")},
    });
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "tickscope-sim: unexpected argument \"%s\" (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }

    SimConfig config;
    qint64 port = 0;
    qint64 symbols = config.symbols;
    qint64 rate = static_cast<qint64>(config.rate);
    qint64 depth = config.depth;
    qint64 seed = static_cast<qint64>(config.seed);
    if (!parseInt(parser, QStringLiteral("port"), 0, 65535, port)
        || !parseInt(parser, QStringLiteral("symbols"), 1, 100000, symbols)
        || !parseInt(parser, QStringLiteral("rate"), 1, 10000000, rate)
        || !parseInt(parser, QStringLiteral("depth"), 1, 5000, depth)
        || !parseInt(parser, QStringLiteral("seed"), 0, INT64_MAX, seed))
        return 2;
    const QHostAddress host(parser.value(QStringLiteral("host")));
    if (host.isNull()) {
        std::fprintf(stderr, "tickscope-sim: --host \"%s\" is not an IP address\n",
                     qPrintable(parser.value(QStringLiteral("host"))));
        return 2;
    }
    FaultConfig faults;
    if (!parseDouble(parser, QStringLiteral("fault-drop-every"), 0.05, 1e6, faults.dropEverySeconds)
        || !parseDouble(parser, QStringLiteral("fault-gap-prob"), 0, 1, faults.gapProbability)
        || !parseDouble(parser, QStringLiteral("fault-corrupt-prob"), 0, 1, faults.corruptProbability)
        || !parseDouble(parser, QStringLiteral("fault-stall-every"), 0.05, 1e6, faults.stallEverySeconds)
        || !parseDouble(parser, QStringLiteral("fault-stall-for"), 0.01, 1e6, faults.stallForSeconds)
        || !parseDouble(parser, QStringLiteral("fault-refuse-for"), 0, 1e6, faults.refuseForSeconds))
        return 2;
    if (parser.isSet(QStringLiteral("fault-stall-every")) != parser.isSet(QStringLiteral("fault-stall-for"))) {
        std::fprintf(stderr, "tickscope-sim: --fault-stall-every and --fault-stall-for go together\n");
        return 2;
    }
    if (parser.isSet(QStringLiteral("tls-cert")) != parser.isSet(QStringLiteral("tls-key"))) {
        std::fprintf(stderr, "tickscope-sim: --tls-cert and --tls-key go together\n");
        return 2;
    }
    QSslConfiguration tls;
    const bool secure = parser.isSet(QStringLiteral("tls-cert"));
    if (secure && !loadTls(parser.value(QStringLiteral("tls-cert")), parser.value(QStringLiteral("tls-key")), tls))
        return 2;
    config.symbols = static_cast<int>(symbols);
    config.rate = static_cast<double>(rate);
    config.depth = static_cast<int>(depth);
    config.seed = static_cast<std::uint64_t>(seed);

    DemoServer server(config);
    server.setFaults(faults);
    if (secure)
        server.setTls(tls);
    if (!server.listen(host, static_cast<quint16>(port))) {
        std::fprintf(stderr, "tickscope-sim: cannot listen on %s:%lld: %s\n", qPrintable(host.toString()),
                     static_cast<long long>(port), qPrintable(server.errorString()));
        return 1;
    }
    quitOnSignals(app);
    std::printf("%s\n", qPrintable(server.url().toString()));
    std::fprintf(stderr, "tickscope-sim: %d instruments, %lld messages/s, depth %d, seed %llu — Ctrl+C to stop\n",
                 config.symbols, static_cast<long long>(rate), config.depth,
                 static_cast<unsigned long long>(config.seed));
    std::fflush(stdout);
    const int code = QCoreApplication::exec();
    std::fprintf(stderr, "tickscope-sim: stopped after %llu frames\n",
                 static_cast<unsigned long long>(server.framesSent()));
    if (faults.any()) {
        const FaultCounts counts = server.faultCounts();
        std::fprintf(
            stderr,
            "tickscope-sim: faults injected: %llu drops, %llu lost messages, %llu garbage frames, %llu stalls, "
            "%llu refused connections\n",
            static_cast<unsigned long long>(counts.drops), static_cast<unsigned long long>(counts.gaps),
            static_cast<unsigned long long>(counts.corrupt), static_cast<unsigned long long>(counts.stalls),
            static_cast<unsigned long long>(counts.refused));
    }
    return code;
}
