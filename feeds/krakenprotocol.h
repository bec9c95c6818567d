#pragma once

#include "jsonfields.h"
#include "venueprotocol.h"

#include <string>
#include <unordered_map>

namespace tickscope {

/// Kraken Spot WebSocket v2 (wss://ws.kraken.com/v2): the `instrument` channel announces the
/// pairs (with their price and quantity precisions), then `book` (snapshot + updates kept at the
/// subscribed depth, a CRC-32 checksum on every message verified against the engine's book),
/// `ticker` and `trade`; `heartbeat` once a second. Prices and quantities arrive as JSON numbers
/// and are read exactly from their tokens at the pair's precision.
class KrakenV2Protocol final : public VenueProtocol
{
public:
    /// `symbols`: the pairs to follow ("BTC/USD", …); empty = every pair announced (the whole
    /// venue: only for replays). `depth`: book depth to subscribe to (10, 25, 100, 500, 1000).
    /// `catalog`: known pairs; for replays only (live, the instrument channel announces them),
    /// so that a recording without the instrument snapshot still decodes at the right precisions.
    explicit KrakenV2Protocol(QUrl url = QUrl(QStringLiteral("wss://ws.kraken.com/v2")), QStringList symbols = {},
                              int depth = 10, std::vector<Instrument> catalog = {});

    QString venue() const override { return QStringLiteral("kraken"); }
    QUrl url() const override { return m_url; }
    void reset() override;
    std::vector<OutgoingFrame> onConnected() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    bool announcesInstruments() const override { return true; }
    /// In replay mode (no symbols) with a catalogue: the catalogue; otherwise nothing.
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    std::vector<OutgoingFrame> resyncFrames(const QString &symbol) override;
    HeartbeatPolicy heartbeat() const override;
    std::size_t maintainedDepth() const override { return static_cast<std::size_t>(m_depth); }
    std::optional<std::uint32_t> checksumOf(const OrderBook &book) const override;
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

private:
    DecodeResult decodeInstruments(simdjson::ondemand::object data, EventSink &sink);
    DecodeResult decodeBook(simdjson::ondemand::array data, bool snapshot, EventSink &sink);
    DecodeResult decodeTrades(simdjson::ondemand::array data, EventSink &sink);
    DecodeResult decodeTickers(simdjson::ondemand::array data, EventSink &sink);
    const Instrument *find(std::string_view symbol, LocalInstrument &local) const;
    static QByteArray request(const char *method, const char *channel, const QStringList &symbols, int depth = 0);

    QUrl m_url;
    QStringList m_wanted;
    int m_depth;
    std::vector<Instrument> m_catalog;
    json::FrameParser m_parser;
    std::vector<Instrument> m_instruments;
    std::unordered_map<std::string, LocalInstrument> m_index;
    BookSnapshot m_snapshot; // reused
    BookDelta m_delta;
    mutable std::vector<Level> m_top; // reused by checksumOf
};

} // namespace tickscope
