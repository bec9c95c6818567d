#pragma once

#include "events.h"
#include "marketdata.h"
#include "marketstate.h"
#include "pipelinestats.h"
#include "venueprotocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkProxy>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <random>

class QNetworkAccessManager;
class QNetworkReply;

namespace tickscope {

class Handoff;

/// Settings of one feed link.
struct FeedConfig
{
    QString name; ///< shown to the user; defaults to the protocol's venue name
    QStringList symbols; ///< venue symbols to subscribe; empty = every announced instrument
    std::chrono::milliseconds backoffBase {500}; ///< first reconnect delay ceiling
    std::chrono::milliseconds backoffCap {30000}; ///< largest reconnect delay ceiling
    /// Live this long → the backoff attempt count resets: a link that delivered data for a while
    /// proves the venue healthy, so the next loss is retried quickly again.
    std::chrono::milliseconds stableAfter {2000};
    /// No frame at all for this long → Stale; twice as long → the connection is replaced
    /// (0 = the venue protocol's own, 5 s for the demo feed).
    std::chrono::milliseconds silenceTimeout {0};
    /// A subscribed instrument with no message for this long while the connection is live is
    /// resynced on its own (0 = off: on most venues a quiet instrument is normal).
    std::chrono::milliseconds subscriptionSilenceTimeout {0};
    std::chrono::milliseconds minPublishInterval {2}; ///< at most one handoff publish per this period
    std::size_t publishDepth = 50; ///< book levels per side handed to the GUI
    qint64 maxFrameBytes = 16 * 1024 * 1024; ///< larger incoming frames are refused
    /// Extra certificate authorities trusted for this feed's wss:// (on top of the system's).
    QList<QSslCertificate> trustedCertificates;
    /// SHA-256 of the one server certificate accepted for this feed (empty = no pin). A pinned
    /// certificate is trusted even when no CA vouches for it, and nothing else is accepted; an
    /// expired certificate or a wrong host name still fail.
    QByteArray pinnedSha256;
    /// Proxy for this feed: DefaultProxy = the application's (the system's) setting; HttpProxy or
    /// Socks5Proxy = explicit; NoProxy = direct.
    QNetworkProxy proxy {QNetworkProxy::DefaultProxy};
    /// Clocks of the state machine (tests inject their own): a steady clock in ns and the wall
    /// clock in ms since the epoch. Empty = the system's.
    std::function<std::int64_t()> steadyClockNs;
    std::function<std::int64_t()> wallClockMs;
};

/// Full-jitter exponential backoff: the n-th retry waits uniformly in [0, min(cap, base·2^n)].
class Backoff
{
public:
    Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed);
    /// Delay before the next attempt; increments the attempt count.
    std::chrono::milliseconds next();
    /// Ceiling of the delay for a given attempt (0-based), without jitter.
    std::chrono::milliseconds ceiling(int attempt) const;
    int attempt() const { return m_attempt; }
    void reset() { m_attempt = 0; }
    /// New base and cap for the coming attempts (the attempt count stays).
    void setLimits(std::chrono::milliseconds base, std::chrono::milliseconds cap);

private:
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
    int m_attempt = 0;
    std::mt19937_64 m_rng;
};

/// One venue link on the feed thread: owns the QWebSocket, drives the VenueProtocol, applies the
/// decoded events to its MarketState and publishes into the Handoff at most once per
/// `minPublishInterval`. States: Idle → Connecting → Subscribing → Live ⇄ Stale → Reconnecting → …,
/// plus Paused (by the user) and Failed (needs the user).
class FeedConnection : public QObject, private EventSink
{
    Q_OBJECT
public:
    FeedConnection(int feedIndex, std::unique_ptr<VenueProtocol> protocol, FeedConfig config, Handoff &handoff,
                   PipelineStats &stats, QObject *parent = nullptr);
    ~FeedConnection() override;

    /// Connects (from Idle, Paused or Failed).
    void start();
    /// Closes the socket and goes to Paused; nothing is retried until resume().
    void pause();
    void resume() { start(); }
    /// Drops the current connection (if any) and connects again immediately.
    void reconnectNow();
    /// Takes new reconnect delays and silence timeout (FeedConfig's meaning) without reconnecting
    /// and without leaving Paused or Failed: the next retry and the next liveness check use them.
    void setTimeouts(std::chrono::milliseconds backoffBase, std::chrono::milliseconds backoffCap,
                     std::chrono::milliseconds silenceTimeout);
    const FeedConfig &config() const { return m_config; }
    /// The liveness check a timer runs every second: connect timeout, silence → Stale → replaced,
    /// ping/pong, message rate, backoff reset after a stable period. Tests with an injected clock
    /// call it directly.
    void checkLiveness() { onLivenessTimer(); }

    FeedState state() const { return m_status.state; }
    const FeedSnapshot &status() const { return m_status; }
    const MarketState &market() const { return m_market; }
    VenueProtocol &protocol() { return *m_protocol; }
    /// REST depth snapshots requested from the venue (ResyncMethod::RestSnapshot), retries included.
    std::uint64_t snapshotFetches() const { return m_snapshotFetches; }
    /// REST snapshot fetches that failed (network or HTTP error, timeout); each was retried.
    std::uint64_t snapshotErrors() const { return m_snapshotErrors; }
    /// Connections replaced before the venue's connection age limit.
    std::uint64_t plannedReconnects() const { return m_plannedReconnects; }

Q_SIGNALS:
    void stateChanged(tickscope::FeedState state);

private:
    // EventSink
    void onInstruments(const std::vector<Instrument> &instruments) override;
    void onSnapshot(const BookSnapshot &snapshot) override;
    void onDelta(const BookDelta &delta) override;
    void onTrade(const Trade &trade) override;
    void onTicker(const Ticker &ticker) override;
    void onBestQuote(const BestQuote &quote) override;
    void onStatus(const VenueStatus &status) override;

