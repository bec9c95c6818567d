#pragma once

#include "jsonfields.h"
#include "venueprotocol.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace tickscope {

/// Kraken Spot WebSocket v1 (wss://ws.kraken.com): channel messages are JSON arrays
/// [channelID, payload…, channelName, pair], events are objects (systemStatus, subscriptionStatus,
/// heartbeat, pong, error).
///
/// - `book-N`: a snapshot ("as"/"bs") then updates ("a"/"b", possibly split over two payload
///   objects, republished levels flagged "r"); every update carries a CRC-32 checksum "c" of the
///   top 10 levels a side, verified against the engine's book; the book is kept at the subscribed
///   depth. A mismatch resyncs that pair alone (unsubscribe + subscribe its book).
/// - `trade` (price, volume, time, side, …) and `ticker` (c last, o/h/l/v over 24 h).
///
/// Precisions. v1 writes every decimal at a fixed number of digits per pair ("56218.30000"), and
/// its checksum is taken over those digits, which need not be the pair's `pair_decimals` in the
/// catalogue (XBT/CHF prices come with 5 decimals). Books are decoded at the instrument's scales
/// (catalogue, or learned from the first text seen in replay mode); the digits the venue writes
/// are learned from each book's text and checksumOf() rescales to them.
class KrakenV1Protocol final : public VenueProtocol
{
public:
    /// `symbols`: v1 pair names to follow ("XBT/USD", the catalogue's wsname); empty = replay:
    /// every pair seen is learned, its precisions taken from the catalogue or else from the decimal
    /// text of its first message. `depth`: book depth to subscribe to (10, 25, 100, 500, 1000); a
    /// replay takes it from the channel name of the recorded book messages ("book-1000").
    explicit KrakenV1Protocol(QUrl url = QUrl(QStringLiteral("wss://ws.kraken.com")), QStringList symbols = {},
                              std::vector<Instrument> catalog = {}, int depth = 10);

    QString venue() const override { return QStringLiteral("kraken-v1"); }
    QUrl url() const override { return m_url; }
    void reset() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    std::vector<OutgoingFrame> resyncFrames(const QString &symbol) override;
    HeartbeatPolicy heartbeat() const override;
    std::size_t maintainedDepth() const override { return static_cast<std::size_t>(m_depth); }
    /// Kraken's checksum of `book`. It must be the book of the snapshot or update being delivered
    /// (the engine verifies right when the event arrives), whose pair gives the digits to use.
    std::optional<std::uint32_t> checksumOf(const OrderBook &book) const override;
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// The REST AssetPairs endpoint under `restBase`.
    static QUrl instrumentListUrl(QUrl restBase = QUrl(QStringLiteral("https://api.kraken.com")));
    /// Instruments from an AssetPairs response ({"error":[],"result":{…}}): wsname as the symbol,
    /// pair_decimals → priceScale, lot_decimals → qtyScale, tick_size → tickSize. Pairs without a
    /// wsname are skipped. On an error response or a malformed body: empty and `*error` set.
    static std::vector<Instrument> parseInstrumentList(const QByteArray &body, QString *error);
    /// The v2 spelling of a v1 pair name: XBT → BTC, XDG → DOGE ("XBT/USD" → "BTC/USD").
    static QString v2SymbolFromWsName(const QString &wsname);

private:
    /// Digits after the point the venue writes for a pair (-1 = not seen yet).
    struct WireDigits
    {
        int price = -1;
        int qty = -1;
    };
    struct RawLevel
    {
        std::string_view price;
        std::string_view qty;
    };

    DecodeResult decodeEvent(simdjson::ondemand::object event, EventSink &sink);
    DecodeResult decodeBook(simdjson::ondemand::array message, std::size_t count, EventSink &sink);
    DecodeResult decodeTrades(simdjson::ondemand::array message, EventSink &sink);
    DecodeResult decodeTicker(simdjson::ondemand::array message, EventSink &sink);
    /// The pair's instrument (learned in replay mode from the given decimal texts), or nullptr.
    const Instrument *resolve(const std::string &pair, std::string_view priceText, std::string_view qtyText,
                              LocalInstrument &local, EventSink &sink);
    Instrument describe(const QString &symbol, std::string_view priceText, std::string_view qtyText) const;
    static QByteArray request(const char *event, const char *name, const QStringList &symbols, int depth = 0);

    QUrl m_url;
    QStringList m_wanted;
    int m_depth;
    std::vector<Instrument> m_catalog;
    std::unordered_map<std::string, std::size_t> m_catalogIndex;
    std::vector<Instrument> m_table;
    std::vector<WireDigits> m_digits; // per table entry
    std::unordered_map<std::string, LocalInstrument> m_index;
    json::FrameParser m_parser;
    std::string m_channelName; // of the message being decoded
    std::string m_pair;
    std::vector<RawLevel> m_rawAsks; // reused
    std::vector<RawLevel> m_rawBids;
    BookSnapshot m_snapshot;
    BookDelta m_delta;
    LocalInstrument m_checksumPair = 0; // the pair whose book event is being delivered
    mutable std::vector<Level> m_top; // reused by checksumOf
};

} // namespace tickscope
