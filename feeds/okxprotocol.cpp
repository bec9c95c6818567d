#include "okxprotocol.h"

#include "instrumentcatalog.h"

#include "krakenchecksum.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <limits>

namespace tickscope {

namespace {

using json::decimalField;
using json::Field;
using json::integerField;
using json::qstring;
using json::readLevels;
using json::stringField;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// OKX accepts up to 64 KB of arguments per request; an argument is well under 100 bytes.
constexpr qsizetype kMaxArgsPerRequest = 200;
constexpr int kChecksumLevels = 25;

} // namespace

OkxProtocol::OkxProtocol(QUrl url, QStringList symbols, std::vector<Instrument> catalog)
    : m_url(std::move(url))
    , m_table(QStringLiteral("okx"), std::move(catalog), std::move(symbols))
{ }

void OkxProtocol::reset()
{
    m_table.reset();
    m_chains.clear();
}

std::vector<Instrument> OkxProtocol::fixedInstruments() const
{
    return m_table.learning() ? std::vector<Instrument> {} : m_table.instruments();
}

std::vector<OutgoingFrame> OkxProtocol::requests(const char *op, const QStringList &channels,
                                                 const QStringList &symbols)
{
    std::vector<OutgoingFrame> frames;
    QJsonArray args;
    const auto flush = [&] {
        if (args.isEmpty())
            return;
        const QJsonObject request {{QStringLiteral("op"), QLatin1String(op)}, {QStringLiteral("args"), args}};
        frames.push_back({QJsonDocument(request).toJson(QJsonDocument::Compact), false});
        args = QJsonArray();
    };
    for (const QString &symbol : symbols) {
        for (const QString &channel : channels) {
            args.append(QJsonObject {{QStringLiteral("channel"), channel}, {QStringLiteral("instId"), symbol}});
            if (args.size() == kMaxArgsPerRequest)
                flush();
        }
    }
    flush();
    return frames;
}

std::vector<OutgoingFrame> OkxProtocol::subscribeFrames(const QStringList &symbols)
{
    return requests("subscribe", {QStringLiteral("books"), QStringLiteral("tickers"), QStringLiteral("trades")},
                    symbols);
}

std::vector<OutgoingFrame> OkxProtocol::unsubscribeFrames(const QStringList &symbols)
{
    return requests("unsubscribe", {QStringLiteral("books"), QStringLiteral("tickers"), QStringLiteral("trades")},
                    symbols);
}

std::vector<OutgoingFrame> OkxProtocol::resyncFrames(const QString &symbol)
{
    // OKX sends a fresh snapshot for a new subscription: unsubscribe and subscribe that one book.
    std::vector<OutgoingFrame> frames = requests("unsubscribe", {QStringLiteral("books")}, {symbol});
    for (OutgoingFrame &frame : requests("subscribe", {QStringLiteral("books")}, {symbol}))
        frames.push_back(std::move(frame));
    return frames;
}

void OkxProtocol::beginResync(const QString &symbol)
{
    LocalInstrument local = 0;
    if (m_table.find(symbol.toStdString(), local))
        chainOf(local).anchored = false; // the next snapshot anchors the chain again
}

HeartbeatPolicy OkxProtocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // OKX closes a connection that carried nothing for 30 s; a text "ping" is answered with "pong".
    policy.appPing = QByteArrayLiteral("ping");
    policy.pingInterval = std::chrono::milliseconds(20000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(30000);
    return policy;
}

std::string OkxProtocol::checksumText(std::span<const Level> bids, std::span<const Level> asks, int priceScale,
                                      int qtyScale)
{
    std::string text;
    text.reserve(4 * kChecksumLevels * 16);
    const auto append = [&](const Level &level) {
        if (!text.empty())
            text += ':';
        text += formatDecimalTrimmed(level.price, priceScale);
        text += ':';
        text += formatDecimalTrimmed(level.qty, qtyScale);
    };
    for (std::size_t i = 0; i < static_cast<std::size_t>(kChecksumLevels); ++i) {
        if (i < bids.size())
            append(bids[i]);
        if (i < asks.size())
            append(asks[i]);
    }
    return text;
}

std::int32_t OkxProtocol::checksum(std::span<const Level> bids, std::span<const Level> asks, int priceScale,
                                   int qtyScale)
{
    // The same bits read as a signed integer (two's complement, as OKX prints it).
    return static_cast<std::int32_t>(kraken::crc32(checksumText(bids, asks, priceScale, qtyScale)));
}

std::optional<std::uint32_t> OkxProtocol::checksumOf(const OrderBook &book) const
{
    if (!m_checksumScales)
        return std::nullopt;
    book.top(BookSide::Bid, kChecksumLevels, m_topBids);
    book.top(BookSide::Ask, kChecksumLevels, m_topAsks);
    return kraken::crc32(checksumText(m_topBids, m_topAsks, m_checksumScales->first, m_checksumScales->second));
}

OkxProtocol::Chain &OkxProtocol::chainOf(LocalInstrument local)
{
    if (local >= m_chains.size())
        m_chains.resize(local + 1);
    return m_chains[local];
}

DecodeResult OkxProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (OKX sends text)"));
    if (frame == "pong") {
        sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
        return DecodeResult::ok();
    }
    auto document = m_parser.parse(frame);
    object root;
    if (document.get_object().get(root))
        return DecodeResult::failure(QStringLiteral("not a JSON object (%1 bytes)").arg(frame.size()));

