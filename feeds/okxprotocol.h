#pragma once

#include "jsonfields.h"
#include "symboltable.h"
#include "venueprotocol.h"

#include <span>
#include <string>
#include <vector>

namespace tickscope {

/// OKX v5 public WebSocket (wss://ws.okx.com:8443/ws/v5/public): `books` (400 levels, a snapshot
/// then updates chained by seqId/prevSeqId, the legacy CRC-32 checksum verified when it is not
/// 0), `tickers` and `trades`. Prices and sizes arrive as strings and are read exactly at the
/// instrument's scales; the instrument table comes from the catalogue (OKX does not announce it).
///
/// Book sequencing: OKX numbers book messages per instrument; an update names the message it
/// follows (prevSeqId). An update with prevSeqId == seqId is a keep-alive (nothing changed), and
/// after maintenance the numbering may restart (seqId < prevSeqId) and simply continues from there.
/// Because the raw ids are neither monotonic nor non-zero, the protocol follows the chain itself
/// and hands the engine its own per-book counter: the snapshot is N, an update that follows the
/// chain is (prev N, seq N+1), and an update that does not follow it is presented as "one message
/// missing" (prev N+1, seq N+2), which the engine reports as a gap.
class OkxProtocol final : public VenueProtocol
{
public:
    /// `symbols`: instIds to follow ("BTC-USDT", "BTC-USDT-SWAP", …); empty = every instrument seen
    /// (replays only). `catalog`: the venue's instrument list, for the price and size scales.
    explicit OkxProtocol(QUrl url = QUrl(QStringLiteral("wss://ws.okx.com:8443/ws/v5/public")),
                         QStringList symbols = {}, std::vector<Instrument> catalog = {});

    QString venue() const override { return QStringLiteral("okx"); }
    QUrl url() const override { return m_url; }
    void reset() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::Resubscribe; }
    std::vector<OutgoingFrame> resyncFrames(const QString &symbol) override;
    void beginResync(const QString &symbol) override;
    HeartbeatPolicy heartbeat() const override;
    std::size_t maintainedDepth() const override { return kBookDepth; }
    std::optional<std::uint32_t> checksumOf(const OrderBook &book) const override;
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// Levels per side of the `books` channel.
    static constexpr std::size_t kBookDepth = 400;

    /// The text of OKX's legacy book checksum: the best 25 bids and asks (best first) interleaved
    /// as "bidPx:bidSz:askPx:askSz:…", a side with fewer levels simply ending early. Prices and
    /// sizes are written as OKX sends them: exact, without trailing fractional zeros.
    static std::string checksumText(std::span<const Level> bids, std::span<const Level> asks, int priceScale,
                                    int qtyScale);
    /// CRC-32 of checksumText() as the signed 32-bit integer OKX sends.
    static std::int32_t checksum(std::span<const Level> bids, std::span<const Level> asks, int priceScale,
                                 int qtyScale);

    /// The REST URL of the spot instrument list (GET /api/v5/public/instruments?instType=SPOT).
    static QUrl instrumentListUrl(QUrl restBase = QUrl(QStringLiteral("https://www.okx.com")));
    /// Parses an /api/v5/public/instruments response: live instruments with their scales (from
    /// tickSz and lotSz) and kind. Nothing, and `error`, when the body is unusable; entries that
    /// lack a required field are skipped and counted in `error` while the others are returned.
    static std::vector<Instrument> parseInstrumentList(const QByteArray &body, QString *error = nullptr);

private:
    /// Where one book stands in the venue's seqId chain.
    struct Chain
    {
        bool anchored = false; ///< a snapshot with a seqId was seen; updates must follow it
        std::int64_t lastSeqId = 0; ///< venue id of the last message applied
        std::uint64_t engineSequence = 0; ///< the counter handed to the engine (only grows)
    };

    DecodeResult decodeBooks(simdjson::ondemand::array data, bool snapshot, LocalInstrument local,
                             const Instrument &instrument, EventSink &sink);
    DecodeResult decodeTickers(simdjson::ondemand::array data, LocalInstrument local, const Instrument &instrument,
                               EventSink &sink);
    DecodeResult decodeTrades(simdjson::ondemand::array data, LocalInstrument local, const Instrument &instrument,
                              EventSink &sink);
    Chain &chainOf(LocalInstrument local);
    static std::vector<OutgoingFrame> requests(const char *op, const QStringList &channels, const QStringList &symbols);

    QUrl m_url;
    SymbolTable m_table;
    json::FrameParser m_parser;
    std::vector<Chain> m_chains; // by LocalInstrument
    BookSnapshot m_snapshot; // reused
    BookDelta m_delta;
    // The book being verified: checksumOf() is called from within the sink while a book event of
    // this instrument is delivered, and the checksum needs its scales to write the levels.
    std::optional<std::pair<int, int>> m_checksumScales;
    mutable std::vector<Level> m_topBids; // reused by checksumOf
    mutable std::vector<Level> m_topAsks;
};

} // namespace tickscope
