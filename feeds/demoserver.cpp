#include "demoserver.h"

#include "demo.pb.h"
#include "logging.h"
#include "threadcall.h"

#include <QDateTime>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

namespace tickscope {

namespace {

constexpr qint64 kHeartbeatAfterMs = 1000;
constexpr std::int64_t kMaxLagUs = 100000; // further behind than this, the server skips ahead
constexpr int kMaxEventsPerPump = 5000; // then yields to the event loop (sockets, clients)
// A client with more than this queued gets no new events until its socket drains; meanwhile the
// simulated clock runs on and the events in between are skipped, so an overloaded server delivers
// the most it can instead of queueing without bound.
constexpr qint64 kPauseProducingBytes = 4 * 1024 * 1024;

/// Appends a protobuf varint.
void appendVarint(std::string &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::int64_t wallNowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

} // namespace

DemoServer::DemoServer(SimConfig config, QObject *parent)
    : QObject(parent)
    , m_sim([&] {
        if (config.epochUs == 0)
            config.epochUs = wallNowUs();
        return config;
    }())
    , m_instrumentCount(m_sim.instruments().size())
    , m_pumpTimer(new QTimer(this))
    , m_heartbeatTimer(new QTimer(this))
    , m_event(std::make_unique<demo::Envelope>())
{
    m_faultRng.seed(config.seed ^ 0x9e3779b97f4a7c15ULL);
    m_pumpTimer->setSingleShot(true);
    m_pumpTimer->setTimerType(Qt::PreciseTimer);
    connect(m_pumpTimer, &QTimer::timeout, this, &DemoServer::pump);
    m_heartbeatTimer->setInterval(std::chrono::milliseconds(kHeartbeatAfterMs / 2));
    connect(m_heartbeatTimer, &QTimer::timeout, this, &DemoServer::sendHeartbeats);
}

DemoServer::~DemoServer()
{
    for (auto &client : m_clients) {
        client->socket->disconnect(this);
        client->socket->abort();
    }
}

bool DemoServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server) {
        m_server
            = new QWebSocketServer(QStringLiteral("tickscope-sim"),
                                   m_secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
        if (m_secure)
            m_server->setSslConfiguration(m_tls);
        connect(m_server, &QWebSocketServer::newConnection, this, &DemoServer::onNewConnection);
        // A TLS client that refuses our certificate shows up here; it is not the server's failure.
        connect(m_server, &QWebSocketServer::peerVerifyError, this,
                [](const QSslError &error) { qCInfo(lcSim).noquote() << "TLS peer:" << error.errorString(); });
        connect(m_server, &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                qCInfo(lcSim).noquote() << "TLS:" << error.errorString();
        });
    }
    if (!m_server->listen(address, port))
        return false;
    QString host = m_server->serverAddress().toString();
    if (m_server->serverAddress().protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    {
        QMutexLocker lock(&m_urlMutex);
        m_url = QUrl(QStringLiteral("%1://%2:%3")
                         .arg(m_secure ? QStringLiteral("wss") : QStringLiteral("ws"), host)
                         .arg(m_server->serverPort()));
    }
    m_clock.start();
    if (m_faults.dropEverySeconds > 0) {
        m_dropTimer = new QTimer(this);
        connect(m_dropTimer, &QTimer::timeout, this, &DemoServer::dropAll);
        m_dropTimer->start(std::chrono::milliseconds(static_cast<qint64>(m_faults.dropEverySeconds * 1000)));
    }
    if (m_faults.stallEverySeconds > 0 && m_faults.stallForSeconds > 0) {
        m_stallTimer = new QTimer(this);
        connect(m_stallTimer, &QTimer::timeout, this, &DemoServer::startStall);
        m_stallTimer->start(std::chrono::milliseconds(static_cast<qint64>(m_faults.stallEverySeconds * 1000)));
    }
    qCInfo(lcSim).noquote() << "demo server listening on" << url().toString() << "with" << m_instrumentCount
                            << "instruments";
    return true;
}

QString DemoServer::errorString() const
{
    return m_server ? m_server->errorString() : QString();
}

FaultCounts DemoServer::faultCounts() const
{
    return {m_faultDrops.load(), m_faultGaps.load(), m_faultCorrupt.load(), m_faultStalls.load(),
            m_faultRefused.load()};
}

void DemoServer::dropAll()
{
    for (auto &client : m_clients) {
        if (client->dropped)
            continue;
        ++m_faultDrops;
        client->dropped = true;
        qCInfo(lcSim).noquote() << "fault: dropping the connection of" << client->socket->peerAddress().toString();
        client->socket->abort();
    }
}

void DemoServer::startStall()
{
    // The connections open now go silent (a half-open link, as after a NAT or proxy drops state);
    // a client that notices and reconnects gets a working connection.
    if (m_clients.empty())
        return;
    ++m_faultStalls;
    const qint64 until = m_clock.elapsed() + static_cast<qint64>(m_faults.stallForSeconds * 1000);
    for (auto &client : m_clients)
        client->stallUntilMs = until;
    qCInfo(lcSim).noquote() << "fault: stalling" << m_clients.size() << "connection(s) for" << m_faults.stallForSeconds
                            << "s";
}

void DemoServer::sendGarbage(Client &client)
{
    // Bytes that are not a valid envelope: random noise, or a real-looking field cut short.
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(1, 64);
    QByteArray garbage;
    if (m_faultRng() % 2 == 0) {
        garbage.resize(length(m_faultRng));
        for (char &c : garbage)
            c = static_cast<char>(byte(m_faultRng));
    } else {
        garbage = QByteArray("\x3a\x7f\x0a\x01", 4); // a body field that claims 127 bytes and has 2
    }
    ++m_faultCorrupt;
    client.socket->sendBinaryMessage(garbage);
}

QUrl DemoServer::url() const
{
    QMutexLocker lock(&m_urlMutex);
    return m_url;
}

void DemoServer::pause()
{
    {
        QMutexLocker lock(&m_simMutex);
        m_paused = true;
    }
    QMetaObject::invokeMethod(
        this, [this] { m_pumpTimer->stop(); }, Qt::QueuedConnection);
}

void DemoServer::resume()
{
    {
        QMutexLocker lock(&m_simMutex);
        m_paused = false;
    }
    QMetaObject::invokeMethod(
        this, [this] { pump(); }, Qt::QueuedConnection);
}

BookCopy DemoServer::bookCopy(std::uint32_t id, std::size_t depth) const
{
    BookCopy copy;
    QMutexLocker lock(&m_simMutex);
    if (id >= m_instrumentCount)
        return copy;
    copy.sequence = m_sim.bookSequence(id);
    if (depth > 0) {
        m_sim.book(id).top(BookSide::Bid, depth, copy.bids);
        m_sim.book(id).top(BookSide::Ask, depth, copy.asks);
    }
    return copy;
}

void DemoServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        if (m_faults.refuseForSeconds > 0 && m_clock.elapsed() < m_faults.refuseForSeconds * 1000) {
            ++m_faultRefused;
            qCInfo(lcSim).noquote() << "fault: refusing" << socket->peerAddress().toString();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto client = std::make_unique<Client>();
        client->socket = socket;
        socket->setParent(this);
        client->subscribed.assign(m_instrumentCount, 0);
        Client *raw = client.get();
        m_clients.push_back(std::move(client));
        socket->setMaxAllowedIncomingMessageSize(1024 * 1024);
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, raw](const QByteArray &frame) { onClientMessage(raw, frame); });
        connect(socket, &QWebSocket::textMessageReceived, this, [this, raw](const QString &) {
            sendError(*raw, 400, QStringLiteral("text frames are not part of the demo protocol"));
        });
        // Queued: a socket may report its disconnection from inside a send while pump() iterates.
        connect(
            socket, &QWebSocket::disconnected, this, [this, raw] { onClientGone(raw); }, Qt::QueuedConnection);
        m_clientCount = static_cast<int>(m_clients.size());
        qCInfo(lcSim).noquote() << "client connected from" << socket->peerAddress().toString();

        demo::Envelope hello;
        m_sim.fillInstruments(*hello.mutable_instruments());
        sendTo(*raw, hello);
        if (!m_heartbeatTimer->isActive())
            m_heartbeatTimer->start();
        Q_EMIT clientCountChanged(m_clientCount);
    }
}

