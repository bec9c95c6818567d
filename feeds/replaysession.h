#pragma once

#include "events.h"
#include "orderbook.h"
#include "venueprotocol.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace tickscope {

/// Replays recorded frames through a venue protocol and the book engine exactly as a live
/// connection applies them (the same decoder, the same sequence and checksum checks, the same
/// resync decisions), without sockets. Used by `tickscope-cap decode` and by tests.
///
/// A book found out of sync waits for the venue's next snapshot in the recording; for venues
/// that resync from REST snapshots the snapshot source (e.g. a file of recorded REST responses)
/// is asked whenever the protocol requests one.
class ReplaySession final : public EventSink
{
public:
    /// Per-instrument outcome.
    struct Book
    {
        Instrument instrument;
        OrderBook book;
        quint64 snapshots = 0; ///< snapshots applied
        quint64 updates = 0; ///< deltas applied
        quint64 stale = 0; ///< deltas older than the book (dropped, harmless)
        quint64 unsynced = 0; ///< deltas dropped while waiting for a snapshot
        quint64 gaps = 0;
        quint64 resyncs = 0;
        quint64 crossed = 0;
        quint64 checksumOk = 0;
        quint64 checksumBad = 0;
        quint64 trades = 0;
        quint64 tickers = 0;
        bool seen = false; ///< any event arrived for it
    };
    /// Answers a REST snapshot request for a symbol (the response body), or nothing.
    using SnapshotSource = std::function<std::optional<QByteArray>(const QString &symbol)>;

    explicit ReplaySession(VenueProtocol &protocol);

    void setSnapshotSource(SnapshotSource source) { m_snapshots = std::move(source); }

    /// Feeds one recorded frame. Returns the decoder's verdict (errors are also counted).
    DecodeResult feed(const QByteArray &frame, bool binary = false);

    const std::vector<Book> &books() const { return m_books; }
    quint64 frames() const { return m_frames; }
    quint64 decodeErrors() const { return m_decodeErrors; }
    quint64 snapshotRequests() const { return m_snapshotRequests; }
    /// Snapshot requests the source could not answer (those books stay unsynced).
    QStringList unansweredSnapshots() const { return m_unanswered; }
    /// The first few decode errors, "frame N: message", for the report.
    const QStringList &errorSamples() const { return m_errorSamples; }
    /// Venue errors and notices seen on the stream.
    const QStringList &venueMessages() const { return m_venueMessages; }

    // EventSink
    void onInstruments(const std::vector<Instrument> &instruments) override;
    void onSnapshot(const BookSnapshot &snapshot) override;
    void onDelta(const BookDelta &delta) override;
    void onTrade(const Trade &trade) override;
    void onTicker(const Ticker &ticker) override;
    void onStatus(const VenueStatus &status) override;

private:
    Book *bookOf(LocalInstrument local);
    void verifyChecksum(Book &book, std::uint32_t expected);
    void resync(Book &book);
    void serveSnapshotRequests();

    VenueProtocol &m_protocol;
    SnapshotSource m_snapshots;
    std::vector<Book> m_books;
    quint64 m_frames = 0;
    quint64 m_decodeErrors = 0;
    quint64 m_snapshotRequests = 0;
    QStringList m_unanswered;
    QStringList m_errorSamples;
    QStringList m_venueMessages;
};

} // namespace tickscope
