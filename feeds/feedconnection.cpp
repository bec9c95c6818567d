#include "feedconnection.h"

#include "handoff.h"
#include "logging.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace tickscope {

using namespace std::chrono_literals;

namespace {
constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kLivenessPeriodMs = 1000;
constexpr std::int64_t kFeedPublishPeriodNs = 250 * kNsPerMs;
constexpr std::int64_t kConnectTimeoutNs = 10'000 * kNsPerMs;
// Control frames: at most the venue's count within this window. A little over a second, so the
// venue's own count stays within its limit even when network delay bunches frames together.
constexpr std::int64_t kPacingWindowNs = 1100 * kNsPerMs;
constexpr int kRestTimeoutMs = 10'000;
constexpr std::int64_t kRestRetryBaseMs = 250;
constexpr std::int64_t kRestRetryCapMs = 10'000;
// REST snapshot budget: a burst of this many fetches, then one per second. A Binance depth
// snapshot of 1000 levels weighs 50 of the 6000 an IP may use per minute: subscribing hundreds of
// books at once must not earn a 429 (and then a 418 ban).
constexpr double kRestBurst = 10;
constexpr std::int64_t kRestRefillNs = 1000 * kNsPerMs;
// A connection is replaced this long before the venue's age limit (at most at half the limit).
constexpr std::chrono::seconds kAgeMargin = std::chrono::minutes(10);

std::int64_t wallNowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
    : m_base(std::max(base, 1ms))
    , m_cap(std::max(cap, m_base))
    , m_rng(seed)
{ }

void Backoff::setLimits(std::chrono::milliseconds base, std::chrono::milliseconds cap)
{
    m_base = std::max(base, 1ms);
    m_cap = std::max(cap, m_base);
}

std::chrono::milliseconds Backoff::ceiling(int attempt) const
{
    // base·2^attempt, saturating at cap (the shift is bounded so it cannot overflow).
    const auto shifted = m_base.count() << std::min(attempt, 30);
    return std::chrono::milliseconds(std::min<std::int64_t>(shifted, m_cap.count()));
}

std::chrono::milliseconds Backoff::next()
{
    const auto top = ceiling(m_attempt).count();
    ++m_attempt;
    std::uniform_int_distribution<std::int64_t> pick(0, top);
    return std::chrono::milliseconds(pick(m_rng));
}

FeedConnection::FeedConnection(int feedIndex, std::unique_ptr<VenueProtocol> protocol, FeedConfig config,
                               Handoff &handoff, PipelineStats &stats, QObject *parent)
    : QObject(parent)
    , m_feedIndex(feedIndex)
    , m_protocol(std::move(protocol))
    , m_config(std::move(config))
    , m_stats(stats)
    , m_market(handoff, m_config.publishDepth)
    , m_backoff(m_config.backoffBase, m_config.backoffCap, std::random_device {}())
{
    m_market.setMaintainedDepth(m_protocol->maintainedDepth());
    m_status.feedIndex = feedIndex;
    m_status.name = m_config.name.isEmpty() ? m_protocol->venue() : m_config.name;
    m_status.url = m_protocol->url().toString();
    m_reconnectTimer.setSingleShot(true);
    m_publishTimer.setSingleShot(true);
    m_publishTimer.setTimerType(Qt::PreciseTimer);
    m_livenessTimer.setSingleShot(true);
    m_sendTimer.setSingleShot(true);
    m_sendTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire early and break the rate
    m_restSnapshots = m_protocol->resyncMethod() == ResyncMethod::RestSnapshot;
    connect(&m_sendTimer, &QTimer::timeout, this, &FeedConnection::drainSendQueue);
    m_restTimer.setSingleShot(true);
    connect(&m_restTimer, &QTimer::timeout, this, &FeedConnection::drainRestQueue);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &FeedConnection::openSocket);
    connect(&m_publishTimer, &QTimer::timeout, this, &FeedConnection::publishNow);
    connect(&m_livenessTimer, &QTimer::timeout, this, &FeedConnection::onLivenessTimer);
}

FeedConnection::~FeedConnection()
{
    abandonSnapshots();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

std::int64_t FeedConnection::wallMs() const
{
    return m_config.wallClockMs ? m_config.wallClockMs() : wallNowMs();
}

void FeedConnection::start()
{
    switch (m_status.state) {
    case FeedState::Idle:
    case FeedState::Paused:
    case FeedState::Failed:
    case FeedState::Reconnecting:
        m_backoff.reset();
        openSocket();
        break;
    default:
        break;
    }
}

void FeedConnection::pause()
{
    m_reconnectTimer.stop();
    m_livenessTimer.stop();
    clearSendQueue();
    abandonSnapshots();
    m_connectedAtNs = 0;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_market.setStale(true);
    m_status.attempt = 0;
    m_status.retryAtMs = 0;
    setState(FeedState::Paused, tr("paused by the user"));
    publishNow();
}

void FeedConnection::reconnectNow()
{
    m_reconnectTimer.stop();
    m_market.markAllResyncing();
    openSocket();
}

void FeedConnection::setTimeouts(std::chrono::milliseconds backoffBase, std::chrono::milliseconds backoffCap,
                                 std::chrono::milliseconds silenceTimeout)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_config.backoffBase = backoffBase;
    m_config.backoffCap = backoffCap;
    m_config.silenceTimeout = silenceTimeout;
    m_backoff.setLimits(backoffBase, backoffCap);
}

