#include "bybitprotocol.h"

#include "instrumentcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

} // namespace

BybitProtocol::BybitProtocol(QUrl url, QStringList symbols, std::vector<Instrument> catalog)
    : m_url(std::move(url))
    , m_table(QStringLiteral("bybit"), std::move(catalog), std::move(symbols))
{ }

void BybitProtocol::reset()
{
    m_table.reset();
}

std::vector<Instrument> BybitProtocol::fixedInstruments() const
{
    return m_table.learning() ? std::vector<Instrument> {} : m_table.instruments();
}

QStringList BybitProtocol::topicsOf(const QStringList &symbols)
{
    QStringList topics;
    topics.reserve(symbols.size() * 3);
    for (const QString &symbol : symbols) {
        topics.append(QStringLiteral("orderbook.%1.%2").arg(kBookDepth).arg(symbol));
        topics.append(QStringLiteral("publicTrade.") + symbol);
        topics.append(QStringLiteral("tickers.") + symbol);
    }
    return topics;
}

std::vector<OutgoingFrame> BybitProtocol::requests(const char *op, const QStringList &topics)
{
    // The spot stream refuses a request with more than 10 topics: one request per 10.
    std::vector<OutgoingFrame> frames;
    for (qsizetype first = 0; first < topics.size(); first += kMaxArgsPerRequest) {
        const QJsonObject request {
            {QStringLiteral("req_id"), QString::number(m_nextRequestId++)},
            {QStringLiteral("op"), QLatin1String(op)},
            {QStringLiteral("args"), QJsonArray::fromStringList(topics.mid(first, kMaxArgsPerRequest))}};
        frames.push_back({QJsonDocument(request).toJson(QJsonDocument::Compact), false});
    }
    return frames;
}

std::vector<OutgoingFrame> BybitProtocol::subscribeFrames(const QStringList &symbols)
{
    return requests("subscribe", topicsOf(symbols));
}

std::vector<OutgoingFrame> BybitProtocol::unsubscribeFrames(const QStringList &symbols)
{
    return requests("unsubscribe", topicsOf(symbols));
}

std::vector<OutgoingFrame> BybitProtocol::resyncFrames(const QString &symbol)
{
    // A new subscription starts with a snapshot: unsubscribe and subscribe that one book.
    const QStringList topic {QStringLiteral("orderbook.%1.%2").arg(kBookDepth).arg(symbol)};
    std::vector<OutgoingFrame> frames = requests("unsubscribe", topic);
    for (OutgoingFrame &frame : requests("subscribe", topic))
        frames.push_back(std::move(frame));
    return frames;
}

HeartbeatPolicy BybitProtocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // Bybit asks for {"op":"ping"} every 20 s to keep the connection; it answers with a pong.
    policy.appPing = QByteArrayLiteral("{\"op\":\"ping\"}");
    policy.pingInterval = std::chrono::milliseconds(20000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(30000);
    return policy;
}

