// `tickscope-bench ingest`: how many demo-feed messages per second the whole feed path (socket,
// protobuf decode, order books, market state, handoff) takes on one feed thread, against a bare
// QWebSocket receive loop fed the very same frames in the same run.
//
// The sender must not be the bottleneck, so it is not a QWebSocket: a raw TCP server answers the
// WebSocket handshake itself and then writes pre-framed simulator messages in large chunks.
#include "benchcommon.h"

#include "demo.pb.h"
#include "demoprotocol.h"
#include "feedmanager.h"
#include "handoff.h"
#include "marketsimulator.h"
#include "pipelinestats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <atomic>
#include <memory>

namespace tickscope::bench {

namespace {

void appendWireFrame(QByteArray &wire, const std::string &payload)
{
    wire.append(char(0x82)); // FIN + binary opcode; server frames are not masked
    const auto size = payload.size();
    if (size <= 125) {
        wire.append(char(size));
    } else if (size <= 0xffff) {
        wire.append(char(126));
        wire.append(char((size >> 8) & 0xff));
        wire.append(char(size & 0xff));
    } else {
        wire.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            wire.append(char((static_cast<std::uint64_t>(size) >> shift) & 0xff));
    }
    wire.append(payload.data(), static_cast<qsizetype>(size));
}

/// Simulator traffic as WebSocket wire bytes: instrument list, one snapshot per instrument, then
/// `events` deltas/trades/tickers, with envelope sequence numbers 1, 2, 3, …
struct Recording
{
    QByteArray wire;
    std::uint64_t frames = 0;
};

Recording record(std::uint64_t events)
{
    SimConfig config;
    config.seed = 42;
    MarketSimulator sim(config);
    Recording rec;
    rec.wire.reserve(static_cast<qsizetype>(events * 64));
    demo::Envelope envelope;
    std::string payload;
    auto emit = [&] {
        envelope.set_seq(++rec.frames);
        envelope.set_send_time_us(0);
        envelope.SerializeToString(&payload);
        appendWireFrame(rec.wire, payload);
    };
    envelope.Clear();
    sim.fillInstruments(*envelope.mutable_instruments());
    emit();
    for (std::uint32_t id = 0; id < sim.instruments().size(); ++id) {
        envelope.Clear();
        sim.fillSnapshot(id, *envelope.mutable_snapshot());
        emit();
    }
    for (std::uint64_t i = 0; i < events; ++i) {
        sim.next(envelope);
        emit();
    }
    return rec;
}

/// Raw TCP WebSocket "server": handshake by hand, then the recording in 1 MiB writes.
class Blaster : public QTcpServer
{
public:
    /// Steady time at which the last handshake completed: both runs are timed from there.
    std::atomic<std::int64_t> handshakeDoneNs {0};

    explicit Blaster(const QByteArray &wire)
        : m_wire(wire)
    { }

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        auto *request = new QByteArray;
        auto *offset = new qsizetype(-1);
        connect(socket, &QTcpSocket::disconnected, socket, [socket, request, offset] {
            delete request;
            delete offset;
            socket->deleteLater();
        });
        auto pump = [socket, offset, this] {
            while (*offset >= 0 && *offset < m_wire.size() && socket->bytesToWrite() < 8 * 1024 * 1024) {
                const qsizetype chunk = std::min<qsizetype>(1024 * 1024, m_wire.size() - *offset);
                socket->write(m_wire.constData() + *offset, chunk);
                *offset += chunk;
            }
        };
        connect(socket, &QTcpSocket::bytesWritten, socket, pump);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request, offset, pump] {
            if (*offset >= 0) {
                socket->readAll(); // client frames (subscribe, pong) are ignored
                return;
            }
            request->append(socket->readAll());
            if (!request->contains("\r\n\r\n"))
                return;
            QByteArray key;
            for (const QByteArray &line : request->split('\n')) {
                if (line.toLower().startsWith("sec-websocket-key:"))
                    key = line.mid(18).trimmed();
            }
            const QByteArray accept = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                                               QCryptographicHash::Sha1)
                                          .toBase64();
            socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: "
                          + accept + "\r\n\r\n");
            *offset = 0;
            handshakeDoneNs.store(steadyNowNs());
            pump();
        });
    }

private:
    const QByteArray &m_wire;
};

struct Result
{
    double seconds = 0;
    std::uint64_t frames = 0;
    bool ok = false;
};