void FeedConnection::openSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    clearSendQueue();
    abandonSnapshots(); // answers for the old connection's books would not match the new stream
    m_connectedAtNs = 0;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_config.maxFrameBytes));
    m_socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(m_config.maxFrameBytes));
    connect(m_socket, &QWebSocket::connected, this, &FeedConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &FeedConnection::onDisconnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &frame) { onFrame(frame, true); });
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &frame) { onFrame(frame.toUtf8(), false); });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray &) { onPong(elapsedMs); });
    connect(m_socket, &QWebSocket::sslErrors, this, &FeedConnection::onSslErrors);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(m_socket, &QWebSocket::errorOccurred, this, &FeedConnection::onSocketError);
#else
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &FeedConnection::onSocketError);
#endif
    m_socket->setProxy(m_config.proxy);
    if (!m_config.trustedCertificates.isEmpty() || !m_config.pinnedSha256.isEmpty()) {
        // Certificate validation stays on; the feed's own CAs are added to the system's.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_config.trustedCertificates);
        m_socket->setSslConfiguration(tls);
    }

    m_protocol->reset();
    if (!m_protocol->announcesInstruments()) {
        // The venue does not announce instruments: the table comes from its catalogue up front.
        std::vector<Instrument> fixed = m_protocol->fixedInstruments();
        if (!fixed.empty()) {
            for (auto &instrument : fixed)
                instrument.venue = m_status.name;
            m_market.setInstruments(fixed);
            m_status.booksTotal = static_cast<int>(m_market.size());
            m_statusDirty = true;
        }
    }
    m_pingSentNs = 0;
    m_appPingDueNs = 0;
    m_liveSinceNs = 0;
    m_lastFrameNs = nowNs(); // connect timeout counts from here
    m_status.retryAtMs = 0;
    setState(FeedState::Connecting, m_status.url);
    m_socket->open(QNetworkRequest(m_protocol->url()));
    m_livenessTimer.start(kLivenessPeriodMs);
}

void FeedConnection::onConnected()
{
    if (!m_config.pinnedSha256.isEmpty() && m_protocol->url().scheme() == QLatin1String("wss")) {
        const QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
        if (peer.digest(QCryptographicHash::Sha256) != m_config.pinnedSha256) {
            fail(tr("certificate does not match the pinned one"));
            return;
        }
    }
    m_lastFrameNs = nowNs();
    m_connectedAtNs = m_lastFrameNs;
    if (const HeartbeatPolicy policy = m_protocol->heartbeat(); !policy.appPing.isEmpty())
        m_appPingDueNs = m_lastFrameNs + std::chrono::nanoseconds(policy.pingInterval).count();
    setState(FeedState::Subscribing, tr("connected"));
    send(m_protocol->onConnected());
    if (!m_protocol->announcesInstruments())
        subscribeAll();
    publishNow();
}

void FeedConnection::onDisconnected()
{
    if (m_status.state == FeedState::Paused || m_status.state == FeedState::Failed || !m_socket)
        return;
    const auto reasonOf = [](const QWebSocket &socket) {
        QString reason = socket.closeReason();
        if (reason.isEmpty() && socket.error() == QAbstractSocket::HostNotFoundError) // which host: a typo shows
            reason = tr("Host %1 not found").arg(socket.requestUrl().host());
        else if (reason.isEmpty() && socket.error() != QAbstractSocket::UnknownSocketError)
            reason = socket.errorString();
        return reason;
    };
    const QString reason = reasonOf(*m_socket);
    if (!reason.isEmpty()) {
        scheduleReconnect(reason);
        return;
    }
    // Over TLS, Qt reports why a connection attempt failed ("Host not found", "Connection refused")
    // only after disconnected(): ask again once this moment's signals are through, so the user is
    // told the real reason instead of "connection closed".
    QPointer<QWebSocket> socket(m_socket);
    QMetaObject::invokeMethod(
        this,
        [this, socket, reasonOf] {
            if (!socket || socket != m_socket || m_status.state == FeedState::Paused
                || m_status.state == FeedState::Failed)
                return;
            const QString late = reasonOf(*socket);
            scheduleReconnect(late.isEmpty() ? tr("connection closed") : late);
        },
        Qt::QueuedConnection);
}