    // Pushes are {"arg":{"channel","instId"},"action"?,"data":[…]}; everything else is an event.
    auto dataField = root["data"];
    if (dataField.error() == simdjson::NO_SUCH_FIELD) {
        root.reset();
        const Field<std::string_view> event = stringField(root, "event");
        if (!event.valid)
            return DecodeResult::failure(QStringLiteral("message without data or event"));
        if (event.value == "error" || event.value == "notice") {
            VenueStatus status;
            status.kind = event.value == "error" ? VenueStatus::Kind::Error : VenueStatus::Kind::Info;
            root.reset();
            if (const auto code = integerField<int>(root, "code"); code.valid)
                status.code = code.value;
            root.reset();
            status.message = qstring(stringField(root, "msg").value);
            sink.onStatus(status);
        }
        return DecodeResult::ignored(); // subscribe/unsubscribe acks, connection counts
    }
    array data;
    if (dataField.get_array().get(data))
        return DecodeResult::failure(QStringLiteral("data is not an array"));
    // The arg decides how data is read: look it up, then come back to data (lookups by name find
    // a field wherever it is in the object).
    root.reset();
    object arg;
    if (root["arg"].get_object().get(arg))
        return DecodeResult::failure(QStringLiteral("push without arg"));
    const Field<std::string_view> channel = stringField(arg, "channel");
    const Field<std::string_view> instId = stringField(arg, "instId");
    if (!channel.valid || !instId.valid)
        return DecodeResult::failure(QStringLiteral("push without channel or instId"));
    const bool books = channel.value == "books";
    if (!books && channel.value != "tickers" && channel.value != "trades") {
        static constexpr std::string_view kOtherChannels[]
            = {"books5",       "bbo-tbt",       "books-l2-tbt", "books50-l2-tbt", "mark-price",  "index-tickers",
               "funding-rate", "open-interest", "price-limit",  "status",         "instruments", "trades-all"};
        for (std::string_view other : kOtherChannels) {
            if (channel.value == other)
                return DecodeResult::ignored(); // a valid push we did not ask for
        }
        if (channel.value.starts_with("candle") || channel.value.starts_with("mark-price-candle"))
            return DecodeResult::ignored();
        return DecodeResult::failure(QStringLiteral("unknown channel '%1'").arg(qstring(channel.value)));
    }
    bool snapshot = false;
    if (books) {
        root.reset();
        const Field<std::string_view> action = stringField(root, "action");
        if (!action.valid || (action.value != "snapshot" && action.value != "update"))
            return DecodeResult::failure(QStringLiteral("books push without a valid action"));
        snapshot = action.value == "snapshot";
    }
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(instId.value, local, sink);
    if (!instrument)
        return DecodeResult::ignored(); // an instrument we do not follow
    // Copied: resolve() may grow the table while the events below are delivered.
    const Instrument current = *instrument;
    root.reset();
    if (root["data"].get_array().get(data))
        return DecodeResult::failure(QStringLiteral("data is not an array"));
    if (books)
        return decodeBooks(data, snapshot, local, current, sink);
    if (channel.value == "tickers")
        return decodeTickers(data, local, current, sink);
    return decodeTrades(data, local, current, sink);
}