void DemoServer::onClientGone(Client *client)
{
    const auto it
        = std::find_if(m_clients.begin(), m_clients.end(), [client](const auto &c) { return c.get() == client; });
    if (it == m_clients.end())
        return;
    qCInfo(lcSim).noquote() << "client disconnected:" << client->socket->closeReason();
    client->socket->disconnect(this);
    client->socket->deleteLater();
    m_clients.erase(it);
    m_clientCount = static_cast<int>(m_clients.size());
    if (m_clients.empty()) {
        m_heartbeatTimer->stop();
        m_pumpTimer->stop(); // nobody listens: the market rests (and costs nothing)
    }
    Q_EMIT clientCountChanged(m_clientCount);
}

void DemoServer::onClientMessage(Client *client, const QByteArray &frame)
{
    demo::Envelope request;
    if (!request.ParseFromArray(frame.constData(), static_cast<int>(frame.size()))) {
        sendError(*client, 400, QStringLiteral("malformed envelope (%1 bytes)").arg(frame.size()));
        return;
    }
    const bool subscribe = request.has_subscribe();
    if (!subscribe && !request.has_unsubscribe()) {
        sendError(*client, 400, QStringLiteral("only subscribe and unsubscribe are accepted"));
        return;
    }
    const auto &ids = subscribe ? request.subscribe().instrument_ids() : request.unsubscribe().instrument_ids();
    std::vector<std::uint32_t> targets(ids.begin(), ids.end());
    if (targets.empty()) {
        targets.resize(m_instrumentCount);
        for (std::uint32_t i = 0; i < targets.size(); ++i)
            targets[i] = i;
    }
    demo::Envelope reply;
    for (const std::uint32_t id : targets) {
        if (id >= m_instrumentCount) {
            sendError(*client, 404, QStringLiteral("unknown instrument id %1").arg(id));
            continue;
        }
        client->subscribed[id] = subscribe ? 1 : 0;
        if (subscribe) {
            // Every subscribe answers with a fresh snapshot: that is how a client resyncs a book.
            reply.Clear();
            m_sim.fillSnapshot(id, *reply.mutable_snapshot());
            sendTo(*client, reply);
        }
    }
    if (subscribe && !m_paused && !m_pumpTimer->isActive())
        pump();
}