void FeedConnection::onSslErrors(const QList<QSslError> &errors)
{
    // Validation is never switched off. The one exception is a pinned certificate: if the server
    // shows exactly that certificate, the errors that only say "no CA vouches for it" are waived.
    if (!m_config.pinnedSha256.isEmpty() && m_socket) {
        static const QList<QSslError::SslError> trustOnly {
            QSslError::SelfSignedCertificate, QSslError::SelfSignedCertificateInChain,
            QSslError::UnableToGetLocalIssuerCertificate, QSslError::UnableToVerifyFirstCertificate,
            QSslError::CertificateUntrusted};
        const bool onlyTrust = std::all_of(errors.begin(), errors.end(),
                                           [](const QSslError &error) { return trustOnly.contains(error.error()); });
        const bool pinned = std::all_of(errors.begin(), errors.end(), [this](const QSslError &error) {
            return error.certificate().isNull()
                || error.certificate().digest(QCryptographicHash::Sha256) == m_config.pinnedSha256;
        });
        if (onlyTrust && pinned) {
            m_socket->ignoreSslErrors(errors); // exactly these errors, for exactly this certificate
            return;
        }
    }
    QString reason;
    for (const QSslError &error : errors) {
        switch (error.error()) {
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
            reason = tr("certificate not trusted");
            break;
        case QSslError::HostNameMismatch:
            reason = tr("certificate is for another host");
            break;
        case QSslError::CertificateExpired:
            reason = tr("certificate expired");
            break;
        default:
            break;
        }
        if (!reason.isEmpty())
            break;
    }
    if (reason.isEmpty())
        reason = errors.isEmpty() ? tr("TLS handshake failed") : errors.first().errorString();
    qCWarning(lcFeed).noquote() << m_status.name
                                << "TLS:" << (errors.isEmpty() ? QStringLiteral("?") : errors.first().errorString());
    fail(reason);
}

void FeedConnection::onSocketError()
{
    if (!m_socket)
        return;
    // A handshake the server answers with a 4xx will not succeed by retrying (bad URL, forbidden,
    // unknown path): that needs the user. 408 and 429 are the exceptions: try again later.
    static const QRegularExpression statusCode(QStringLiteral("status code: (\\d{3})(?: \\(([^)]*)\\))?"));
    const QString text = m_socket->errorString();
    const QRegularExpressionMatch match = statusCode.match(text);
    if (!match.hasMatch())
        return; // transport errors end in disconnected(): reconnect with backoff
    const int code = match.captured(1).toInt();
    if (code >= 400 && code < 500 && code != 408 && code != 429)
        fail(tr("handshake refused: %1 %2").arg(code).arg(match.captured(2)).trimmed());
}

void FeedConnection::fail(const QString &reason)
{
    m_reconnectTimer.stop();
    m_livenessTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_market.markAllResyncing();
    m_market.setStale(true);
    m_status.attempt = 0;
    m_status.retryAtMs = 0;
    m_status.connectedSinceMs = 0;
    qCWarning(lcFeed).noquote() << m_status.name << "failed:" << reason << "- needs the user";
    setState(FeedState::Failed, reason);
    publishNow();
}

void FeedConnection::scheduleReconnect(const QString &reason)
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_livenessTimer.stop();
    clearSendQueue();
    abandonSnapshots();
    m_connectedAtNs = 0;
    m_market.markAllResyncing();
    const auto delay = m_backoff.next();
    ++m_status.reconnects;
    m_status.attempt = m_backoff.attempt();
    m_status.retryAtMs = wallMs() + delay.count();
    m_status.connectedSinceMs = 0;
    qCInfo(lcFeed).noquote() << m_status.name << "lost:" << reason << "- retry" << m_status.attempt << "in"
                             << delay.count() << "ms";
    setState(FeedState::Reconnecting, reason);
    m_reconnectTimer.start(delay);
    publishNow();
}

void FeedConnection::setState(FeedState state, const QString &detail)
{
    if (m_status.state == state && m_status.detail == detail)
        return;
    if (m_status.state != state) // every transition, with its reason (detail-only updates are not transitions)
        qCInfo(lcFeed).noquote() << m_status.name << feedStateName(m_status.state) << "→" << feedStateName(state) << ":"
                                 << detail;
    if (state != FeedState::Stale)
        m_status.staleSinceMs = 0;
    m_status.state = state;
    m_status.detail = detail;
    m_statusDirty = true;
    Q_EMIT stateChanged(state);
}

