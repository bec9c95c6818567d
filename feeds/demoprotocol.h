#pragma once

#include "venueprotocol.h"

#include <QHash>

#include <memory>

namespace tickscope {

namespace demo {
class InstrumentList;
}

/// The Tickscope demo feed (tickscope-sim and the embedded demo server): binary protobuf frames,
/// one `demo::Envelope` each (see feeds/proto/demo.proto). The server announces its instruments
/// first; subscribing to an instrument again makes the server send a fresh snapshot, which is how a
/// single book is resynced without dropping the connection.
///
/// The hot messages (deltas, trades, tickers, snapshots) are read straight from the protobuf wire
/// format into reused event objects, with no allocation per frame once their capacity has grown;
/// the rare instrument list goes through the generated message class.
class DemoProtocol final : public VenueProtocol
{
public:
    explicit DemoProtocol(QUrl url);
    ~DemoProtocol() override;

    QString venue() const override;
    QUrl url() const override { return m_url; }
    void reset() override;

    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    bool announcesInstruments() const override { return true; }
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    HeartbeatPolicy heartbeat() const override;

    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// The instrument table announced on this connection (empty before the first InstrumentList).
    const std::vector<Instrument> &instruments() const { return m_instruments; }

private:
    DecodeResult decodeInstruments(const char *data, std::size_t size, EventSink &sink);
    std::vector<OutgoingFrame> subscriptionFrames(const QStringList &symbols, bool subscribe);

    QUrl m_url;
    std::unique_ptr<demo::InstrumentList> m_instrumentList; // reused
    std::vector<Instrument> m_instruments;
    QHash<QString, LocalInstrument> m_bySymbol;
    std::uint64_t m_lastSeq = 0;
    // Reused event objects: decoding a frame does not allocate once their capacity has grown.
    BookSnapshot m_snapshot;
    BookDelta m_delta;
};

} // namespace tickscope
