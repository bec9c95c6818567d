#pragma once

#include "jsonfields.h"
#include "symboltable.h"
#include "venueprotocol.h"

#include <QSet>

#include <algorithm>
#include <deque>
#include <vector>

namespace tickscope {

/// Binance Spot public market data over combined streams (wss://stream.binance.com:9443/stream).
///
/// The connection goes to `/stream` without a stream list, then subscribes with batched
/// SUBSCRIBE frames: the same path serves the first subscription and every later change, the URL
/// stays short whatever the number of symbols, and connecting to `/stream` keeps the combined
/// payload (`{"stream":…,"data":…}`) that names the stream. Per symbol: `<s>@depth@100ms` (diffs),
/// `<s>@bookTicker`, `<s>@aggTrade` and `<s>@ticker` (24 h statistics); `trade` events are decoded too.
///
/// Books follow the documented local order book procedure: diffs are buffered until a REST depth
/// snapshot arrives (requested through takeSnapshotRequests() once the first diff is buffered); the
/// snapshot is refused and fetched again when it is older than the first buffered diff; buffered
/// diffs with `u <= lastUpdateId` are dropped and the first one applied must have
/// `U <= lastUpdateId + 1 <= u` (real data has `U == lastUpdateId + 1`, which the current doc
/// sentence "lastUpdateId within [U;u]" would refuse). While synced, a diff with `U > L + 1` is a gap:
/// it reaches the engine with `prevSequence = U - 1` (so the engine sees the gap) and buffering starts
/// over. Prices and quantities arrive as strings with 8 decimals and are read exactly at the
/// instrument's scales (the trailing zeros are accepted).
class BinanceProtocol final : public VenueProtocol
{
public:
    static constexpr int kStreamsPerSymbol = 4;
    /// Binance's limit of streams on one connection.
    static constexpr int kMaxStreamsPerConnection = 1024;
    /// Streams named in one SUBSCRIBE/UNSUBSCRIBE frame.
    static constexpr int kStreamsPerFrame = 200;
    /// Diffs buffered per book while its snapshot is awaited (100 s of depth@100ms).
    static constexpr std::size_t kDefaultBufferLimit = 1000;

    /// `wsBase`: the stream endpoint; `restBase`: the REST endpoint (depth snapshots);
    /// `symbols`: Binance symbols ("BTCUSDT") to follow, empty = learn every symbol seen (replays);
    /// `catalog`: the venue's instrument list (precisions), e.g. from parseInstrumentList().
    explicit BinanceProtocol(QUrl wsBase = QUrl(QStringLiteral("wss://stream.binance.com:9443")),
                             QUrl restBase = QUrl(QStringLiteral("https://api.binance.com")), QStringList symbols = {},
                             std::vector<Instrument> catalog = {});

    /// Where the instrument list of Binance Spot is fetched from (GET /api/v3/exchangeInfo).
    static QUrl instrumentListUrl(const QUrl &restBase);
    /// The instruments of an exchangeInfo response: symbols in status TRADING, price scale and tick
    /// size from PRICE_FILTER.tickSize, quantity scale and lot size from LOT_SIZE.stepSize (scale =
    /// decimals of the step without trailing zeros). Empty with `error` set when the body is not an
    /// exchangeInfo document.
    static std::vector<Instrument> parseInstrumentList(const QByteArray &body, QString *error);

    QString venue() const override { return QStringLiteral("binance"); }
    QUrl url() const override;
    void reset() override;
    std::vector<OutgoingFrame> subscribeFrames(const QStringList &symbols) override;
    std::vector<OutgoingFrame> unsubscribeFrames(const QStringList &symbols) override;
    std::vector<Instrument> fixedInstruments() const override;
    ResyncMethod resyncMethod() const override { return ResyncMethod::RestSnapshot; }
    QUrl restSnapshotUrl(const QString &symbol) const override;
    QStringList takeSnapshotRequests() override;
    DecodeResult applyRestSnapshot(const QString &symbol, const QByteArray &body, EventSink &sink) override;
    void beginResync(const QString &symbol) override;
    int maxControlFramesPerSecond() const override;
    std::chrono::seconds maxConnectionAge() const override { return std::chrono::hours(24); }
    HeartbeatPolicy heartbeat() const override;
    DecodeResult decode(const QByteArray &frame, bool binary, EventSink &sink) override;

    /// Diffs buffered per book while its snapshot is awaited; beyond it the oldest are dropped.
    void setBufferLimit(std::size_t limit) { m_bufferLimit = std::max<std::size_t>(limit, 1); }
    /// Buffered diffs dropped because a snapshot took too long (since construction).
    std::uint64_t droppedBufferedDiffs() const { return m_droppedDiffs; }
    /// Streams subscribed on this connection.
    int subscribedStreams() const { return static_cast<int>(m_subscribed.size()) * kStreamsPerSymbol; }
    /// The local update id of a synced book, or nothing while it waits for a snapshot.
    std::optional<std::uint64_t> localUpdateId(const QString &symbol) const;
    /// Diffs buffered for a book that waits for its snapshot.
    std::size_t bufferedDiffs(const QString &symbol) const;

private:
    /// One depth diff: updates U..u.
    struct Diff
    {
        std::uint64_t first = 0; // U
        std::uint64_t last = 0; // u
        std::int64_t exchangeTimeUs = 0;
        std::vector<Level> bids;
        std::vector<Level> asks;
    };
    /// The sync state of one book.
    struct BookSync
    {
        bool synced = false;
        std::uint64_t localId = 0; // L: update id of the book (synced only)
        std::deque<Diff> buffer; // while not synced
        bool awaitingSnapshot = false; // a snapshot was requested for the current buffer
        bool overflowed = false; // the buffer dropped diffs since that request
    };

    DecodeResult decodePayload(simdjson::ondemand::object payload, std::string_view stream, EventSink &sink);
    DecodeResult decodeDepth(simdjson::ondemand::object payload, std::string_view stream, EventSink &sink);
    DecodeResult decodeTrade(simdjson::ondemand::object payload, bool aggregate, EventSink &sink);
    DecodeResult decodeTicker(simdjson::ondemand::object payload, EventSink &sink);
    DecodeResult decodeBookTicker(simdjson::ondemand::object payload, std::string_view stream, EventSink &sink);
    DecodeResult decodeControl(simdjson::ondemand::object root, EventSink &sink);
    /// Applies one diff to a synced book (or finds the gap and starts buffering again).
    void applySynced(LocalInstrument local, Diff &diff, EventSink &sink);
    void buffer(LocalInstrument local, Diff &&diff);
    void requestSnapshot(LocalInstrument local);
    BookSync &syncOf(LocalInstrument local);
    std::vector<OutgoingFrame> requests(const char *method, const QStringList &streams);

    QUrl m_wsBase;
    QUrl m_restBase;
    SymbolTable m_table;
    json::FrameParser m_parser;
    std::vector<BookSync> m_sync; // by LocalInstrument
    QStringList m_snapshotRequests;
    QSet<QString> m_subscribed;
    std::size_t m_bufferLimit = kDefaultBufferLimit;
    std::uint64_t m_droppedDiffs = 0;
    std::uint64_t m_nextRequestId = 1;
    Diff m_diff; // reused
    BookDelta m_delta; // reused
    BookSnapshot m_snapshot; // reused
};

} // namespace tickscope