void FeedConnection::subscribeAll()
{
    QStringList symbols = m_config.symbols;
    if (symbols.isEmpty()) {
        symbols.reserve(static_cast<qsizetype>(m_market.size()));
        for (LocalInstrument i = 0; i < m_market.size(); ++i)
            symbols.append(m_market.entry(i).instrument.symbol);
    }
    send(m_protocol->subscribeFrames(symbols));
}

void FeedConnection::send(const std::vector<OutgoingFrame> &frames)
{
    if (!m_socket)
        return;
    if (m_protocol->maxControlFramesPerSecond() <= 0) {
        for (const auto &frame : frames)
            sendNow(frame);
        return;
    }
    m_sendQueue.insert(m_sendQueue.end(), frames.begin(), frames.end());
    drainSendQueue();
}

void FeedConnection::sendNow(const OutgoingFrame &frame)
{
    if (frame.binary)
        m_socket->sendBinaryMessage(frame.data);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame.data));
}

void FeedConnection::drainSendQueue()
{
    if (!m_socket) {
        clearSendQueue();
        return;
    }
    const auto limit = static_cast<std::size_t>(std::max(1, m_protocol->maxControlFramesPerSecond()));
    while (!m_sendQueue.empty()) {
        const std::int64_t now = steadyNowNs();
        while (!m_sentAtNs.empty() && now - m_sentAtNs.front() >= kPacingWindowNs)
            m_sentAtNs.pop_front();
        if (m_sentAtNs.size() >= limit) {
            // The oldest send leaves the window at this time; nothing runs while nothing is queued.
            const std::int64_t waitNs = m_sentAtNs.front() + kPacingWindowNs - now;
            m_sendTimer.start(static_cast<int>(waitNs / kNsPerMs + 1));
            return;
        }
        sendNow(m_sendQueue.front());
        m_sendQueue.pop_front();
        m_sentAtNs.push_back(now);
    }
}

void FeedConnection::clearSendQueue()
{
    m_sendTimer.stop();
    m_sendQueue.clear();
    m_sentAtNs.clear(); // a new connection has a rate count of its own
}

void FeedConnection::fetchRequestedSnapshots()
{
    const QStringList symbols = m_protocol->takeSnapshotRequests();
    for (const QString &symbol : symbols) {
        // A fetch under way is checked against the buffered diffs when it arrives (fetched again
        // when too old), so a second one now would only add load.
        if (m_snapshotInFlight.contains(symbol))
            continue;
        const std::int64_t delayMs = snapshotRetryDelayMs(m_snapshotAttempts.value(symbol));
        if (delayMs == 0)
            startSnapshotFetch(symbol);
        else
            scheduleSnapshotFetch(symbol, delayMs);
    }
}

std::int64_t FeedConnection::snapshotRetryDelayMs(int failedAttempts)
{
    // After n failures of a book's snapshot: min(cap, base·2^(n-1)); none before the first failure.
    if (failedAttempts <= 0)
        return 0;
    return std::min<std::int64_t>(kRestRetryCapMs, kRestRetryBaseMs << std::min(failedAttempts - 1, 16));
}

void FeedConnection::scheduleSnapshotFetch(const QString &symbol, std::int64_t delayMs)
{
    m_snapshotInFlight.insert(symbol, nullptr); // requests for it meanwhile are coalesced
    const std::uint64_t generation = m_restGeneration;
    QTimer::singleShot(std::chrono::milliseconds(delayMs), this, [this, symbol, generation] {
        if (generation != m_restGeneration || !m_snapshotInFlight.contains(symbol))
            return; // abandoned meanwhile
        m_snapshotInFlight.remove(symbol);
        startSnapshotFetch(symbol);
    });
}

bool FeedConnection::takeRestToken()
{
    const std::int64_t now = steadyNowNs();
    m_restTokens = m_restTokensAtNs == 0
        ? kRestBurst
        : std::min(kRestBurst,
                   m_restTokens + static_cast<double>(now - m_restTokensAtNs) / static_cast<double>(kRestRefillNs));
    m_restTokensAtNs = now;
    if (m_restTokens < 1) {
        // Nothing runs while nothing waits: the timer is armed only for a queued fetch.
        if (!m_restTimer.isActive())
            m_restTimer.start(static_cast<int>((1 - m_restTokens) * static_cast<double>(kRestRefillNs / kNsPerMs)) + 1);
        return false;
    }
    m_restTokens -= 1;
    return true;
}

void FeedConnection::startSnapshotFetch(const QString &symbol)
{
    if (m_restQueue.empty() && takeRestToken()) {
        fetchSnapshot(symbol);
        return;
    }
    // Over budget: it waits its turn (requests for it meanwhile are coalesced).
    m_snapshotInFlight.insert(symbol, nullptr);
    m_restQueue.push_back(symbol);
    drainRestQueue();
}

