#include "krakenprotocol.h"

#include "krakenchecksum.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tickscope {

namespace {

using json::isoMicros;
using json::qstring;
using json::stringOf;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

/// Levels [{"price":…,"qty":…},…] at the pair's precisions; false on a malformed level.
bool readLevels(value levels, const Instrument &instrument, std::vector<Level> &out)
{
    array list;
    if (levels.get_array().get(list))
        return false;
    for (auto element : list) {
        object level;
        value price;
        value qty;
        if (element.get_object().get(level) || level["price"].get(price))
            return false;
        const DecimalParse p = json::decimalAt(price, instrument.priceScale);
        if (!p || level["qty"].get(qty))
            return false;
        const DecimalParse q = json::decimalAt(qty, instrument.qtyScale);
        if (!q)
            return false;
        out.push_back({p.mantissa, q.mantissa});
    }
    return true;
}

} // namespace

KrakenV2Protocol::KrakenV2Protocol(QUrl url, QStringList symbols, int depth, std::vector<Instrument> catalog)
    : m_url(std::move(url))
    , m_wanted(std::move(symbols))
    , m_depth(depth)
    , m_catalog(std::move(catalog))
{
    if (m_wanted.isEmpty() && !m_catalog.empty()) {
        // Replay of a recording that may not begin with the instrument snapshot: the catalogue's
        // precisions stand in until (unless) the channel announces the pairs.
        m_instruments = m_catalog;
        for (LocalInstrument i = 0; i < m_instruments.size(); ++i)
            m_index.emplace(m_instruments[i].symbol.toStdString(), i);
    }
}

std::vector<Instrument> KrakenV2Protocol::fixedInstruments() const
{
    return m_wanted.isEmpty() ? m_catalog : std::vector<Instrument> {};
}

void KrakenV2Protocol::reset()
{
    // The instrument table is kept: ids stay stable across reconnects (the channel re-announces it).
}

QByteArray KrakenV2Protocol::request(const char *method, const char *channel, const QStringList &symbols, int depth)
{
    QJsonObject params {{QStringLiteral("channel"), QLatin1String(channel)}};
    if (!symbols.isEmpty())
        params.insert(QStringLiteral("symbol"), QJsonArray::fromStringList(symbols));
    if (depth > 0)
        params.insert(QStringLiteral("depth"), depth);
    return QJsonDocument(
               QJsonObject {{QStringLiteral("method"), QLatin1String(method)}, {QStringLiteral("params"), params}})
        .toJson(QJsonDocument::Compact);
}

std::vector<OutgoingFrame> KrakenV2Protocol::onConnected()
{
    return {{request("subscribe", "instrument", {}), false}};
}

std::vector<OutgoingFrame> KrakenV2Protocol::subscribeFrames(const QStringList &symbols)
{
    return {{request("subscribe", "book", symbols, m_depth), false},
            {request("subscribe", "ticker", symbols), false},
            {request("subscribe", "trade", symbols), false}};
}

std::vector<OutgoingFrame> KrakenV2Protocol::unsubscribeFrames(const QStringList &symbols)
{
    return {{request("unsubscribe", "book", symbols, m_depth), false},
            {request("unsubscribe", "ticker", symbols), false},
            {request("unsubscribe", "trade", symbols), false}};
}

std::vector<OutgoingFrame> KrakenV2Protocol::resyncFrames(const QString &symbol)
{
    // A fresh book snapshot: unsubscribe and subscribe that one book again.
    return {{request("unsubscribe", "book", {symbol}, m_depth), false},
            {request("subscribe", "book", {symbol}, m_depth), false}};
}

HeartbeatPolicy KrakenV2Protocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // Kraken sends a heartbeat every second while subscribed; we also send its application-level
    // ping ({"method":"ping"}, answered with a pong) every 10 s, which proves the request path
    // works, not only that the venue still talks.
    policy.appPing = QByteArrayLiteral("{\"method\":\"ping\"}");
    policy.pingInterval = std::chrono::milliseconds(10000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(5000);
    return policy;
}

std::optional<std::uint32_t> KrakenV2Protocol::checksumOf(const OrderBook &book) const
{
    // Levels are mantissas at the pair's precisions: exactly the digits Kraken's checksum uses.
    std::vector<kraken::ChecksumLevel> asks;
    std::vector<kraken::ChecksumLevel> bids;
    book.top(BookSide::Ask, 10, m_top);
    for (const Level &l : m_top)
        asks.push_back({l.price, l.qty});
    book.top(BookSide::Bid, 10, m_top);
    for (const Level &l : m_top)
        bids.push_back({l.price, l.qty});
    return kraken::bookChecksum(asks, bids);
}

const Instrument *KrakenV2Protocol::find(std::string_view symbol, LocalInstrument &local) const
{
    const auto it = m_index.find(std::string(symbol));
    if (it == m_index.end())
        return nullptr;
    local = it->second;
    return &m_instruments[it->second];
}