/// Bare QWebSocket client: counts binary messages, does nothing else.
Result runBare(const QUrl &url, std::uint64_t frames, const std::atomic<std::int64_t> &handshakeDoneNs)
{
    Result result;
    QWebSocket socket;
    socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    QEventLoop loop;
    std::uint64_t bytes = 0;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &loop, [&](const QByteArray &frame) {
        bytes += static_cast<std::uint64_t>(frame.size());
        if (++result.frames == frames) {
            result.seconds = static_cast<double>(steadyNowNs() - handshakeDoneNs.load()) / 1e9;
            result.ok = true;
            loop.quit();
        }
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    socket.open(url);
    loop.exec();
    socket.abort();
    Q_UNUSED(bytes);
    return result;
}

/// The real feed path: FeedManager's feed thread with the demo protocol, books, market state and
/// the handoff, drained by this thread at 60 Hz like the GUI would.
Result runPipeline(const QUrl &url, std::uint64_t frames, PipelineStats &stats, std::uint64_t &decodeErrors,
                   const std::atomic<std::int64_t> &handshakeDoneNs)
{
    Result result;
    Handoff handoff;
    DrainBatch batch;
    QEventLoop loop;
    QTimer drainTimer;
    std::int64_t lastFrameSeenNs = 0;
    QObject::connect(&drainTimer, &QTimer::timeout, &loop, [&] {
        handoff.drain(batch);
        const auto received = PipelineStats::get(stats.framesReceived);
        if (received >= frames && PipelineStats::get(stats.messagesApplied) > 0) {
            result.frames = received;
            result.seconds = static_cast<double>(steadyNowNs() - handshakeDoneNs.load()) / 1e9;
            result.ok = true;
            loop.quit();
        }
        Q_UNUSED(lastFrameSeenNs);
    });
    drainTimer.start(1); // fine-grained, so the end of the run is seen within a millisecond
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    {
        FeedManager manager(handoff, stats);
        FeedConfig config;
        config.name = QStringLiteral("bench");
        manager.addFeed(std::make_unique<DemoProtocol>(url), config);
        loop.exec();
    }
    decodeErrors = PipelineStats::get(stats.decodeErrors);
    return result;
}

} // namespace

int runIngestBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("End with one JSON line on stdout.")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Approximate length of each run."), QStringLiteral("S"),
                      QStringLiteral("3")});
    if (!parser.parse(QStringList {QStringLiteral("ingest")} + args)) {
        QTextStream(stderr) << "tickscope-bench ingest: " << parser.errorText() << '\n';
        return 2;
    }
    bool okSeconds = false;
    const double seconds = parser.value(QStringLiteral("seconds")).toDouble(&okSeconds);
    if (!okSeconds || seconds <= 0) {
        QTextStream(stderr) << "tickscope-bench ingest: --seconds needs a positive number\n";
        return 2;
    }
    QTextStream err(stderr);
    // Sized for about `seconds` at 2.5 M msg/s, the pipeline's target region.
    const auto events = static_cast<std::uint64_t>(seconds * 2'500'000);
    err << "generating " << events << " simulator events…\n";
    err.flush();
    const Recording rec = record(events);
    err << "recorded " << rec.frames << " frames, " << rec.wire.size() / (1024 * 1024) << " MiB on the wire\n";

    QThread serverThread;
    serverThread.start();
    auto *blaster = new Blaster(rec.wire);
    blaster->moveToThread(&serverThread);
    quint16 port = 0;
    QMetaObject::invokeMethod(
        blaster,
        [&] {
            blaster->listen(QHostAddress::LocalHost, 0);
            port = blaster->serverPort();
        },
        Qt::BlockingQueuedConnection);
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(port));

    const Result bare = runBare(url, rec.frames, blaster->handshakeDoneNs);
    PipelineStats stats;
    std::uint64_t decodeErrors = 0;
    const Result pipeline = runPipeline(url, rec.frames, stats, decodeErrors, blaster->handshakeDoneNs);

    QMetaObject::invokeMethod(
        blaster, [blaster] { delete blaster; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();

    if (!bare.ok || !pipeline.ok) {
        err << "tickscope-bench ingest: a run did not receive every frame (bare " << bare.frames << ", pipeline "
            << pipeline.frames << " of " << rec.frames << ")\n";
        return 1;
    }
    const double bareRate = static_cast<double>(rec.frames) / bare.seconds;
    const double pipeRate = static_cast<double>(rec.frames) / pipeline.seconds;
    err << "bare QWebSocket receive: " << qRound64(bareRate) << " msg/s (" << bare.seconds << " s)\n"
        << "whole feed path:         " << qRound64(pipeRate) << " msg/s (" << pipeline.seconds << " s), "
        << PipelineStats::get(stats.messagesApplied) << " applied, " << decodeErrors << " decode errors\n";
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject json {{QStringLiteral("pipeline_msgs_per_s"), qRound64(pipeRate)},
                                {QStringLiteral("bare_receive_msgs_per_s"), qRound64(bareRate)},
                                {QStringLiteral("ratio"), pipeRate / bareRate},
                                {QStringLiteral("frames"), static_cast<qint64>(rec.frames)},
                                {QStringLiteral("decode_errors"), static_cast<qint64>(decodeErrors)}};
        QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    return decodeErrors == 0 ? 0 : 1;
}

} // namespace tickscope::bench