void FeedConnection::drainRestQueue()
{
    while (!m_restQueue.empty()) {
        const QString symbol = m_restQueue.front();
        if (!takeRestToken())
            return; // the timer calls again
        m_restQueue.pop_front();
        m_snapshotInFlight.remove(symbol);
        fetchSnapshot(symbol);
    }
}

void FeedConnection::fetchSnapshot(const QString &symbol)
{
    Q_ASSERT(QThread::currentThread() == thread()); // the manager lives on the feed thread
    if (!m_rest) {
        m_rest = new QNetworkAccessManager(this);
        m_rest->setProxy(m_config.proxy);
    }
    QNetworkRequest request(m_protocol->restSnapshotUrl(symbol));
    request.setTransferTimeout(kRestTimeoutMs);
    if (!m_config.trustedCertificates.isEmpty()) {
        // The feed's own CAs, as for the socket; validation stays on. (A pinned certificate is the
        // stream host's: the REST host has its own certificate.)
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_config.trustedCertificates);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = m_rest->get(request);
    ++m_snapshotFetches;
    m_snapshotInFlight.insert(symbol, reply);
    connect(reply, &QNetworkReply::finished, this, [this, symbol, reply] { onSnapshotReply(symbol, reply); });
}

void FeedConnection::onSnapshotReply(const QString &symbol, QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_snapshotInFlight.value(symbol) != reply)
        return; // abandoned
    m_snapshotInFlight.remove(symbol);
    const int httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || httpStatus != 200) {
        ++m_snapshotErrors;
        const int attempts = m_snapshotAttempts.value(symbol) + 1;
        m_snapshotAttempts.insert(symbol, attempts);
        const QString reason = reply->error() != QNetworkReply::NoError ? reply->errorString()
                                                                        : QStringLiteral("HTTP %1").arg(httpStatus);
        qCInfo(lcFeed).noquote() << m_status.name << symbol << "depth snapshot failed:" << reason << "- attempt"
                                 << attempts << "of this book, retrying";
        m_status.detail = tr("%1 depth snapshot: %2 (retrying)").arg(symbol, reason);
        m_statusDirty = true;
        // The protocol keeps buffering meanwhile. Rate limited (429) or banned (418): wait at
        // least as long as the venue says.
        const std::int64_t retryAfterMs = reply->rawHeader("Retry-After").toLongLong() * 1000;
        scheduleSnapshotFetch(symbol, std::max(retryAfterMs, snapshotRetryDelayMs(attempts)));
        schedulePublish();
        return;
    }
    const QByteArray body = reply->readAll();
    m_recvNs = nowNs();
    m_recvWallMs = 0;
    const DecodeResult result = m_protocol->applyRestSnapshot(symbol, body, *this);
    if (result.status == DecodeResult::Status::Ok) {
        m_snapshotAttempts.remove(symbol);
    } else {
        // Refused (too old: fetched again) or unreadable: the next fetch of this book waits a little.
        m_snapshotAttempts.insert(symbol, m_snapshotAttempts.value(symbol) + 1);
        if (!result) {
            ++m_status.decodeErrors;
            logDecodeError(result.error);
        }
    }
    fetchRequestedSnapshots();
    schedulePublish();
}

void FeedConnection::abandonSnapshots()
{
    ++m_restGeneration;
    for (QNetworkReply *reply : std::as_const(m_snapshotInFlight)) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
    m_snapshotInFlight.clear();
    m_snapshotAttempts.clear();
    m_restQueue.clear();
    m_restTimer.stop();
}

void FeedConnection::onFrame(const QByteArray &frame, bool binary)
{
    // One clock read per burst of frames the socket delivers in one go: the stamp stays valid until
    // control returns to the event loop. Frames late in a burst get the burst's (earlier) receive
    // time, so measured latency can only err on the high side.
    if (!m_recvStampValid) {
        m_recvNs = nowNs();
        m_recvStampValid = true;
        QMetaObject::invokeMethod(
            this, [this] { m_recvStampValid = false; }, Qt::QueuedConnection);
    }
    m_recvWallMs = 0;
    m_lastFrameNs = m_recvNs;
    ++m_status.framesReceived;
    ++m_rateWindowFrames;
    m_status.bytesReceived += static_cast<std::uint64_t>(frame.size());
    const DecodeResult result = m_protocol->decode(frame, binary, *this);
    if (result) {
        ++m_status.framesDecoded;
    } else {
        ++m_status.decodeErrors;
        logDecodeError(result.error);
        schedulePublish();
    }
    if (m_restSnapshots)
        fetchRequestedSnapshots();
}