DecodeResult BybitProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (Bybit sends text)"));
    auto document = m_parser.parse(frame);
    object root;
    if (document.get_object().get(root))
        return DecodeResult::failure(QStringLiteral("not a JSON object (%1 bytes)").arg(frame.size()));

    auto topicField = root["topic"];
    if (topicField.error() == simdjson::NO_SUCH_FIELD) {
        // Answers to our requests: {"success":…,"ret_msg":…,"op":"subscribe"|"ping"|…}, or
        // {"op":"pong",…}, or (options) {"success":…,"type":"COMMAND_RESP","data":{"failTopics":[…]}}.
        root.reset();
        const Field<std::string_view> op = stringField(root, "op");
        root.reset();
        bool success = true;
        const bool hasSuccess = !root["success"].get_bool().get(success);
        if (op.valid && (op.value == "ping" || op.value == "pong")) {
            sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
            return DecodeResult::ok();
        }
        if (!op.valid && !hasSuccess)
            return DecodeResult::failure(QStringLiteral("message without topic or op"));
        if (!op.valid) {
            root.reset();
            object data;
            array failed;
            if (!root["data"].get_object().get(data) && !data["failTopics"].get_array().get(failed)) {
                std::size_t count = 0;
                if (!failed.count_elements().get(count) && count > 0)
                    success = false;
            }
        }
        if (!success) {
            root.reset();
            VenueStatus status;
            status.kind = VenueStatus::Kind::Error;
            status.message = qstring(stringField(root, "ret_msg").value);
            if (status.message.isEmpty())
                status.message = QStringLiteral("request refused");
            sink.onStatus(status);
        }
        return DecodeResult::ignored();
    }
    std::string_view topic;
    if (topicField.get_string().get(topic))
        return DecodeResult::failure(QStringLiteral("topic is not a string"));
    const std::size_t firstDot = topic.find('.');
    const std::size_t lastDot = topic.rfind('.');
    if (firstDot == std::string_view::npos)
        return DecodeResult::failure(QStringLiteral("malformed topic '%1'").arg(qstring(topic)));
    const std::string_view kind = topic.substr(0, firstDot);
    const std::string_view symbol = topic.substr(lastDot + 1);
    if (kind != "orderbook" && kind != "tickers" && kind != "publicTrade")
        return DecodeResult::ignored(); // kline, liquidation, …: valid pushes we did not ask for
    if (kind == "orderbook" && topic.substr(firstDot + 1, lastDot - firstDot - 1) != std::to_string(kBookDepth))
        return DecodeResult::ignored(); // another depth than the one this protocol keeps
    root.reset();
    const Field<std::string_view> type = stringField(root, "type");
    if (!type.valid || (type.value != "snapshot" && type.value != "delta"))
        return DecodeResult::failure(QStringLiteral("%1: missing or unknown type").arg(qstring(topic)));
    root.reset();
    const auto ts = integerField<std::int64_t>(root, "ts");
    root.reset();
    const auto cts = integerField<std::int64_t>(root, "cts");
    if ((ts.present && !ts.valid) || (cts.present && !cts.valid))
        return DecodeResult::failure(QStringLiteral("%1: malformed ts").arg(qstring(topic)));
    // The matching engine's time when there is one, else the time the push was generated.
    const std::int64_t timeUs = (cts.valid ? cts.value : ts.valid ? ts.value : 0) * 1000;

    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(symbol, local, sink);
    if (!instrument)
        return DecodeResult::ignored(); // a symbol we do not follow
    const Instrument current = *instrument; // resolve() may grow the table during delivery
    root.reset();
    if (kind == "publicTrade") {
        array trades;
        if (root["data"].get_array().get(trades))
            return DecodeResult::failure(QStringLiteral("%1: data is not an array").arg(qstring(topic)));
        return decodeTrades(trades, local, current, sink);
    }
    object data;
    if (root["data"].get_object().get(data))
        return DecodeResult::failure(QStringLiteral("%1: data is not an object").arg(qstring(topic)));
    if (kind == "tickers")
        return decodeTicker(data, timeUs, local, current, sink);
    return decodeBook(data, type.value == "snapshot", timeUs, local, current, sink);
}

DecodeResult BybitProtocol::decodeBook(object data, bool snapshot, std::int64_t timeUs, LocalInstrument local,
                                       const Instrument &instrument, EventSink &sink)
{
    const auto u = integerField<std::uint64_t>(data, "u");
    if (!u.valid || u.value == 0)
        return DecodeResult::failure(QStringLiteral("%1: book without a valid update id").arg(instrument.symbol));
    // u == 1 in a delta: the service restarted and this is the whole book, not a change to it.
    const bool replace = snapshot || u.value == 1;
    if (replace)
        m_snapshot.clear();
    else
        m_delta.clear();
    data.reset();
    if (!readLevels(data, "b", instrument, replace ? m_snapshot.bids : m_delta.bids))
        return DecodeResult::failure(QStringLiteral("%1: malformed bids").arg(instrument.symbol));
    data.reset();
    if (!readLevels(data, "a", instrument, replace ? m_snapshot.asks : m_delta.asks))
        return DecodeResult::failure(QStringLiteral("%1: malformed asks").arg(instrument.symbol));
    if (replace) {
        m_snapshot.instrument = local;
        m_snapshot.sequence = u.value;
        m_snapshot.exchangeTimeUs = timeUs;
        sink.onSnapshot(m_snapshot);
    } else {
        m_delta.instrument = local;
        m_delta.sequence = u.value; // prevSequence 0: must be the book's u + 1
        m_delta.exchangeTimeUs = timeUs;
        sink.onDelta(m_delta);
    }
    return DecodeResult::ok();
}

DecodeResult BybitProtocol::decodeTicker(object data, std::int64_t timeUs, LocalInstrument local,
                                         const Instrument &instrument, EventSink &sink)
{
    Ticker ticker;
    ticker.instrument = local;
    ticker.exchangeTimeUs = timeUs;
    bool ok = true;
    const auto price = [&](std::string_view key) -> std::int64_t {
        data.reset();
        const Field<std::int64_t> p = decimalField(data, key, instrument.priceScale);
        ok = ok && (!p.present || p.valid);
        return p.valid ? p.value : kNoPrice;
    };
    ticker.last = price("lastPrice");
    ticker.open24h = price("prevPrice24h"); // the price 24 h ago
    ticker.high24h = price("highPrice24h");
    ticker.low24h = price("lowPrice24h");
    data.reset();
    const Field<std::int64_t> volume = decimalField(data, "volume24h", instrument.qtyScale);
    if (!ok || (volume.present && !volume.valid))
        return DecodeResult::failure(QStringLiteral("%1: malformed ticker field").arg(instrument.symbol));
    ticker.volume24h = volume.valid ? volume.value : 0;
    sink.onTicker(ticker);
    return DecodeResult::ok();
}