DecodeResult OkxProtocol::decodeBooks(array data, bool snapshot, LocalInstrument local, const Instrument &instrument,
                                      EventSink &sink)
{
    for (auto element : data) {
        object book;
        if (element.get_object().get(book))
            return DecodeResult::failure(QStringLiteral("%1: malformed book entry").arg(instrument.symbol));
        snapshot ? m_snapshot.clear() : m_delta.clear();
        if (!readLevels(book, "asks", instrument, snapshot ? m_snapshot.asks : m_delta.asks))
            return DecodeResult::failure(QStringLiteral("%1: malformed asks").arg(instrument.symbol));
        book.reset();
        if (!readLevels(book, "bids", instrument, snapshot ? m_snapshot.bids : m_delta.bids))
            return DecodeResult::failure(QStringLiteral("%1: malformed bids").arg(instrument.symbol));
        book.reset();
        const auto ts = integerField<std::int64_t>(book, "ts");
        book.reset();
        const auto checksum = integerField<std::int64_t>(book, "checksum");
        book.reset();
        const auto seqId = integerField<std::int64_t>(book, "seqId");
        book.reset();
        const auto prevSeqId = integerField<std::int64_t>(book, "prevSeqId");
        if ((ts.present && !ts.valid) || (checksum.present && !checksum.valid) || (seqId.present && !seqId.valid)
            || (prevSeqId.present && !prevSeqId.valid))
            return DecodeResult::failure(QStringLiteral("%1: malformed ts, checksum or seqId").arg(instrument.symbol));
        if (checksum.valid
            && (checksum.value < std::numeric_limits<std::int32_t>::min()
                || checksum.value > std::numeric_limits<std::uint32_t>::max()))
            return DecodeResult::failure(QStringLiteral("%1: checksum out of range").arg(instrument.symbol));
        const std::int64_t timeUs = ts.valid ? ts.value * 1000 : 0;
        // 0 is what OKX sends since the checksum was deprecated: nothing to verify. The signed value
        // is kept as its 32-bit pattern, which is what checksumOf() computes.
        std::optional<std::uint32_t> expected;
        if (checksum.valid && checksum.value != 0)
            expected = static_cast<std::uint32_t>(checksum.value);

        Chain &chain = chainOf(local);
        if (snapshot) {
            m_snapshot.instrument = local;
            m_snapshot.exchangeTimeUs = timeUs;
            m_snapshot.checksum = expected;
            chain.anchored = seqId.valid;
            chain.lastSeqId = seqId.value;
            m_snapshot.sequence = seqId.valid ? ++chain.engineSequence : 0;
            m_checksumScales = std::pair {instrument.priceScale, instrument.qtyScale};
            sink.onSnapshot(m_snapshot);
            m_checksumScales.reset();
            continue;
        }
        m_delta.instrument = local;
        m_delta.exchangeTimeUs = timeUs;
        m_delta.checksum = expected;
        if (chain.anchored && seqId.valid && prevSeqId.valid) {
            if (prevSeqId.value == chain.lastSeqId) {
                if (seqId.value == prevSeqId.value) {
                    // Keep-alive after a quiet minute: nothing changed, the chain stays where it is.
                    sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
                    continue;
                }
                // In sequence; seqId < prevSeqId is the documented restart after maintenance.
                m_delta.prevSequence = chain.engineSequence;
                m_delta.sequence = ++chain.engineSequence;
                chain.lastSeqId = seqId.value;
            } else {
                // The chain broke (messages lost): one missing message as far as the engine is
                // concerned, so it reports a gap and resyncs; the next snapshot anchors again.
                m_delta.prevSequence = chain.engineSequence + 1;
                m_delta.sequence = chain.engineSequence + 2;
                chain.engineSequence += 2;
                chain.anchored = false;
            }
        }
        // Without seqIds (recordings from before them) updates are applied unchecked; the
        // checksum is what proves the book then.
        m_checksumScales = std::pair {instrument.priceScale, instrument.qtyScale};
        sink.onDelta(m_delta);
        m_checksumScales.reset();
    }
    return DecodeResult::ok();
}

DecodeResult OkxProtocol::decodeTickers(array data, LocalInstrument local, const Instrument &instrument,
                                        EventSink &sink)
{
    for (auto element : data) {
        object t;
        if (element.get_object().get(t))
            return DecodeResult::failure(QStringLiteral("%1: malformed ticker").arg(instrument.symbol));
        Ticker ticker;
        ticker.instrument = local;
        bool ok = true;
        const auto price = [&](std::string_view key) -> std::int64_t {
            t.reset();
            const Field<std::int64_t> p = decimalField(t, key, instrument.priceScale);
            ok = ok && (!p.present || p.valid);
            return p.valid ? p.value : kNoPrice;
        };
        ticker.last = price("last");
        ticker.open24h = price("open24h");
        ticker.high24h = price("high24h");
        ticker.low24h = price("low24h");
        t.reset();
        // vol24h: base currency for spot, contracts for derivatives — the unit of the book's sizes.
        const Field<std::int64_t> volume = decimalField(t, "vol24h", instrument.qtyScale);
        t.reset();
        const auto ts = integerField<std::int64_t>(t, "ts");
        if (!ok || (volume.present && !volume.valid) || (ts.present && !ts.valid))
            return DecodeResult::failure(QStringLiteral("%1: malformed ticker field").arg(instrument.symbol));
        ticker.volume24h = volume.valid ? volume.value : 0;
        ticker.exchangeTimeUs = ts.valid ? ts.value * 1000 : 0;
        sink.onTicker(ticker);
    }
    return DecodeResult::ok();
}