void FeedConnection::logDecodeError(const QString &message)
{
    // Rate-limited: a venue sending garbage must not flood the log.
    if (m_recvNs - m_lastErrorLogNs < 1000 * kNsPerMs) {
        ++m_suppressedErrors;
        return;
    }
    qCWarning(lcFeed).noquote() << m_status.name << "bad frame:" << message
                                << (m_suppressedErrors ? QStringLiteral("(%1 more suppressed)").arg(m_suppressedErrors)
                                                       : QString());
    m_lastErrorLogNs = m_recvNs;
    m_suppressedErrors = 0;
}

void FeedConnection::markDataArrived()
{
    if (m_status.state == FeedState::Subscribing || m_status.state == FeedState::Stale) {
        if (m_liveSinceNs == 0)
            m_liveSinceNs = m_recvNs;
        m_status.connectedSinceMs = m_status.connectedSinceMs ? m_status.connectedSinceMs : wallMs();
        m_status.attempt = 0;
        setState(FeedState::Live, tr("receiving data"));
        m_market.setStale(false);
    }
}

void FeedConnection::onInstruments(const std::vector<Instrument> &instruments)
{
    std::vector<Instrument> named = instruments;
    for (auto &instrument : named)
        instrument.venue = m_status.name;
    m_market.setInstruments(named);
    m_status.booksTotal = static_cast<int>(m_market.size());
    m_statusDirty = true;
    qCInfo(lcFeed).noquote() << m_status.name << "announced" << instruments.size() << "instruments";
    if (m_status.state == FeedState::Subscribing || m_status.state == FeedState::Live
        || m_status.state == FeedState::Stale)
        subscribeAll();
    schedulePublish();
}

void FeedConnection::onSnapshot(const BookSnapshot &snapshot)
{
    if (!m_market.contains(snapshot.instrument))
        return;
    const ApplyResult result = m_market.applySnapshot(snapshot, m_recvNs);
    ++m_status.messagesApplied;
    markDataArrived();
    if (result == ApplyResult::Crossed) {
        ++m_status.crossedBooks;
        requestResync(snapshot.instrument, "crossed snapshot");
    } else if (snapshot.checksum) {
        verifyChecksum(snapshot.instrument, *snapshot.checksum);
    }
    schedulePublish();
}

void FeedConnection::onDelta(const BookDelta &delta)
{
    if (!m_market.contains(delta.instrument))
        return;
    switch (m_market.applyDelta(delta, m_recvNs)) {
    case ApplyResult::Applied:
        ++m_status.messagesApplied;
        if (delta.checksum && !verifyChecksum(delta.instrument, *delta.checksum)) {
            markDataArrived();
            schedulePublish();
            return;
        }
        break;
    case ApplyResult::Gap:
        ++m_status.gaps;
        requestResync(delta.instrument, "sequence gap");
        break;
    case ApplyResult::Crossed:
        ++m_status.messagesApplied;
        ++m_status.crossedBooks;
        requestResync(delta.instrument, "crossed book");
        break;
    case ApplyResult::Stale:
    case ApplyResult::NotSynced:
        return; // dropped: nothing changed
    }
    markDataArrived();
    schedulePublish();
}

bool FeedConnection::verifyChecksum(LocalInstrument local, std::uint32_t expected)
{
    const std::optional<std::uint32_t> actual = m_protocol->checksumOf(m_market.entry(local).book);
    if (!actual)
        return true; // the venue's algorithm is not known here: nothing to compare
    if (*actual == expected) {
        ++m_status.checksumOk;
        return true;
    }
    ++m_status.checksumBad;
    m_statusDirty = true;
    qCInfo(lcFeed).noquote() << m_status.name << m_market.entry(local).instrument.symbol << "checksum mismatch: venue"
                             << expected << "book" << *actual;
    requestResync(local, "checksum mismatch");
    return false;
}

void FeedConnection::onTrade(const Trade &trade)
{
    if (!m_market.contains(trade.instrument))
        return;
    if (trade.exchangeTimeUs <= 0 && m_recvWallMs == 0)
        m_recvWallMs = wallMs();
    m_market.applyTrade(trade, m_recvNs, m_recvWallMs);
    ++m_status.messagesApplied;
    markDataArrived();
    schedulePublish();
}

void FeedConnection::onTicker(const Ticker &ticker)
{
    if (!m_market.contains(ticker.instrument))
        return;
    m_market.applyTicker(ticker, m_recvNs);
    ++m_status.messagesApplied;
    markDataArrived();
    schedulePublish();
}

void FeedConnection::onBestQuote(const BestQuote &quote)
{
    if (!m_market.contains(quote.instrument))
        return;
    m_market.applyBestQuote(quote, m_recvNs);
    ++m_status.messagesApplied;
    markDataArrived();
    schedulePublish();
}