DecodeResult KrakenV2Protocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (Kraken sends text)"));
    auto document = m_parser.parse(frame);
    object root;
    if (document.get_object().get(root))
        return DecodeResult::failure(QStringLiteral("not a JSON object (%1 bytes)").arg(frame.size()));
    std::string_view channel;
    if (root["channel"].get_string().get(channel)) {
        // Method answers: subscribe/unsubscribe acks, pong; a failed request is the venue's error.
        root.reset();
        bool success = true;
        if (!root["success"].get_bool().get(success) && !success) {
            root.reset();
            VenueStatus status;
            status.kind = VenueStatus::Kind::Error;
            status.message = qstring(stringOf(root, "error"));
            sink.onStatus(status);
        }
        return DecodeResult::ignored();
    }
    const std::string ch(channel);
    if (ch == "heartbeat") {
        sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
        return DecodeResult::ok();
    }
    if (ch == "status")
        return DecodeResult::ignored();
    const std::string type(stringOf(root, "type"));
    if (ch == "instrument") {
        object data;
        if (root["data"].get_object().get(data))
            return DecodeResult::failure(QStringLiteral("instrument message without data"));
        return decodeInstruments(data, sink);
    }
    array data;
    if (root["data"].get_array().get(data))
        return DecodeResult::failure(QStringLiteral("%1 message without data").arg(qstring(channel)));
    if (ch == "book")
        return decodeBook(data, type == "snapshot", sink);
    if (ch == "trade")
        return decodeTrades(data, sink);
    if (ch == "ticker")
        return decodeTickers(data, sink);
    return DecodeResult::failure(QStringLiteral("unknown channel '%1'").arg(qstring(channel)));
}

DecodeResult KrakenV2Protocol::decodeInstruments(object data, EventSink &sink)
{
    array pairs;
    if (data["pairs"].get_array().get(pairs))
        return DecodeResult::failure(QStringLiteral("instrument message without pairs"));
    std::vector<Instrument> announced;
    for (auto element : pairs) {
        object pair;
        if (element.get_object().get(pair))
            return DecodeResult::failure(QStringLiteral("malformed pair"));
        Instrument instrument;
        instrument.venue = venue();
        std::int64_t pricePrecision = -1;
        std::int64_t qtyPrecision = -1;
        std::string_view symbol;
        std::string_view base;
        std::string_view quote;
        value increment;
        value qtyIncrement;
        // Fields in document order (on-demand reads forward): look each up by name from the start.
        if (pair["symbol"].get_string().get(symbol))
            return DecodeResult::failure(QStringLiteral("pair without symbol"));
        instrument.symbol = qstring(symbol);
        if (!m_wanted.isEmpty() && !m_wanted.contains(instrument.symbol))
            continue;
        pair.reset();
        if (!pair["base"].get_string().get(base))
            instrument.base = qstring(base);
        pair.reset();
        if (!pair["quote"].get_string().get(quote))
            instrument.quote = qstring(quote);
        pair.reset();
        if (pair["price_precision"].get_int64().get(pricePrecision) || pricePrecision < 0 || pricePrecision > 18)
            return DecodeResult::failure(QStringLiteral("%1: bad price_precision").arg(instrument.symbol));
        pair.reset();
        if (pair["qty_precision"].get_int64().get(qtyPrecision) || qtyPrecision < 0 || qtyPrecision > 18)
            return DecodeResult::failure(QStringLiteral("%1: bad qty_precision").arg(instrument.symbol));
        instrument.priceScale = static_cast<int>(pricePrecision);
        instrument.qtyScale = static_cast<int>(qtyPrecision);
        pair.reset();
        if (!pair["price_increment"].get(increment)) {
            if (const DecimalParse tick = json::decimalAt(increment, instrument.priceScale); tick && tick.mantissa > 0)
                instrument.tickSize = tick.mantissa;
        }
        pair.reset();
        if (!pair["qty_increment"].get(qtyIncrement)) {
            if (const DecimalParse lot = json::decimalAt(qtyIncrement, instrument.qtyScale); lot && lot.mantissa > 0)
                instrument.lotSize = lot.mantissa;
        }
        instrument.displayName = instrument.base + QStringLiteral(" / ") + instrument.quote;
        announced.push_back(std::move(instrument));
    }
    // Known pairs keep their ids (the market state keys on the symbol too).
    m_instruments = std::move(announced);
    m_index.clear();
    for (LocalInstrument i = 0; i < m_instruments.size(); ++i)
        m_index.emplace(m_instruments[i].symbol.toStdString(), i);
    sink.onInstruments(m_instruments);
    return DecodeResult::ok();
}