void DemoServer::sendError(Client &client, int code, const QString &message)
{
    demo::Envelope envelope;
    envelope.mutable_error()->set_code(code);
    envelope.mutable_error()->set_message(message.toStdString());
    sendTo(client, envelope);
}

void DemoServer::sendTo(Client &client, demo::Envelope &envelope)
{
    envelope.clear_seq();
    envelope.set_send_time_us(wallNowUs());
    envelope.SerializeToString(&m_encoded);
    sendEncoded(client, m_encoded);
}

void DemoServer::sendEncoded(Client &client, const std::string &body)
{
    if (client.dropped || (client.stallUntilMs > 0 && client.stallUntilMs > m_clock.elapsed()))
        return;
    if (client.socket->bytesToWrite() > m_maxPendingBytes.load(std::memory_order_relaxed)) {
        client.dropped = true;
        ++m_slowDropped;
        qCWarning(lcSim).noquote() << "disconnecting slow consumer" << client.socket->peerAddress().toString() << "with"
                                   << client.socket->bytesToWrite() << "bytes queued";
        client.socket->close(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("slow consumer"));
        return;
    }
    // The body was serialized without a sequence; field 1 is prepended per connection, so one
    // encoding serves every client (protobuf fields may come in any order).
    m_framed.clear();
    m_framed.push_back(0x08); // field 1 (seq), varint
    appendVarint(m_framed, ++client.seq);
    m_framed.append(body);
    client.socket->sendBinaryMessage(QByteArray(m_framed.data(), static_cast<qsizetype>(m_framed.size())));
    client.lastSendMs = m_clock.elapsed();
    m_framesSent.fetch_add(1, std::memory_order_relaxed);
}