void FeedConnection::onStatus(const VenueStatus &status)
{
    switch (status.kind) {
    case VenueStatus::Kind::Heartbeat:
        if (m_status.state == FeedState::Stale)
            markDataArrived();
        break;
    case VenueStatus::Kind::Error:
        qCWarning(lcFeed).noquote() << m_status.name << "venue error" << status.code << status.message;
        m_status.detail = status.message;
        m_statusDirty = true;
        break;
    case VenueStatus::Kind::SequenceGap:
        // Frames were lost on the connection; the per-book sequences say which books need a resync.
        qCInfo(lcFeed).noquote() << m_status.name << "connection sequence gap: expected" << status.expected << "got"
                                 << status.received;
        break;
    case VenueStatus::Kind::Info:
        qCInfo(lcFeed).noquote() << m_status.name << "venue says:" << status.message;
        m_status.detail = status.message;
        m_statusDirty = true;
        break;
    }
}

void FeedConnection::requestResync(LocalInstrument local, const char *reason)
{
    const auto &entry = m_market.entry(local);
    qCInfo(lcFeed).noquote() << m_status.name << entry.instrument.symbol << "resync:" << QLatin1String(reason);
    ++m_status.resyncs;
    m_market.markResyncing(local);
    m_protocol->beginResync(entry.instrument.symbol);
    switch (m_protocol->resyncMethod()) {
    case ResyncMethod::Resubscribe:
        send(m_protocol->resyncFrames(entry.instrument.symbol));
        break;
    case ResyncMethod::Reconnect:
        scheduleReconnect(QStringLiteral("%1: %2").arg(entry.instrument.symbol, QLatin1String(reason)));
        break;
    case ResyncMethod::RestSnapshot:
        // The protocol buffers from the next update on and asks for the snapshot then; the
        // connection fetches it after that frame (fetchRequestedSnapshots).
        break;
    }
}

void FeedConnection::onPong(quint64 elapsedMs)
{
    Q_UNUSED(elapsedMs);
    m_pingSentNs = 0;
}