DecodeResult KrakenV2Protocol::decodeBook(array data, bool snapshot, EventSink &sink)
{
    for (auto element : data) {
        object book;
        if (element.get_object().get(book))
            return DecodeResult::failure(QStringLiteral("malformed book entry"));
        LocalInstrument local = 0;
        const Instrument *instrument = find(stringOf(book, "symbol"), local);
        if (!instrument)
            continue; // a pair we did not ask for (or not announced yet)
        std::vector<Level> &bids = snapshot ? m_snapshot.bids : m_delta.bids;
        std::vector<Level> &asks = snapshot ? m_snapshot.asks : m_delta.asks;
        snapshot ? m_snapshot.clear() : m_delta.clear();
        book.reset();
        value side;
        if (!book["bids"].get(side) && !readLevels(side, *instrument, bids))
            return DecodeResult::failure(QStringLiteral("%1: malformed bids").arg(instrument->symbol));
        book.reset();
        if (!book["asks"].get(side) && !readLevels(side, *instrument, asks))
            return DecodeResult::failure(QStringLiteral("%1: malformed asks").arg(instrument->symbol));
        book.reset();
        std::uint64_t checksum = 0;
        const bool hasChecksum = !book["checksum"].get_uint64().get(checksum) && checksum <= 0xFFFFFFFFu;
        book.reset();
        const std::int64_t timeUs = isoMicros(stringOf(book, "timestamp"));
        if (snapshot) {
            m_snapshot.instrument = local;
            m_snapshot.exchangeTimeUs = timeUs;
            if (hasChecksum)
                m_snapshot.checksum = static_cast<std::uint32_t>(checksum);
            sink.onSnapshot(m_snapshot);
        } else {
            m_delta.instrument = local;
            m_delta.exchangeTimeUs = timeUs;
            if (hasChecksum)
                m_delta.checksum = static_cast<std::uint32_t>(checksum);
            sink.onDelta(m_delta);
        }
    }
    return DecodeResult::ok();
}

DecodeResult KrakenV2Protocol::decodeTrades(array data, EventSink &sink)
{
    for (auto element : data) {
        object print;
        if (element.get_object().get(print))
            return DecodeResult::failure(QStringLiteral("malformed trade"));
        LocalInstrument local = 0;
        const Instrument *instrument = find(stringOf(print, "symbol"), local);
        if (!instrument)
            continue;
        Trade trade;
        trade.instrument = local;
        print.reset();
        trade.side = stringOf(print, "side") == "sell" ? Side::Sell : Side::Buy;
        value number;
        print.reset();
        if (print["price"].get(number))
            return DecodeResult::failure(QStringLiteral("trade without price"));
        const DecimalParse price = json::decimalAt(number, instrument->priceScale);
        print.reset();
        if (!price || print["qty"].get(number))
            return DecodeResult::failure(QStringLiteral("%1: bad trade price or qty").arg(instrument->symbol));
        const DecimalParse qty = json::decimalAt(number, instrument->qtyScale);
        if (!qty)
            return DecodeResult::failure(QStringLiteral("%1: bad trade qty").arg(instrument->symbol));
        trade.price = price.mantissa;
        trade.qty = qty.mantissa;
        print.reset();
        std::uint64_t id = 0;
        if (!print["trade_id"].get_uint64().get(id))
            trade.tradeId = id;
        print.reset();
        trade.exchangeTimeUs = isoMicros(stringOf(print, "timestamp"));
        sink.onTrade(trade);
    }
    return DecodeResult::ok();
}

DecodeResult KrakenV2Protocol::decodeTickers(array data, EventSink &sink)
{
    for (auto element : data) {
        object t;
        if (element.get_object().get(t))
            return DecodeResult::failure(QStringLiteral("malformed ticker"));
        LocalInstrument local = 0;
        const Instrument *instrument = find(stringOf(t, "symbol"), local);
        if (!instrument)
            continue;
        Ticker ticker;
        ticker.instrument = local;
        const auto price = [&](std::string_view key) -> std::int64_t {
            t.reset();
            value v;
            if (t[key].get(v))
                return kNoPrice;
            const DecimalParse p = json::decimalAt(v, instrument->priceScale);
            return p ? p.mantissa : kNoPrice;
        };
        ticker.last = price("last");
        ticker.high24h = price("high");
        ticker.low24h = price("low");
        const std::int64_t change = price("change");
        if (ticker.last != kNoPrice && change != kNoPrice)
            ticker.open24h = ticker.last - change; // exact: both at the pair's precision
        t.reset();
        value volume;
        if (!t["volume"].get(volume)) {
            if (const DecimalParse v = json::decimalAt(volume, instrument->qtyScale))
                ticker.volume24h = v.mantissa;
        }
        t.reset();
        ticker.exchangeTimeUs = isoMicros(stringOf(t, "timestamp"));
        sink.onTicker(ticker);
    }
    return DecodeResult::ok();
}

} // namespace tickscope
