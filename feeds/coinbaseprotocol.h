#pragma once

#include "jsonfields.h"
#include "symboltable.h"
#include "venueprotocol.h"

#include <vector>

namespace tickscope {

/// Coinbase market data.
///
/// Live: the Advanced Trade WebSocket (wss://advanced-trade-ws.coinbase.com). One subscribe per
/// channel right after connecting (the venue closes a connection that has not subscribed within
/// 5 s): `level2` (answered on channel `l2_data`: a snapshot event, then updates of
/// side/price_level/new_quantity), `ticker`, `market_trades`, and `heartbeats`, which keeps quiet
/// feeds talking. Every message carries the connection's `sequence_num`; a skipped number means
/// frames were lost and nobody can say which books they touched, so every book of the connection
/// is resynced (unsubscribe + subscribe `level2` per product) and the gap is counted.
///
/// Replay: the legacy Coinbase Exchange feed (ws-feed.exchange.coinbase.com: `snapshot` with
/// bids/asks [[price,size]], `l2update` with changes [[side,price,size]], `ticker`,
/// `match`/`last_match`, `subscriptions`, `heartbeat`, `error`) is decoded as well, so recordings
/// of it can be inspected. The format is told by the message's shape: Advanced Trade messages have
/// a top-level `channel`, Exchange ones a top-level `type`. Subscriptions are always sent in the
/// Advanced Trade form.
///
/// Books carry no venue checksum; each book gets a protocol-made sequence (1 at its snapshot, +1
/// per update) so that the engine's sequence check is what turns a connection gap into a resync of
/// that book (see decode()).
class CoinbaseProtocol final : public VenueProtocol
{
public:
    /// `symbols`: products to follow ("BTC-USD", …); empty = replay (every product seen is learned).
    /// `catalog`: the venue's products (parseInstrumentList()) for precisions; unknown products
    /// get 8 price and 8 quantity decimals.
    explicit CoinbaseProtocol(QUrl url = QUrl(QStringLiteral("wss://advanced-trade-ws.coinbase.com")),
                              QStringList symbols = {}, std::vector<Instrument> catalog = {});

    QString venue() const override { return QStringLiteral("coinbase"); }
    QUrl url() const override { return m_url; }
    void reset() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    std::vector<OutgoingFrame> resyncFrames(const QString &symbol) override;
    void beginResync(const QString &symbol) override;
    HeartbeatPolicy heartbeat() const override;
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// Connection-level `sequence_num` gaps seen by this protocol instance (all connections).
    std::uint64_t sequenceGaps() const { return m_sequenceGaps; }

    /// The public products list of the Advanced Trade REST API under `restBase`.
    static QUrl instrumentListUrl(QUrl restBase = QUrl(QStringLiteral("https://api.coinbase.com")));
    /// Instruments from a products list response ({"products":[…]}): product_id, base/quote,
    /// price_increment (or quote_increment) → priceScale/tickSize, base_increment →
    /// qtyScale/lotSize. Disabled products are skipped. On a malformed body: empty and `*error` set.
    static std::vector<Instrument> parseInstrumentList(const QByteArray &body, QString *error);

private:
    DecodeResult decodeAdvancedTrade(simdjson::ondemand::object root, std::string_view channel, EventSink &sink);
    DecodeResult decodeLevel2(simdjson::ondemand::object event, std::int64_t timeUs, EventSink &sink);
    DecodeResult decodeTickers(simdjson::ondemand::object event, std::int64_t timeUs, EventSink &sink);
    DecodeResult decodeMarketTrades(simdjson::ondemand::object event, EventSink &sink);
    DecodeResult decodeExchange(simdjson::ondemand::object root, std::string_view type, EventSink &sink);
    void checkSequence(std::uint64_t sequence, EventSink &sink);
    void emitSnapshot(LocalInstrument local, EventSink &sink);
    void emitDelta(LocalInstrument local, EventSink &sink);
    std::uint64_t &bookSequence(LocalInstrument local);
    static QByteArray request(const char *type, const char *channel, const QStringList &symbols);

    QUrl m_url;
    SymbolTable m_table;
    json::FrameParser m_parser;
    bool m_heartbeatsSubscribed = false;
    bool m_haveSequence = false;
    std::uint64_t m_lastSequence = 0;
    std::uint64_t m_sequenceGaps = 0;
    /// Per book: the protocol-made sequence of its last event on this connection (0 = no snapshot yet).
    std::vector<std::uint64_t> m_bookSequence;
    BookSnapshot m_snapshot; // reused
    BookDelta m_delta;
};

} // namespace tickscope
