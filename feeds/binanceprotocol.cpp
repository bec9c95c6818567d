#include "binanceprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrlQuery>

#include <algorithm>
#include <climits>
#include <utility>

namespace tickscope {

namespace {

Q_LOGGING_CATEGORY(lcBinance, "tickscope.feeds.binance", QtInfoMsg)

using simdjson::ondemand::array;
using simdjson::ondemand::json_type;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

QString qstring(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// The symbol a combined stream name is about: "nknusdt@depth@100ms" → "NKNUSDT".
std::string streamSymbol(std::string_view stream)
{
    std::string out(stream.substr(0, stream.find('@')));
    for (char &c : out) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// A decimal field at `scale`; the error names the field.
bool readDecimal(object &o, std::string_view key, int scale, std::int64_t &out, QString &error)
{
    value v;
    if (o[key].get(v)) {
        error = QStringLiteral("missing \"%1\"").arg(qstring(key));
        return false;
    }
    const DecimalParse parsed = json::decimalAt(v, scale);
    if (!parsed) {
        error = QStringLiteral("\"%1\": %2").arg(qstring(key), decimalErrorText(parsed.error));
        return false;
    }
    out = parsed.mantissa;
    return true;
}

/// Levels [["price","qty"],…] at the instrument's scales.
bool readLevels(value levels, const Instrument &instrument, std::vector<Level> &out, QString &error)
{
    array list;
    if (levels.get_array().get(list)) {
        error = QStringLiteral("levels are not an array");
        return false;
    }
    for (auto element : list) {
        array pair;
        if (element.get_array().get(pair)) {
            error = QStringLiteral("a level is not an array");
            return false;
        }
        Level level;
        int index = 0;
        for (auto field : pair) {
            value v;
            if (field.get(v)) {
                error = QStringLiteral("malformed level");
                return false;
            }
            if (index < 2) {
                const DecimalParse parsed
                    = json::decimalAt(v, index == 0 ? instrument.priceScale : instrument.qtyScale);
                if (!parsed) {
                    error = QStringLiteral("level %1: %2")
                                .arg(index == 0 ? QStringLiteral("price") : QStringLiteral("quantity"),
                                     decimalErrorText(parsed.error));
                    return false;
                }
                (index == 0 ? level.price : level.qty) = parsed.mantissa;
            }
            ++index;
        }
        if (index < 2) {
            error = QStringLiteral("a level without price and quantity");
            return false;
        }
        out.push_back(level);
    }
    return true;
}

/// Milliseconds field → microseconds (0 when absent or not a plain integer).
std::int64_t millisAsMicros(object &o, std::string_view key)
{
    std::int64_t ms = 0;
    if (o[key].get_int64().get(ms) || ms <= 0 || ms > INT64_MAX / 1000)
        return 0;
    return ms * 1000;
}

/// Scale and mantissa of a step given as decimal text ("0.00010000" → scale 4, step 1); nothing
/// for a zero step (Binance: the filter is disabled) or bad text.
std::optional<Decimal> stepOf(std::string_view text)
{
    std::optional<Decimal> step = Decimal::parse(text);
    if (!step || step->mantissa <= 0)
        return std::nullopt;
    while (step->scale > 0 && step->mantissa % 10 == 0) {
        step->mantissa /= 10;
        --step->scale;
    }
    return step;
}

constexpr int kDefaultScale = 8; // Binance sends every price and quantity with 8 decimals

} // namespace

BinanceProtocol::BinanceProtocol(QUrl wsBase, QUrl restBase, QStringList symbols, std::vector<Instrument> catalog)
    : m_wsBase(std::move(wsBase))
    , m_restBase(std::move(restBase))
    , m_table(QStringLiteral("binance"), std::move(catalog), std::move(symbols), kDefaultScale, kDefaultScale)
{ }

QUrl BinanceProtocol::url() const
{
    // "/stream" without a stream list: the combined payload names each stream, and every
    // subscription goes through SUBSCRIBE frames (short URL, the same path for later changes).
    QUrl url = m_wsBase;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/stream"));
    return url;
}

QUrl BinanceProtocol::instrumentListUrl(const QUrl &restBase)
{
    QUrl url = restBase;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v3/exchangeInfo"));
    url.setQuery(QStringLiteral("permissions=SPOT"));
    return url;
}

QUrl BinanceProtocol::restSnapshotUrl(const QString &symbol) const
{
    QUrl url = m_restBase;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v3/depth"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("symbol"), symbol);
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
    url.setQuery(query);
    return url;
}

std::vector<Instrument> BinanceProtocol::parseInstrumentList(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::vector<Instrument> {};
    };
    if (body.isEmpty())
        return fail(QStringLiteral("exchangeInfo: empty response"));
    json::FrameParser parser;
    auto document = parser.parse(body);
    object root;
    if (document.get_object().get(root))
        return fail(QStringLiteral("exchangeInfo: not a JSON object"));
    array symbols;
    if (root["symbols"].get_array().get(symbols))
        return fail(QStringLiteral("exchangeInfo: no \"symbols\" array"));
    std::vector<Instrument> out;
    int malformed = 0;
    for (auto element : symbols) {
        object entry;
        std::string_view symbol;
        std::string_view status;
        std::string_view base;
        std::string_view quote;
        if (element.get_object().get(entry) || entry["symbol"].get_string().get(symbol)
            || entry["status"].get_string().get(status) || entry["baseAsset"].get_string().get(base)
            || entry["quoteAsset"].get_string().get(quote)) {
            ++malformed;
            continue;
        }
        if (status != "TRADING")
            continue;
        Instrument instrument;
        instrument.venue = QStringLiteral("binance");
        instrument.symbol = qstring(symbol);
        instrument.base = qstring(base);
        instrument.quote = qstring(quote);
        instrument.displayName = instrument.base + QStringLiteral(" / ") + instrument.quote;
        instrument.priceScale = kDefaultScale;
        instrument.qtyScale = kDefaultScale;
        instrument.kind = InstrumentKind::Spot;
        array filters;
        if (entry["filters"].get_array().get(filters)) {
            ++malformed;
            continue;
        }
        bool ok = true;
        for (auto f : filters) {
            object filter;
            std::string_view type;
            if (f.get_object().get(filter) || filter["filterType"].get_string().get(type)) {
                ok = false;
                break;
            }
            const bool price = type == "PRICE_FILTER";
            if (!price && type != "LOT_SIZE")
                continue;
            std::string_view text;
            if (filter[price ? "tickSize" : "stepSize"].get_string().get(text)) {
                ok = false;
                break;
            }
            if (const std::optional<Decimal> step = stepOf(text)) {
                (price ? instrument.priceScale : instrument.qtyScale) = step->scale;
                (price ? instrument.tickSize : instrument.lotSize) = step->mantissa;
            }
        }
        if (!ok) {
            ++malformed;
            continue;
        }
        out.push_back(std::move(instrument));
    }
    if (malformed > 0)
        qCInfo(lcBinance) << "exchangeInfo:" << malformed << "malformed symbol entries skipped";
    if (out.empty() && malformed > 0)
        return fail(QStringLiteral("exchangeInfo: no usable symbol (%1 malformed)").arg(malformed));
    if (error)
        error->clear();
    return out;
}

void BinanceProtocol::reset()
{
    m_table.reset();
    m_sync.clear();
    m_snapshotRequests.clear();
    m_subscribed.clear();
    m_nextRequestId = 1;
}

std::vector<Instrument> BinanceProtocol::fixedInstruments() const
{
    if (m_table.learning())
        return {};
    return m_table.instruments();
}

std::vector<OutgoingFrame> BinanceProtocol::requests(const char *method, const QStringList &streams)
{
    std::vector<OutgoingFrame> frames;
    for (qsizetype i = 0; i < streams.size(); i += kStreamsPerFrame) {
        const QJsonObject request {
            {QStringLiteral("method"), QLatin1String(method)},
            {QStringLiteral("params"), QJsonArray::fromStringList(streams.mid(i, kStreamsPerFrame))},
            {QStringLiteral("id"), static_cast<qint64>(m_nextRequestId++)},
        };
        frames.push_back({QJsonDocument(request).toJson(QJsonDocument::Compact), false});
    }
    return frames;
}

namespace {
QStringList streamsOf(const QString &symbol)
{
    const QString s = symbol.toLower();
    return {s + QStringLiteral("@depth@100ms"), s + QStringLiteral("@bookTicker"), s + QStringLiteral("@aggTrade"),
            s + QStringLiteral("@ticker")};
}
} // namespace

std::vector<OutgoingFrame> BinanceProtocol::subscribeFrames(const QStringList &symbols)
{
    QStringList streams;
    QStringList refused;
    for (const QString &symbol : symbols) {
        if (m_subscribed.contains(symbol))
            continue;
        if (subscribedStreams() + kStreamsPerSymbol > kMaxStreamsPerConnection) {
            refused.append(symbol);
            continue;
        }
        m_subscribed.insert(symbol);
        streams.append(streamsOf(symbol));
    }
    if (!refused.isEmpty()) {
        qCWarning(lcBinance).noquote() << "a connection carries at most" << kMaxStreamsPerConnection
                                       << "streams:" << refused.size() << "symbols not subscribed, from"
                                       << refused.first();
    }
    return requests("SUBSCRIBE", streams);
}

std::vector<OutgoingFrame> BinanceProtocol::unsubscribeFrames(const QStringList &symbols)
{
    QStringList streams;
    for (const QString &symbol : symbols) {
        if (m_subscribed.remove(symbol))
            streams.append(streamsOf(symbol));
    }
    return requests("UNSUBSCRIBE", streams);
}

int BinanceProtocol::maxControlFramesPerSecond() const
{
    // Binance allows 5 incoming messages per second, and counts pings and pongs too: our own ping
    // (sent on a quiet link) and the pong answering the server's ping keep a slot each.
    return 3;
}

HeartbeatPolicy BinanceProtocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // The server pings every 20 s (QWebSocket answers with a pong carrying the payload). Our own
    // ping goes out after 15 s without any frame and must be answered within 10 s. With the 1 s
    // ticker stream even a quiet symbol speaks every second: 30 s of silence means trouble.
    policy.pingInterval = std::chrono::milliseconds(30000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(30000);
    return policy;
}

BinanceProtocol::BookSync &BinanceProtocol::syncOf(LocalInstrument local)
{
    if (local >= m_sync.size())
        m_sync.resize(static_cast<std::size_t>(local) + 1);
    return m_sync[local];
}

std::optional<std::uint64_t> BinanceProtocol::localUpdateId(const QString &symbol) const
{
    LocalInstrument local = 0;
    if (!m_table.find(symbol.toStdString(), local) || local >= m_sync.size() || !m_sync[local].synced)
        return std::nullopt;
    return m_sync[local].localId;
}

std::size_t BinanceProtocol::bufferedDiffs(const QString &symbol) const
{
    LocalInstrument local = 0;
    if (!m_table.find(symbol.toStdString(), local) || local >= m_sync.size())
        return 0;
    return m_sync[local].buffer.size();
}

void BinanceProtocol::requestSnapshot(LocalInstrument local)
{
    const QString &symbol = m_table.instruments()[local].symbol;
    if (!m_snapshotRequests.contains(symbol))
        m_snapshotRequests.append(symbol);
}

QStringList BinanceProtocol::takeSnapshotRequests()
{
    return std::exchange(m_snapshotRequests, {});
}

void BinanceProtocol::beginResync(const QString &symbol)
{
    LocalInstrument local = 0;
    if (!m_table.find(symbol.toStdString(), local))
        return;
    BookSync &sync = syncOf(local);
    if (!sync.synced)
        return; // already buffering: keep the buffer and the snapshot under way
    // Step 1 again: buffer from the next diff on; the first buffered one requests the snapshot.
    sync = BookSync {};
}

void BinanceProtocol::buffer(LocalInstrument local, Diff &&diff)
{
    BookSync &sync = syncOf(local);
    if (sync.buffer.size() >= m_bufferLimit) {
        // The snapshot takes too long: keep the newest diffs. The snapshot on its way is checked
        // against the first diff still buffered (too old → fetched again); ask for a fresh one too.
        sync.buffer.pop_front();
        ++m_droppedDiffs;
        if (!sync.overflowed) {
            sync.overflowed = true;
            qCInfo(lcBinance).noquote() << m_table.instruments()[local].symbol << "snapshot overdue:" << m_bufferLimit
                                        << "diffs buffered, dropping the oldest";
            requestSnapshot(local);
        }
    }
    sync.buffer.push_back(std::move(diff));
    if (!sync.awaitingSnapshot) {
        sync.awaitingSnapshot = true;
        requestSnapshot(local);
    }
}

void BinanceProtocol::applySynced(LocalInstrument local, Diff &diff, EventSink &sink)
{
    BookSync &sync = m_sync[local];
    if (diff.last <= sync.localId)
        return; // older than the book: nothing to do
    m_delta.clear();
    m_delta.instrument = local;
    m_delta.sequence = diff.last;
    m_delta.exchangeTimeUs = diff.exchangeTimeUs;
    std::swap(m_delta.bids, diff.bids);
    std::swap(m_delta.asks, diff.asks);
    if (diff.first > sync.localId + 1) {
        // Missed updates. The engine sees the gap (its book is at L, this diff follows U - 1) and
        // resyncs; buffering starts over with this diff, the first one after the gap.
        m_delta.prevSequence = diff.first - 1;
        sync = BookSync {};
        sink.onDelta(m_delta); // its beginResync() finds the book buffering already
        std::swap(m_delta.bids, diff.bids);
        std::swap(m_delta.asks, diff.asks);
        buffer(local, std::move(diff));
        return;
    }
    // U <= L + 1 <= u: applies on top of the book, which is at L.
    m_delta.prevSequence = sync.localId;
    sync.localId = diff.last;
    sink.onDelta(m_delta);
}

DecodeResult BinanceProtocol::applyRestSnapshot(const QString &symbol, const QByteArray &body, EventSink &sink)
{
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.find(symbol.toStdString(), local);
    if (!instrument)
        return DecodeResult::failure(QStringLiteral("snapshot of %1, which is not followed").arg(symbol));
    BookSync &sync = syncOf(local);
    if (sync.synced)
        return DecodeResult::ignored(); // a late answer: the book is in sync already
    sync.awaitingSnapshot = false;
    sync.overflowed = false;

    const auto failure = [&](const QString &message) {
        // Fetched again (the connection spaces failed attempts out).
        m_sync[local].awaitingSnapshot = true;
        requestSnapshot(local);
        return DecodeResult::failure(QStringLiteral("%1 depth snapshot: %2").arg(symbol, message));
    };
    if (body.isEmpty())
        return failure(QStringLiteral("empty response"));
    auto document = m_parser.parse(body);
    object root;
    if (document.get_object().get(root))
        return failure(QStringLiteral("not a JSON object"));
    std::uint64_t lastUpdateId = 0;
    if (root["lastUpdateId"].get_uint64().get(lastUpdateId))
        return failure(QStringLiteral("no lastUpdateId"));
    m_snapshot.clear();
    m_snapshot.instrument = local;
    m_snapshot.sequence = lastUpdateId;
    QString error;
    value levels;
    if (root["bids"].get(levels) || !readLevels(levels, *instrument, m_snapshot.bids, error))
        return failure(QStringLiteral("bids: %1").arg(error.isEmpty() ? QStringLiteral("missing") : error));
    if (root["asks"].get(levels) || !readLevels(levels, *instrument, m_snapshot.asks, error))
        return failure(QStringLiteral("asks: %1").arg(error.isEmpty() ? QStringLiteral("missing") : error));

    if (!sync.buffer.empty() && lastUpdateId < sync.buffer.front().first) {
        // Step 4: older than the first buffered diff, so the diffs in between are unknown.
        qCInfo(lcBinance).noquote() << symbol << "snapshot" << lastUpdateId << "older than the first buffered diff"
                                    << sync.buffer.front().first << "- fetching again";
        sync.awaitingSnapshot = true;
        requestSnapshot(local);
        return DecodeResult::ignored();
    }
    // Steps 5-7: the book is the snapshot at L = lastUpdateId; the buffered diffs follow.
    std::deque<Diff> pending = std::move(sync.buffer);
    sync = BookSync {};
    sync.synced = true;
    sync.localId = lastUpdateId;
    sink.onSnapshot(m_snapshot);
    while (!pending.empty()) {
        if (!m_sync[local].synced) {
            // The engine refused the book (crossed) or a gap showed: the rest waits for the next snapshot.
            for (Diff &diff : pending)
                buffer(local, std::move(diff));
            break;
        }
        Diff diff = std::move(pending.front());
        pending.pop_front();
        applySynced(local, diff, sink); // u <= L is dropped there
    }
    return DecodeResult::ok();
}

DecodeResult BinanceProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (Binance sends text)"));
    if (frame.isEmpty())
        return DecodeResult::failure(QStringLiteral("empty frame"));
    auto document = m_parser.parse(frame);
    object root;
    if (document.get_object().get(root))
        return DecodeResult::failure(QStringLiteral("not a JSON object (%1 bytes)").arg(frame.size()));
    value streamValue;
    const simdjson::error_code streamError = root["stream"].get(streamValue);
    if (streamError == simdjson::SUCCESS) {
        std::string_view stream;
        if (streamValue.get_string().get(stream))
            return DecodeResult::failure(QStringLiteral("stream name is not a string"));
        value data;
        if (root["data"].get(data))
            return DecodeResult::failure(QStringLiteral("%1: no data").arg(qstring(stream)));
        json_type type;
        if (data.type().get(type))
            return DecodeResult::failure(QStringLiteral("%1: malformed data").arg(qstring(stream)));
        if (type == json_type::array)
            return DecodeResult::ignored(); // all-market arrays: not subscribed here
        object payload;
        if (data.get_object().get(payload))
            return DecodeResult::failure(QStringLiteral("%1: data is not an object").arg(qstring(stream)));
        return decodePayload(payload, stream, sink);
    }
    if (streamError != simdjson::NO_SUCH_FIELD)
        return DecodeResult::failure(QStringLiteral("malformed frame"));
    root.reset();
    return decodePayload(root, {}, sink);
}

DecodeResult BinanceProtocol::decodePayload(object payload, std::string_view stream, EventSink &sink)
{
    value eventValue;
    const simdjson::error_code eventError = payload["e"].get(eventValue);
    if (eventError == simdjson::SUCCESS) {
        std::string_view event;
        if (eventValue.get_string().get(event))
            return DecodeResult::failure(QStringLiteral("event type is not a string"));
        const std::string name(event); // the view dies with the next lookup
        payload.reset();
        if (name == "depthUpdate")
            return decodeDepth(payload, stream, sink);
        if (name == "aggTrade")
            return decodeTrade(payload, true, sink);
        if (name == "trade")
            return decodeTrade(payload, false, sink);
        if (name == "24hrTicker")
            return decodeTicker(payload, sink);
        if (name == "serverShutdown") {
            // The server closes this connection soon; the close makes the connection reconnect at
            // once (first attempt), and a new connection lands on another server.
            VenueStatus status;
            status.kind = VenueStatus::Kind::Info;
            status.message = QStringLiteral("server shutdown announced: the connection will be replaced");
            sink.onStatus(status);
            return DecodeResult::ok();
        }
        return DecodeResult::ignored(); // kline and other streams we do not use
    }
    if (eventError != simdjson::NO_SUCH_FIELD)
        return DecodeResult::failure(QStringLiteral("malformed payload"));
    payload.reset();
    if (endsWith(stream, "@bookTicker"))
        return decodeBookTicker(payload, stream, sink);
    if (stream.empty()) {
        // A raw frame: an answer to a request, an error, or a raw bookTicker.
        value probe;
        if (payload["u"].get(probe) == simdjson::SUCCESS) {
            payload.reset();
            return decodeBookTicker(payload, stream, sink);
        }
        payload.reset();
        return decodeControl(payload, sink);
    }
    if (stream.find("@depth") != std::string_view::npos)
        return DecodeResult::ignored(); // partial book depth: not subscribed here
    return DecodeResult::failure(QStringLiteral("%1: payload without event type").arg(qstring(stream)));
}

DecodeResult BinanceProtocol::decodeControl(object root, EventSink &sink)
{
    value result;
    if (root["result"].get(result) == simdjson::SUCCESS)
        return DecodeResult::ignored(); // {"result":null,"id":N}: a request succeeded
    root.reset();
    std::int64_t code = 0;
    std::string message;
    object nested;
    if (root["error"].get_object().get(nested) == simdjson::SUCCESS) {
        std::string_view msg;
        if (nested["code"].get_int64().get(code) || nested["msg"].get_string().get(msg))
            return DecodeResult::failure(QStringLiteral("malformed error message"));
        message = msg;
    } else {
        root.reset();
        std::string_view msg;
        if (root["code"].get_int64().get(code))
            return DecodeResult::failure(QStringLiteral("unknown message"));
        root.reset();
        if (root["msg"].get_string().get(msg))
            return DecodeResult::failure(QStringLiteral("error without msg"));
        message = msg;
    }
    root.reset();
    VenueStatus status;
    status.kind = VenueStatus::Kind::Error;
    status.code = static_cast<int>(std::clamp<std::int64_t>(code, INT_MIN, INT_MAX));
    status.message = QString::fromStdString(message);
    std::uint64_t id = 0;
    if (root["id"].get_uint64().get(id) == simdjson::SUCCESS)
        status.message += QStringLiteral(" (request %1)").arg(id);
    sink.onStatus(status);
    return DecodeResult::ok();
}

DecodeResult BinanceProtocol::decodeDepth(object payload, std::string_view stream, EventSink &sink)
{
    std::string_view symbolText;
    std::string fromStream;
    if (payload["s"].get_string().get(symbolText)) {
        if (stream.empty())
            return DecodeResult::failure(QStringLiteral("depthUpdate without symbol"));
        fromStream = streamSymbol(stream);
        symbolText = fromStream;
    }
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(symbolText, local, sink);
    if (!instrument)
        return DecodeResult::ignored(); // a symbol we do not follow
    const Instrument &inst = *instrument; // valid for this frame: nothing below adds symbols
    m_diff.bids.clear();
    m_diff.asks.clear();
    payload.reset();
    if (payload["U"].get_uint64().get(m_diff.first))
        return DecodeResult::failure(QStringLiteral("%1 depthUpdate: bad or missing U").arg(inst.symbol));
    payload.reset();
    if (payload["u"].get_uint64().get(m_diff.last) || m_diff.last < m_diff.first)
        return DecodeResult::failure(QStringLiteral("%1 depthUpdate: bad or missing u").arg(inst.symbol));
    payload.reset();
    m_diff.exchangeTimeUs = millisAsMicros(payload, "E");
    QString error;
    value levels;
    payload.reset();
    if (payload["b"].get(levels) || !readLevels(levels, inst, m_diff.bids, error))
        return DecodeResult::failure(QStringLiteral("%1 depthUpdate bids: %2")
                                         .arg(inst.symbol, error.isEmpty() ? QStringLiteral("missing") : error));
    payload.reset();
    if (payload["a"].get(levels) || !readLevels(levels, inst, m_diff.asks, error))
        return DecodeResult::failure(QStringLiteral("%1 depthUpdate asks: %2")
                                         .arg(inst.symbol, error.isEmpty() ? QStringLiteral("missing") : error));
    if (syncOf(local).synced) {
        applySynced(local, m_diff, sink);
    } else {
        buffer(local, std::move(m_diff));
        m_diff = Diff {};
    }
    return DecodeResult::ok();
}

DecodeResult BinanceProtocol::decodeTrade(object payload, bool aggregate, EventSink &sink)
{
    std::string_view symbol;
    if (payload["s"].get_string().get(symbol))
        return DecodeResult::failure(QStringLiteral("trade without symbol"));
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(symbol, local, sink);
    if (!instrument)
        return DecodeResult::ignored();
    Trade trade;
    trade.instrument = local;
    QString error;
    payload.reset();
    if (!readDecimal(payload, "p", instrument->priceScale, trade.price, error))
        return DecodeResult::failure(QStringLiteral("%1 trade: %2").arg(instrument->symbol, error));
    payload.reset();
    if (!readDecimal(payload, "q", instrument->qtyScale, trade.qty, error))
        return DecodeResult::failure(QStringLiteral("%1 trade: %2").arg(instrument->symbol, error));
    payload.reset();
    std::uint64_t id = 0;
    if (payload[aggregate ? "a" : "t"].get_uint64().get(id) == simdjson::SUCCESS)
        trade.tradeId = id;
    payload.reset();
    trade.exchangeTimeUs = millisAsMicros(payload, "T");
    if (trade.exchangeTimeUs == 0) {
        payload.reset();
        trade.exchangeTimeUs = millisAsMicros(payload, "E");
    }
    payload.reset();
    bool buyerIsMaker = false;
    if (payload["m"].get_bool().get(buyerIsMaker))
        return DecodeResult::failure(QStringLiteral("%1 trade: bad or missing \"m\"").arg(instrument->symbol));
    // The buyer made the resting order: the seller took it.
    trade.side = buyerIsMaker ? Side::Sell : Side::Buy;
    sink.onTrade(trade);
    return DecodeResult::ok();
}

DecodeResult BinanceProtocol::decodeTicker(object payload, EventSink &sink)
{
    std::string_view symbol;
    if (payload["s"].get_string().get(symbol))
        return DecodeResult::failure(QStringLiteral("24hrTicker without symbol"));
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(symbol, local, sink);
    if (!instrument)
        return DecodeResult::ignored();
    Ticker ticker;
    ticker.instrument = local;
    QString error;
    payload.reset();
    if (!readDecimal(payload, "c", instrument->priceScale, ticker.last, error))
        return DecodeResult::failure(QStringLiteral("%1 24hrTicker: %2").arg(instrument->symbol, error));
    const std::pair<const char *, std::int64_t *> prices[]
        = {{"o", &ticker.open24h}, {"h", &ticker.high24h}, {"l", &ticker.low24h}};
    for (const auto &[key, target] : prices) {
        payload.reset();
        value v;
        if (payload[key].get(v))
            continue; // absent: stays unknown
        const DecimalParse parsed = json::decimalAt(v, instrument->priceScale);
        if (!parsed)
            return DecodeResult::failure(
                QStringLiteral("%1 24hrTicker: \"%2\": %3")
                    .arg(instrument->symbol, QLatin1String(key), decimalErrorText(parsed.error)));
        *target = parsed.mantissa;
    }
    payload.reset();
    value volume;
    if (payload["v"].get(volume) == simdjson::SUCCESS) {
        const DecimalParse parsed = json::decimalAt(volume, instrument->qtyScale);
        // A huge volume at a fine quantity scale may not fit 63 bits: shown as unknown, not an error.
        if (!parsed && parsed.error != DecimalError::Overflow)
            return DecodeResult::failure(
                QStringLiteral("%1 24hrTicker: \"v\": %2").arg(instrument->symbol, decimalErrorText(parsed.error)));
        ticker.volume24h = parsed ? parsed.mantissa : 0;
    }
    payload.reset();
    ticker.exchangeTimeUs = millisAsMicros(payload, "E");
    sink.onTicker(ticker);
    return DecodeResult::ok();
}

DecodeResult BinanceProtocol::decodeBookTicker(object payload, std::string_view stream, EventSink &sink)
{
    // {"u":…,"s":…,"b":…,"B":…,"a":…,"A":…}: no event type. The venue's touch, pushed in real time;
    // the GUI shows it while the depth book is not synced (a synced book's own top wins).
    std::string_view symbolText;
    std::string fromStream;
    if (payload["s"].get_string().get(symbolText)) {
        if (stream.empty())
            return DecodeResult::failure(QStringLiteral("bookTicker without symbol"));
        fromStream = streamSymbol(stream);
        symbolText = fromStream;
    }
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(symbolText, local, sink);
    if (!instrument)
        return DecodeResult::ignored();
    payload.reset();
    std::uint64_t updateId = 0;
    if (payload["u"].get_uint64().get(updateId))
        return DecodeResult::failure(QStringLiteral("%1 bookTicker: bad or missing u").arg(instrument->symbol));
    QString error;
    BestQuote best;
    best.instrument = local;
    const std::pair<const char *, std::int64_t *> prices[] = {{"b", &best.bid}, {"a", &best.ask}};
    const std::pair<const char *, std::int64_t *> sizes[] = {{"B", &best.bidQty}, {"A", &best.askQty}};
    for (const auto &[key, out] : prices) {
        payload.reset();
        if (!readDecimal(payload, key, instrument->priceScale, *out, error))
            return DecodeResult::failure(QStringLiteral("%1 bookTicker: %2").arg(instrument->symbol, error));
    }
    for (const auto &[key, out] : sizes) {
        payload.reset();
        if (!readDecimal(payload, key, instrument->qtyScale, *out, error))
            return DecodeResult::failure(QStringLiteral("%1 bookTicker: %2").arg(instrument->symbol, error));
    }
    // An empty side reads as price 0, size 0.
    if (best.bidQty == 0)
        best.bid = kNoPrice;
    if (best.askQty == 0)
        best.ask = kNoPrice;
    sink.onBestQuote(best);
    return DecodeResult::ok();
}

} // namespace tickscope
