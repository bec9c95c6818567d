// `tickscope-bench sim`: the message rate the demo server (simulator + WebSocket server on its own
// thread) actually delivers to one client subscribed to everything, against the configured rate.
#include "benchcommon.h"

#include "demo.pb.h"
#include "demoserver.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

namespace tickscope::bench {

int runSimBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("End with one JSON line on stdout.")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Configured messages/s."), QStringLiteral("R"),
                      QStringLiteral("500000")});
    parser.addOption(
        {QStringLiteral("seconds"), QStringLiteral("Measured period."), QStringLiteral("S"), QStringLiteral("5")});
    if (!parser.parse(QStringList {QStringLiteral("sim")} + args)) {
        QTextStream(stderr) << "tickscope-bench sim: " << parser.errorText() << '\n';
        return 2;
    }
    bool okRate = false;
    bool okSeconds = false;
    const double rate = parser.value(QStringLiteral("rate")).toDouble(&okRate);
    const double seconds = parser.value(QStringLiteral("seconds")).toDouble(&okSeconds);
    if (!okRate || rate < 1 || !okSeconds || seconds <= 0) {
        QTextStream(stderr) << "tickscope-bench sim: --rate needs a number >= 1 and --seconds a positive number\n";
        return 2;
    }

    SimConfig config;
    config.rate = rate;
    DemoServerThread server(config);
    QWebSocket socket;
    socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    std::uint64_t frames = 0;
    std::uint64_t counted = 0;
    bool measuring = false;
    QElapsedTimer clock;
    QEventLoop loop;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &loop, [&](const QByteArray &frame) {
        ++frames;
        if (frames == 1) { // the instrument list: subscribe to everything
            demo::Envelope subscribe;
            subscribe.mutable_subscribe();
            std::string bytes;
            subscribe.SerializeToString(&bytes);
            socket.sendBinaryMessage(QByteArray::fromStdString(bytes));
            // Measure after a one-second warm-up (snapshots, pacing settles).
            QTimer::singleShot(1000, &loop, [&] {
                measuring = true;
                clock.start();
                QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
            });
        }
        if (measuring)
            ++counted;
        Q_UNUSED(frame);
    });
    QTimer::singleShot(static_cast<int>(seconds * 1000) + 10000, &loop, &QEventLoop::quit);
    socket.open(server.url());
    loop.exec();
    const double elapsed = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (!measuring || elapsed <= 0) {
        QTextStream(stderr) << "tickscope-bench sim: no data from the demo server\n";
        return 1;
    }
    const double delivered = static_cast<double>(counted) / elapsed;
    QTextStream(stderr) << "configured " << rate << " msg/s, delivered " << qRound64(delivered) << " msg/s (" << counted
                        << " messages in " << elapsed << " s), slow-consumer drops "
                        << server.server()->slowConsumersDropped() << '\n';
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject json {{QStringLiteral("rate"), rate},
                                {QStringLiteral("delivered_msgs_per_s"), qRound64(delivered)},
                                {QStringLiteral("ratio"), delivered / rate}};
        QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    return 0;
}

} // namespace tickscope::bench