    void openSocket();
    void onConnected();
    void onDisconnected();
    void onFrame(const QByteArray &frame, bool binary);
    void onPong(quint64 elapsedMs);
    void onSslErrors(const QList<QSslError> &errors);
    void onSocketError();
    void fail(const QString &reason);
    void subscribeAll();
    void send(const std::vector<OutgoingFrame> &frames);
    void sendNow(const OutgoingFrame &frame);
    /// Sends queued control frames as the venue's rate allows; re-arms m_sendTimer when it must wait.
    void drainSendQueue();
    void clearSendQueue();
    /// Starts a REST snapshot fetch for every symbol the protocol asks for (RestSnapshot venues).
    void fetchRequestedSnapshots();
    /// Fetches now if the REST budget allows, else queues the fetch (m_restQueue).
    void startSnapshotFetch(const QString &symbol);
    void drainRestQueue();
    /// One fetch's worth of the REST budget, if there is one now (else arms m_restTimer).
    bool takeRestToken();
    void fetchSnapshot(const QString &symbol);
    void scheduleSnapshotFetch(const QString &symbol, std::int64_t delayMs);
    static std::int64_t snapshotRetryDelayMs(int failedAttempts);
    void onSnapshotReply(const QString &symbol, QNetworkReply *reply);
    /// Drops every snapshot fetch under way (the connection restarts: the protocol starts over).
    void abandonSnapshots();
    void requestResync(LocalInstrument local, const char *reason);
    /// Compares the venue's checksum with the book's; a mismatch is counted and resyncs the book.
    bool verifyChecksum(LocalInstrument local, std::uint32_t expected);
    void setState(FeedState state, const QString &detail);
    void scheduleReconnect(const QString &reason);
    void markDataArrived();
    void onLivenessTimer();
    void checkSubscriptionSilence(std::int64_t now);
    void schedulePublish();
    void publishNow();
    void logDecodeError(const QString &message);
    std::int64_t nowNs() const { return m_config.steadyClockNs ? m_config.steadyClockNs() : steadyNowNs(); }
    std::int64_t wallMs() const;

    int m_feedIndex;
    std::unique_ptr<VenueProtocol> m_protocol;
    FeedConfig m_config;
    PipelineStats &m_stats;
    MarketState m_market;
    QWebSocket *m_socket = nullptr;
    FeedSnapshot m_status;
    bool m_statusDirty = true;
    Backoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_publishTimer;
    QTimer m_livenessTimer;
    QElapsedTimer m_clock; // steady time base for this connection
    std::int64_t m_recvNs = 0; // steady receive time of the frame being decoded (per burst)
    bool m_recvStampValid = false;
    bool m_publishScheduled = false; // m_publishTimer is running
    std::int64_t m_recvWallMs = 0;
    std::int64_t m_lastFrameNs = 0;
    std::int64_t m_lastPublishNs = 0;
    std::int64_t m_lastFeedPublishNs = 0;
    std::int64_t m_liveSinceNs = 0;
    std::int64_t m_pingSentNs = 0; // 0 = no ping outstanding
    std::int64_t m_appPingDueNs = 0; // when the venue's own ping frame is due next (0 = not connected)
    std::int64_t m_rateWindowStartNs = 0;
    std::uint64_t m_rateWindowFrames = 0;
    std::int64_t m_lastErrorLogNs = 0;
    std::uint64_t m_suppressedErrors = 0;
    // Counters already added to the process-wide PipelineStats.
    std::uint64_t m_reportedFrames = 0;
    std::uint64_t m_reportedDecoded = 0;
    std::uint64_t m_reportedApplied = 0;
    std::uint64_t m_reportedErrors = 0;
    std::int64_t m_connectedAtNs = 0; // when the WebSocket handshake completed (0 = not connected)
    std::uint64_t m_plannedReconnects = 0;

    // Control frames paced to the venue's rate (maxControlFramesPerSecond); real time, not the
    // injectable clock: the venue counts in real time.
    std::deque<OutgoingFrame> m_sendQueue;
    std::deque<std::int64_t> m_sentAtNs; // send times within the current window, oldest first
    QTimer m_sendTimer;

    // REST depth snapshots (ResyncMethod::RestSnapshot), on the feed thread.
    bool m_restSnapshots = false;
    QNetworkAccessManager *m_rest = nullptr; // created on first use, on the feed thread
    QHash<QString, QNetworkReply *> m_snapshotInFlight; // symbol → reply (nullptr: waiting to retry)
    QHash<QString, int> m_snapshotAttempts; // symbol → failed attempts since its last applied snapshot
    std::uint64_t m_restGeneration = 0; // bumped when fetches are abandoned; stale retries see it
    std::uint64_t m_snapshotFetches = 0;
    // Token bucket over the snapshot fetches (real time): fetches beyond it wait in the queue.
    double m_restTokens = 0;
    std::int64_t m_restTokensAtNs = 0;
    std::deque<QString> m_restQueue;
    QTimer m_restTimer;
    std::uint64_t m_snapshotErrors = 0;
};

} // namespace tickscope