void FeedConnection::onLivenessTimer()
{
    const std::int64_t now = nowNs();
    HeartbeatPolicy policy = m_protocol->heartbeat();
    if (m_config.silenceTimeout.count() > 0)
        policy.silenceTimeout = m_config.silenceTimeout;
    const std::int64_t silenceNs = std::chrono::duration_cast<std::chrono::nanoseconds>(policy.silenceTimeout).count();
    const std::int64_t silent = now - m_lastFrameNs;

    // Message rate over the last window.
    const std::int64_t window = now - m_rateWindowStartNs;
    if (window >= kLivenessPeriodMs * kNsPerMs / 2) {
        const double windowRate = static_cast<double>(m_rateWindowFrames) * 1e9 / static_cast<double>(window);
        // Smoothed over about 3 s, and only a visible change (whole messages per second) is worth a
        // publish: an idle feed's heartbeats, 0, 1 or 2 per window, must not wake the GUI every second.
        constexpr double kRateTimeConstantNs = 3e9;
        const double weight = 1.0 - std::exp(-static_cast<double>(window) / kRateTimeConstantNs);
        const double previous = m_status.messageRate;
        // A real change of regime (a feed starting or stopping) shows at once.
        const bool jump = std::max(windowRate, previous) > 10
            && std::abs(windowRate - previous) > 0.5 * std::max(windowRate, previous);
        const double rate = jump ? windowRate : previous + weight * (windowRate - previous);
        if (std::llround(rate) != std::llround(m_status.messageRate))
            m_statusDirty = true;
        m_status.messageRate = rate;
        m_rateWindowFrames = 0;
        m_rateWindowStartNs = now;
    }

    // Replaced before the venue closes it for its age: a planned, immediate reconnect.
    const std::chrono::seconds maxAge = m_protocol->maxConnectionAge();
    if (maxAge.count() > 0 && m_connectedAtNs != 0
        && (m_status.state == FeedState::Subscribing || m_status.state == FeedState::Live
            || m_status.state == FeedState::Stale)) {
        const std::chrono::seconds replaceAt = std::max(maxAge - kAgeMargin, maxAge / 2);
        const std::int64_t ageNs = now - m_connectedAtNs;
        if (ageNs >= std::chrono::nanoseconds(replaceAt).count()) {
            ++m_plannedReconnects;
            qCInfo(lcFeed).noquote() << m_status.name << "planned reconnect: the connection is"
                                     << ageNs / 60'000'000'000 << "min old, the venue closes connections at"
                                     << maxAge.count() / 60 << "min";
            m_status.connectedSinceMs = 0;
            reconnectNow();
            return;
        }
    }

    switch (m_status.state) {
    case FeedState::Connecting:
    case FeedState::Subscribing:
        if (silent > kConnectTimeoutNs) {
            scheduleReconnect(tr("no answer within %1 s").arg(kConnectTimeoutNs / 1'000'000'000));
            return;
        }
        break;
    case FeedState::Live:
        if (silenceNs > 0 && silent > silenceNs) {
            m_status.staleSinceMs = wallMs() - silent / kNsPerMs;
            setState(FeedState::Stale, tr("no data for %1 s").arg(silent / 1'000'000'000));
            m_market.setStale(true);
        } else if (m_liveSinceNs && now - m_liveSinceNs > std::chrono::nanoseconds(m_config.stableAfter).count()) {
            m_backoff.reset();
        }
        checkSubscriptionSilence(now);
        break;
    case FeedState::Stale:
        if (silent > 2 * silenceNs) {
            scheduleReconnect(tr("no data for %1 s").arg(silent / 1'000'000'000));
            return;
        }
        setState(FeedState::Stale, tr("no data for %1 s").arg(silent / 1'000'000'000));
        break;
    default:
        return; // Idle, Paused, Failed, Reconnecting: no liveness checks
    }

    // The venue's own ping (OKX "ping", Bybit {"op":"ping"}) goes out on its period whatever the
    // traffic: those venues count on it to keep the connection.
    if (!policy.appPing.isEmpty() && policy.pingInterval.count() > 0 && m_socket && m_appPingDueNs != 0
        && now >= m_appPingDueNs) {
        send({OutgoingFrame {policy.appPing, false}});
        m_appPingDueNs = now + std::chrono::nanoseconds(policy.pingInterval).count();
    }
    if (policy.pingInterval.count() > 0 && m_socket) {
        const std::int64_t pongNs = std::chrono::nanoseconds(policy.pongTimeout).count();
        if (m_pingSentNs != 0 && now - m_pingSentNs > pongNs) {
            scheduleReconnect(tr("no pong within %1 ms").arg(policy.pongTimeout.count()));
            return;
        }
        if (m_pingSentNs == 0 && silent > std::chrono::nanoseconds(policy.pingInterval).count() / 2) {
            m_socket->ping();
            m_pingSentNs = now;
        }
    }
    if (m_statusDirty)
        publishNow();
    m_livenessTimer.start(kLivenessPeriodMs);
}

void FeedConnection::checkSubscriptionSilence(std::int64_t now)
{
    const std::int64_t limit = std::chrono::nanoseconds(m_config.subscriptionSilenceTimeout).count();
    if (limit <= 0)
        return;
    for (LocalInstrument i = 0; i < m_market.size(); ++i) {
        const MarketState::Entry &entry = m_market.entry(i);
        // Only books that are in sync and have spoken on this connection: a resync already under
        // way has its own snapshot to wait for.
        if (entry.book.integrity() != BookIntegrity::Synced || entry.lastDataNs == 0
            || entry.lastDataNs < m_liveSinceNs)
            continue;
        if (now - entry.lastDataNs > limit)
            requestResync(i, "no data for this instrument");
    }
}

void FeedConnection::schedulePublish()
{
    if (m_publishScheduled) // checked per message: a plain flag is cheaper than asking the timer
        return;
    m_publishScheduled = true;
    const std::int64_t minNs = std::chrono::nanoseconds(m_config.minPublishInterval).count();
    const std::int64_t dueIn = m_lastPublishNs + minNs - nowNs();
    m_publishTimer.start(static_cast<int>(std::max<std::int64_t>(0, dueIn / kNsPerMs)));
}

void FeedConnection::publishNow()
{
    m_publishTimer.stop();
    m_publishScheduled = false;
    const std::int64_t now = nowNs();
    m_lastPublishNs = now;

    PipelineStats::add(m_stats.framesReceived, m_status.framesReceived - m_reportedFrames);
    PipelineStats::add(m_stats.framesDecoded, m_status.framesDecoded - m_reportedDecoded);
    PipelineStats::add(m_stats.messagesApplied, m_status.messagesApplied - m_reportedApplied);
    PipelineStats::add(m_stats.decodeErrors, m_status.decodeErrors - m_reportedErrors);
    PipelineStats::add(m_stats.publishes);
    m_reportedFrames = m_status.framesReceived;
    m_reportedDecoded = m_status.framesDecoded;
    m_reportedApplied = m_status.messagesApplied;
    m_reportedErrors = m_status.decodeErrors;

    const int synced = m_market.booksSynced();
    if (synced != m_status.booksSynced) {
        m_status.booksSynced = synced;
        m_statusDirty = true;
    }
    const bool includeFeed = m_statusDirty || now - m_lastFeedPublishNs >= kFeedPublishPeriodNs;
    if (includeFeed)
        m_lastFeedPublishNs = now;
    m_market.publish(includeFeed ? &m_status : nullptr);
    m_statusDirty = false;
}

} // namespace tickscope