void DemoServer::pump()
{
    if (m_clients.empty())
        return;
    for (const auto &client : m_clients) {
        if (client->socket->bytesToWrite() > kPauseProducingBytes) {
            m_pumpTimer->start(1);
            return;
        }
    }
    int produced = 0;
    std::int64_t nowUs = 0;
    {
        QMutexLocker lock(&m_simMutex);
        if (m_paused)
            return;
        nowUs = m_clock.nsecsElapsed() / 1000;
        if (nowUs - m_sim.nextEventTimeUs() > kMaxLagUs)
            m_sim.skipTo(nowUs - kMaxLagUs / 2); // too far behind (or resumed): skip, don't burst
        while (m_sim.nextEventTimeUs() <= nowUs && produced < kMaxEventsPerPump) {
            const std::uint32_t id = m_sim.next(*m_event);
            ++produced;
            bool encoded = false;
            for (auto &client : m_clients) {
                if (!client->subscribed[id])
                    continue;
                if (!encoded) {
                    m_event->set_send_time_us(wallNowUs());
                    m_event->SerializeToString(&m_encoded);
                    encoded = true;
                }
                if (m_faults.corruptProbability > 0 && m_faultUniform(m_faultRng) < m_faults.corruptProbability)
                    sendGarbage(*client);
                if (m_faults.gapProbability > 0 && m_faultUniform(m_faultRng) < m_faults.gapProbability) {
                    ++client->seq; // lost on the way: the client sees the sequence jump
                    ++m_faultGaps;
                    continue;
                }
                sendEncoded(*client, m_encoded);
            }
        }
    }
    m_eventsProduced.fetch_add(static_cast<std::uint64_t>(produced), std::memory_order_relaxed);
    if (produced >= kMaxEventsPerPump) {
        // Let the event loop flush the sockets before producing the next batch.
        m_pumpTimer->start(0);
        return;
    }
    const std::int64_t waitUs = m_sim.nextEventTimeUs() - nowUs;
    m_pumpTimer->start(static_cast<int>(std::clamp<std::int64_t>((waitUs + 999) / 1000, 1, 1000)));
}

void DemoServer::sendHeartbeats()
{
    const qint64 now = m_clock.elapsed();
    demo::Envelope heartbeat;
    heartbeat.mutable_heartbeat();
    for (auto &client : m_clients) {
        if (now - client->lastSendMs >= kHeartbeatAfterMs)
            sendTo(*client, heartbeat);
    }
}

DemoServerThread::DemoServerThread(SimConfig config, const QHostAddress &address, quint16 port,
                                   const FaultConfig &faults, const std::optional<QSslConfiguration> &tls)
{
    m_thread.setObjectName(QStringLiteral("demo-server"));
    m_server = new DemoServer(config);
    m_server->setFaults(faults);
    if (tls)
        m_server->setTls(*tls);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    callOnThread(m_server, [&] {
        ok = m_server->listen(address, port);
        if (!ok)
            m_error = m_server->errorString();
    });
    if (ok)
        m_url = m_server->url();
    else
        qCWarning(lcSim).noquote() << "demo server could not listen:" << m_error;
}

DemoServerThread::~DemoServerThread()
{
    callOnThread(m_server, [this] { delete m_server; });
    m_thread.quit();
    m_thread.wait();
}

} // namespace tickscope
