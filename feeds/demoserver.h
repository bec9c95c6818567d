#pragma once

#include "events.h"
#include "marketsimulator.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>
#include <optional>
#include <random>
#include <vector>

class QWebSocket;
class QWebSocketServer;

namespace tickscope {

namespace demo {
class Envelope;
}

/// A copy of one simulated book, best level first on each side.
struct BookCopy
{
    std::uint64_t sequence = 0;
    std::vector<Level> bids;
    std::vector<Level> asks;
};

/// Network faults the server injects on purpose (tickscope-sim --fault-*), to test that clients
/// recover from each. Zero disables a fault.
struct FaultConfig
{
    double dropEverySeconds = 0; ///< abort every client connection this often
    double gapProbability = 0; ///< each market event is lost for a client with this probability (seq skipped)
    double corruptProbability = 0; ///< a garbage frame is sent before an event with this probability
    double stallEverySeconds = 0; ///< this often, stop sending anything to the connected clients (TCP stays open) ...
    double stallForSeconds = 0; ///< ... for this long
    double refuseForSeconds = 0; ///< connections in the first seconds after listen() are aborted at once

    bool any() const
    {
        return dropEverySeconds > 0 || gapProbability > 0 || corruptProbability > 0
            || (stallEverySeconds > 0 && stallForSeconds > 0) || refuseForSeconds > 0;
    }
};

/// What the server did on purpose (FaultConfig); thread-safe counters.
struct FaultCounts
{
    std::uint64_t drops = 0;
    std::uint64_t gaps = 0;
    std::uint64_t corrupt = 0;
    std::uint64_t stalls = 0;
    std::uint64_t refused = 0;
};

/// The demo feed server: a MarketSimulator paced in real time and served over WebSocket with the
/// demo protocol (feeds/proto/demo.proto). Every client gets the instrument list on connect, a
/// snapshot for every instrument it subscribes to (again on every re-subscribe, which is how a
/// client resyncs one book), then the deltas, trades and tickers of its instruments, and a
/// Heartbeat after each quiet second. A client that cannot keep up (more than maxPendingBytes
/// queued) is told so and disconnected, as real venues do.
///
/// Lives on one thread (see DemoServerThread); pause(), resume(), bookCopy() and the counters may
/// be called from any thread.
class DemoServer : public QObject
{
    Q_OBJECT
public:
    explicit DemoServer(SimConfig config, QObject *parent = nullptr);
    ~DemoServer() override;

    /// Faults to inject; call before listen().
    void setFaults(const FaultConfig &faults) { m_faults = faults; }
    /// Serve wss:// with this certificate and key (call before listen()); ws:// otherwise.
    void setTls(const QSslConfiguration &tls)
    {
        m_tls = tls;
        m_secure = true;
    }
    FaultCounts faultCounts() const;

    /// Starts listening (port 0 = an ephemeral port). False with errorString() on failure.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    QString errorString() const;
    /// ws://host:port (wss:// with TLS) of the listening server (empty before listen()).
    QUrl url() const;

    /// Stops producing market events (clients stay connected and get heartbeats). Thread-safe:
    /// when it returns, no further event is produced until resume().
    void pause();
    /// Produces events again from the current time on (the pause is skipped, not replayed).
    void resume();
    bool isPaused() const { return m_paused.load(); }

    /// The simulator's current book of an instrument, up to `depth` levels a side (0 = none,
    /// only the sequence). Thread-safe.
    BookCopy bookCopy(std::uint32_t id, std::size_t depth) const;
    std::size_t instrumentCount() const { return m_instrumentCount; }

    /// A client with more than this many bytes queued is disconnected as a slow consumer. Thread-safe.
    void setMaxPendingBytes(qint64 bytes) { m_maxPendingBytes = bytes; }

    std::uint64_t framesSent() const { return m_framesSent.load(std::memory_order_relaxed); }
    std::uint64_t eventsProduced() const { return m_eventsProduced.load(std::memory_order_relaxed); }
    int clientCount() const { return m_clientCount.load(std::memory_order_relaxed); }
    std::uint64_t slowConsumersDropped() const { return m_slowDropped.load(std::memory_order_relaxed); }

Q_SIGNALS:
    void clientCountChanged(int count);

private:
    struct Client
    {
        QWebSocket *socket = nullptr;
        std::uint64_t seq = 0;
        std::vector<char> subscribed;
        qint64 lastSendMs = 0;
        qint64 stallUntilMs = 0; // fault: nothing is sent to this client until then
        bool dropped = false;
    };

    void onNewConnection();
    void onClientMessage(Client *client, const QByteArray &frame);
    void onClientGone(Client *client);
    void sendTo(Client &client, demo::Envelope &envelope);
    void sendEncoded(Client &client, const std::string &body);
    void sendError(Client &client, int code, const QString &message);
    void pump();
    void sendHeartbeats();
    void dropAll();
    void startStall();
    void sendGarbage(Client &client);

    mutable QMutex m_simMutex; // the simulator is written on the server thread, read by bookCopy()
    MarketSimulator m_sim;
    std::size_t m_instrumentCount = 0;
    QWebSocketServer *m_server = nullptr;
    FaultConfig m_faults;
    QSslConfiguration m_tls;
    bool m_secure = false;
    std::mt19937_64 m_faultRng;
    std::uniform_real_distribution<double> m_faultUniform {0.0, 1.0};
    QTimer *m_dropTimer = nullptr;
    QTimer *m_stallTimer = nullptr;
    std::atomic<std::uint64_t> m_faultDrops {0};
    std::atomic<std::uint64_t> m_faultGaps {0};
    std::atomic<std::uint64_t> m_faultCorrupt {0};
    std::atomic<std::uint64_t> m_faultStalls {0};
    std::atomic<std::uint64_t> m_faultRefused {0};
    std::vector<std::unique_ptr<Client>> m_clients;
    QTimer *m_pumpTimer = nullptr;
    QTimer *m_heartbeatTimer = nullptr;
    QElapsedTimer m_clock;
    std::unique_ptr<demo::Envelope> m_event; // reused for every event
    std::string m_encoded;
    std::string m_framed;
    std::atomic<qint64> m_maxPendingBytes {256ll * 1024 * 1024};
    std::atomic<bool> m_paused {false};
    std::atomic<std::uint64_t> m_framesSent {0};
    std::atomic<std::uint64_t> m_eventsProduced {0};
    std::atomic<int> m_clientCount {0};
    std::atomic<std::uint64_t> m_slowDropped {0};
    mutable QMutex m_urlMutex;
    QUrl m_url;
};

/// A DemoServer on its own thread, listening on the loopback interface; the app embeds one as its
/// default feed and tests use it as a real loopback venue.
class DemoServerThread
{
public:
    explicit DemoServerThread(SimConfig config, const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0,
                              const FaultConfig &faults = {},
                              const std::optional<QSslConfiguration> &tls = std::nullopt);
    ~DemoServerThread();
    DemoServerThread(const DemoServerThread &) = delete;
    DemoServerThread &operator=(const DemoServerThread &) = delete;

    /// Where clients connect; empty when listening failed (see errorString()).
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    DemoServer *server() const { return m_server; }

private:
    QThread m_thread;
    DemoServer *m_server = nullptr;
    QUrl m_url;
    QString m_error;
};

} // namespace tickscope
