#pragma once

#include "events.h"
#include "instrument.h"

#include "orderbook.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>
#include <vector>

namespace tickscope {

/// A frame to send to the venue.
struct OutgoingFrame
{
    QByteArray data;
    bool binary = false;
};

/// How the connection proves it is alive.
struct HeartbeatPolicy
{
    std::chrono::milliseconds pingInterval {5000}; ///< WebSocket ping period (0 = none)
    std::chrono::milliseconds pongTimeout {5000}; ///< no pong within this → connection is dead
    std::chrono::milliseconds silenceTimeout {10000}; ///< no frame at all within this → Stale
    QByteArray appPing; ///< application-level ping frame to send instead/in addition (empty = none)
};

/// How a single out-of-sync book is brought back.
enum class ResyncMethod : std::uint8_t {
    Resubscribe, ///< send resyncFrames(instrument); the venue answers with a fresh snapshot
    RestSnapshot, ///< fetch restSnapshotUrl(instrument) and apply the venue's buffering procedure
    Reconnect, ///< the venue offers nothing finer: reconnect the whole feed
};

/// Outcome of decoding one frame.
struct DecodeResult
{
    enum class Status : std::uint8_t {
        Ok, ///< decoded; zero or more events were emitted
        Ignored, ///< a valid frame that carries nothing for us (ack, pong)
        Error, ///< malformed, truncated or unknown; counted, logged and survived
    };
    Status status = Status::Ok;
    QString error; ///< for Error
    explicit operator bool() const { return status != Status::Error; }
    static DecodeResult ok() { return {}; }
    static DecodeResult ignored() { return {Status::Ignored, {}}; }
    static DecodeResult failure(QString message) { return {Status::Error, std::move(message)}; }
};

/// One venue's wire protocol: URL, subscribe frames and decoding into normalized events.
///
/// Implementations are plain objects without sockets, so tests can drive them with recorded
/// frames. A protocol instance belongs to one connection and may keep per-connection state
/// (sequence numbers, the instrument table); reset() clears it when the connection restarts.
class VenueProtocol
{
public:
    virtual ~VenueProtocol() = default;

    /// Short venue name, e.g. "demo", "binance".
    virtual QString venue() const = 0;
    /// Where to connect.
    virtual QUrl url() const = 0;
    /// Clears per-connection state; called before every (re)connect.
    virtual void reset() = 0;

    /// Frames to send right after the WebSocket handshake (e.g. authentication), usually none.
    virtual std::vector<OutgoingFrame> onConnected() { return {}; }
    /// Frames that subscribe to these venue symbols (books, trades, tickers).
    virtual std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) = 0;
    /// Frames that unsubscribe from these venue symbols.
    virtual std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) = 0;
    /// True when the venue announces its instruments on the stream (then subscriptions wait for it).
    virtual bool announcesInstruments() const { return false; }
    /// For venues that do not announce them: the instrument table of this connection, known before
    /// connecting (from the venue's instrument catalogue). LocalInstrument ids index into it.
    virtual std::vector<Instrument> fixedInstruments() const { return {}; }

    /// How an out-of-sync book of this venue is recovered.
    virtual ResyncMethod resyncMethod() const = 0;
    /// For ResyncMethod::Resubscribe: frames that make the venue send a fresh snapshot.
    virtual std::vector<OutgoingFrame> resyncFrames(const QString &symbol) { return subscribeFrames({symbol}); }
    /// For ResyncMethod::RestSnapshot: the REST URL of a depth snapshot.
    virtual QUrl restSnapshotUrl(const QString &symbol) const
    {
        Q_UNUSED(symbol);
        return {};
    }

    /// For ResyncMethod::RestSnapshot: symbols whose book needs a REST snapshot now (the protocol
    /// saw the first buffered update, or a snapshot came too old and must be fetched again). Each
    /// need is returned once; the connection fetches restSnapshotUrl() and calls applyRestSnapshot().
    virtual QStringList takeSnapshotRequests() { return {}; }
    /// For ResyncMethod::RestSnapshot: applies a REST depth snapshot (the response body) following
    /// the venue's procedure (buffered updates replayed after it), emitting events to `sink`.
    virtual DecodeResult applyRestSnapshot(const QString &symbol, const QByteArray &body, EventSink &sink)
    {
        Q_UNUSED(symbol);
        Q_UNUSED(body);
        Q_UNUSED(sink);
        return DecodeResult::failure(QStringLiteral("this venue has no REST snapshots"));
    }
    /// The engine found this book out of sync (gap, checksum mismatch, crossed) and resyncs it:
    /// called before the method-specific action, so the protocol can start buffering again.
    virtual void beginResync(const QString &symbol) { Q_UNUSED(symbol); }
    /// Most control frames (subscribe/unsubscribe/ping) the venue accepts per second (0 = no limit);
    /// the connection paces its sends to it.
    virtual int maxControlFramesPerSecond() const { return 0; }
    /// The venue closes connections older than this; the connection replaces itself shortly before
    /// (0 = no limit).
    virtual std::chrono::seconds maxConnectionAge() const { return std::chrono::seconds {0}; }

    /// Liveness rules of this venue.
    virtual HeartbeatPolicy heartbeat() const { return {}; }
    /// Levels per side the venue keeps the book at (its subscribed depth): the book is cut to it
    /// after every snapshot and delta, as the venue expects. 0 = keep every level.
    virtual std::size_t maintainedDepth() const { return 0; }
    /// The venue's checksum of `book` (for venues that send one), computed the venue's way from
    /// the book the engine holds; nothing when the venue has no checksum.
    virtual std::optional<std::uint32_t> checksumOf(const OrderBook &book) const
    {
        Q_UNUSED(book);
        return std::nullopt;
    }

    /// Decodes one frame, calling `sink` for every normalized event in it.
    virtual DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) = 0;
};

} // namespace tickscope