DecodeResult BybitProtocol::decodeTrades(array data, LocalInstrument local, const Instrument &instrument,
                                         EventSink &sink)
{
    for (auto element : data) {
        object print;
        if (element.get_object().get(print))
            return DecodeResult::failure(QStringLiteral("%1: malformed trade").arg(instrument.symbol));
        const Field<std::int64_t> price = decimalField(print, "p", instrument.priceScale);
        print.reset();
        const Field<std::int64_t> qty = decimalField(print, "v", instrument.qtyScale);
        print.reset();
        const Field<std::string_view> side = stringField(print, "S");
        print.reset();
        const auto time = integerField<std::int64_t>(print, "T");
        print.reset();
        // Spot trade ids are digits; derivatives use UUIDs, which have no numeric id here.
        const auto id = integerField<std::uint64_t>(print, "i");
        if (!price.valid || !qty.valid || !side.valid || (side.value != "Buy" && side.value != "Sell")
            || (time.present && !time.valid))
            return DecodeResult::failure(QStringLiteral("%1: trade without valid p, v, S or T").arg(instrument.symbol));
        Trade trade;
        trade.instrument = local;
        trade.price = price.value;
        trade.qty = qty.value;
        trade.side = side.value == "Sell" ? Side::Sell : Side::Buy;
        trade.tradeId = id.valid ? id.value : 0;
        trade.exchangeTimeUs = time.valid ? time.value * 1000 : 0;
        sink.onTrade(trade);
    }
    return DecodeResult::ok();
}

QUrl BybitProtocol::instrumentListUrl(QUrl restBase)
{
    QUrl url = std::move(restBase);
    url.setPath(QStringLiteral("/v5/market/instruments-info"));
    url.setQuery(QStringLiteral("category=spot"));
    return url;
}

std::vector<Instrument> BybitProtocol::parseInstrumentList(const QByteArray &body, QString *error)
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
        return fail(QStringLiteral("Bybit instruments: not a JSON object"));
    const auto retCode = integerField<std::int64_t>(root, "retCode");
    if (retCode.present && (!retCode.valid || retCode.value != 0)) {
        root.reset();
        return fail(QStringLiteral("Bybit instruments: error %1: %2")
                        .arg(retCode.value)
                        .arg(qstring(stringField(root, "retMsg").value)));
    }
    root.reset();
    object result;
    if (root["result"].get_object().get(result))
        return fail(QStringLiteral("Bybit instruments: no result object"));
    const Field<std::string_view> categoryField = stringField(result, "category");
    const std::string_view category = categoryField.valid ? categoryField.value : std::string_view("spot");
    result.reset();
    array list;
    if (result["list"].get_array().get(list))
        return fail(QStringLiteral("Bybit instruments: no list array"));
    std::vector<Instrument> out;
    int skipped = 0;
    for (auto element : list) {
        object entry;
        if (element.get_object().get(entry)) {
            ++skipped;
            continue;
        }
        const auto text = [&entry](std::string_view key) {
            entry.reset();
            return stringField(entry, key).value;
        };
        if (text("status") != "Trading")
            continue; // PreLaunch, Delivering, Closed: nothing to follow
        Instrument instrument;
        instrument.venue = QStringLiteral("bybit");
        instrument.symbol = qstring(text("symbol"));
        instrument.base = qstring(text("baseCoin"));
        instrument.quote = qstring(text("quoteCoin"));
        if (category == "spot") {
            instrument.kind = InstrumentKind::Spot;
        } else if (category == "linear" || category == "inverse") {
            const std::string_view contract = text("contractType");
            instrument.kind = contract.ends_with("Futures") ? InstrumentKind::Future : InstrumentKind::Perpetual;
        } else {
            continue; // options: no instrument kind for them here
        }
        std::string_view tick;
        std::string_view step;
        entry.reset();
        object filter;
        if (!entry["priceFilter"].get_object().get(filter))
            tick = stringField(filter, "tickSize").value;
        entry.reset();
        if (!entry["lotSizeFilter"].get_object().get(filter)) {
            step = stringField(filter, "basePrecision").value;
            if (step.empty()) {
                filter.reset();
                step = stringField(filter, "qtyStep").value;
            }
        }
        if (instrument.symbol.isEmpty() || !incrementToScale(tick, instrument.priceScale, instrument.tickSize)
            || !incrementToScale(step, instrument.qtyScale, instrument.lotSize)) {
            ++skipped;
            continue;
        }
        instrument.displayName = instrument.base.isEmpty() ? instrument.symbol
                                                           : instrument.base + QStringLiteral(" / ") + instrument.quote;
        out.push_back(std::move(instrument));
    }
    if (error && skipped > 0)
        *error = QStringLiteral("Bybit instruments: %1 malformed entries skipped").arg(skipped);
    if (out.empty() && skipped > 0)
        return fail(QStringLiteral("Bybit instruments: no usable entry (%1 malformed)").arg(skipped));
    return out;
}

} // namespace tickscope
