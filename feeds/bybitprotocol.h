#pragma once

#include "jsonfields.h"
#include "symboltable.h"
#include "venueprotocol.h"

#include <vector>

namespace tickscope {

/// Bybit v5 public WebSocket (wss://stream.bybit.com/v5/public/spot): `orderbook.50.<symbol>`
/// (snapshot, then deltas numbered by the update id `u`), `tickers.<symbol>` and
/// `publicTrade.<symbol>`. Prices and sizes arrive as strings and are read exactly at the
/// instrument's scales; the instrument table comes from the catalogue (Bybit does not announce it).
///
/// Book sequencing, as the engine sees it: a snapshot sets the book's sequence to its `u`; a delta
/// is sequence `u` with no explicit previous sequence, so it applies only when `u` is the book's
/// plus one (a `u` at or below the book's is an old message and dropped, a larger jump is a gap
/// and resyncs the book). A delta with `u == 1` is the venue saying its service restarted: it
/// carries the whole book and is delivered as a snapshot. The cross sequence `seq` orders messages
/// across depths and is not needed for a single depth.
class BybitProtocol final : public VenueProtocol
{
public:
    /// `symbols`: the symbols to follow ("BTCUSDT", …); empty = every symbol seen (replays only).
    /// `catalog`: the venue's instrument list, for the price and size scales.
    explicit BybitProtocol(QUrl url = QUrl(QStringLiteral("wss://stream.bybit.com/v5/public/spot")),
                           QStringList symbols = {}, std::vector<Instrument> catalog = {});

    QString venue() const override { return QStringLiteral("bybit"); }
    QUrl url() const override { return m_url; }
    void reset() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    std::vector<OutgoingFrame> resyncFrames(const QString &symbol) override;
    HeartbeatPolicy heartbeat() const override;
    std::size_t maintainedDepth() const override { return kBookDepth; }
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// Levels per side of the subscribed book (`orderbook.50`).
    static constexpr std::size_t kBookDepth = 50;
    /// Topics per subscribe request the spot stream accepts.
    static constexpr qsizetype kMaxArgsPerRequest = 10;

    /// The REST URL of the spot instrument list (GET /v5/market/instruments-info?category=spot).
    static QUrl instrumentListUrl(QUrl restBase = QUrl(QStringLiteral("https://api.bybit.com")));
    /// Parses a /v5/market/instruments-info response: instruments in status Trading with their
    /// scales (from priceFilter.tickSize and lotSizeFilter.basePrecision, or qtyStep for
    /// derivatives) and kind. Nothing, and `error`, when the body is unusable; entries that lack a
    /// required field are skipped and counted in `error` while the others are returned.
    static std::vector<Instrument> parseInstrumentList(const QByteArray &body, QString *error = nullptr);

private:
    DecodeResult decodeBook(simdjson::ondemand::object data, bool snapshot, std::int64_t timeUs, LocalInstrument local,
                            const Instrument &instrument, EventSink &sink);
    DecodeResult decodeTicker(simdjson::ondemand::object data, std::int64_t timeUs, LocalInstrument local,
                              const Instrument &instrument, EventSink &sink);
    DecodeResult decodeTrades(simdjson::ondemand::array data, LocalInstrument local, const Instrument &instrument,
                              EventSink &sink);
    std::vector<OutgoingFrame> requests(const char *op, const QStringList &topics);
    static QStringList topicsOf(const QStringList &symbols);

    QUrl m_url;
    SymbolTable m_table;
    json::FrameParser m_parser;
    std::uint64_t m_nextRequestId = 1;
    BookSnapshot m_snapshot; // reused
    BookDelta m_delta;
};

} // namespace tickscope