DecodeResult OkxProtocol::decodeTrades(array data, LocalInstrument local, const Instrument &instrument, EventSink &sink)
{
    for (auto element : data) {
        object print;
        if (element.get_object().get(print))
            return DecodeResult::failure(QStringLiteral("%1: malformed trade").arg(instrument.symbol));
        Trade trade;
        trade.instrument = local;
        const Field<std::int64_t> price = decimalField(print, "px", instrument.priceScale);
        print.reset();
        const Field<std::int64_t> qty = decimalField(print, "sz", instrument.qtyScale);
        print.reset();
        const Field<std::string_view> side = stringField(print, "side");
        print.reset();
        const auto tradeId = integerField<std::uint64_t>(print, "tradeId");
        print.reset();
        const auto ts = integerField<std::int64_t>(print, "ts");
        if (!price.valid || !qty.valid || !side.valid || (side.value != "buy" && side.value != "sell")
            || (ts.present && !ts.valid))
            return DecodeResult::failure(
                QStringLiteral("%1: trade without valid px, sz, side or ts").arg(instrument.symbol));
        trade.price = price.value;
        trade.qty = qty.value;
        trade.side = side.value == "sell" ? Side::Sell : Side::Buy;
        trade.tradeId = tradeId.valid ? tradeId.value : 0;
        trade.exchangeTimeUs = ts.valid ? ts.value * 1000 : 0;
        sink.onTrade(trade);
    }
    return DecodeResult::ok();
}

QUrl OkxProtocol::instrumentListUrl(QUrl restBase)
{
    QUrl url = std::move(restBase);
    url.setPath(QStringLiteral("/api/v5/public/instruments"));
    url.setQuery(QStringLiteral("instType=SPOT"));
    return url;
}

std::vector<Instrument> OkxProtocol::parseInstrumentList(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::vector<Instrument> {};
    };
    json::FrameParser parser;
    auto document = parser.parse(body);
    object root;
    if (document.get_object().get(root))
        return fail(QStringLiteral("OKX instruments: not a JSON object"));
    const Field<std::string_view> code = stringField(root, "code");
    if (code.valid && code.value != "0") {
        root.reset();
        return fail(QStringLiteral("OKX instruments: error %1: %2")
                        .arg(qstring(code.value), qstring(stringField(root, "msg").value)));
    }
    root.reset();
    array data;
    if (root["data"].get_array().get(data))
        return fail(QStringLiteral("OKX instruments: no data array"));
    std::vector<Instrument> out;
    int skipped = 0;
    for (auto element : data) {
        object entry;
        if (element.get_object().get(entry)) {
            ++skipped;
            continue;
        }
        const auto text = [&entry](std::string_view key) {
            entry.reset();
            return stringField(entry, key).value;
        };
        if (text("state") != "live")
            continue; // suspended, preopen, expired: nothing to follow
        Instrument instrument;
        instrument.venue = QStringLiteral("okx");
        instrument.symbol = qstring(text("instId"));
        const std::string_view type = text("instType");
        if (type == "SPOT" || type == "MARGIN") {
            instrument.kind = InstrumentKind::Spot;
            instrument.base = qstring(text("baseCcy"));
            instrument.quote = qstring(text("quoteCcy"));
        } else if (type == "SWAP" || type == "FUTURES") {
            instrument.kind = type == "SWAP" ? InstrumentKind::Perpetual : InstrumentKind::Future;
            // Derivatives name their underlying ("BTC-USD"); the contract value currency is the base
            // when the underlying is missing.
            std::string_view underlying = text("uly");
            if (underlying.empty())
                underlying = text("instFamily");
            if (const auto dash = underlying.find('-'); dash != std::string_view::npos) {
                instrument.base = qstring(underlying.substr(0, dash));
                instrument.quote = qstring(underlying.substr(dash + 1));
            } else {
                instrument.base = qstring(text("ctValCcy"));
                instrument.quote = qstring(text("settleCcy"));
            }
        } else {
            continue; // options: no instrument kind for them here
        }
        if (instrument.symbol.isEmpty() || !incrementToScale(text("tickSz"), instrument.priceScale, instrument.tickSize)
            || !incrementToScale(text("lotSz"), instrument.qtyScale, instrument.lotSize)) {
            ++skipped;
            continue;
        }
        instrument.displayName = instrument.base.isEmpty() ? instrument.symbol
                                                           : instrument.base + QStringLiteral(" / ") + instrument.quote;
        out.push_back(std::move(instrument));
    }
    if (error && skipped > 0)
        *error = QStringLiteral("OKX instruments: %1 malformed entries skipped").arg(skipped);
    if (out.empty() && skipped > 0)
        return fail(QStringLiteral("OKX instruments: no usable entry (%1 malformed)").arg(skipped));
    return out;
}

} // namespace tickscope
