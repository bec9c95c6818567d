#include "coinbaseprotocol.h"

#include "instrumentcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>

namespace tickscope {

namespace {

using json::isoMicros;
using json::qstring;
using json::stringOf;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

/// The decimal (string or number) under `key` at `scale`.
DecimalParse decimalField(object &o, std::string_view key, int scale)
{
    o.reset();
    value v;
    if (o[key].get(v))
        return {0, DecimalError::Empty};
    return json::decimalAt(v, scale);
}

/// An optional price field: kNoPrice when absent or unreadable.
std::int64_t optionalPrice(object &o, std::string_view key, int scale)
{
    const DecimalParse p = decimalField(o, key, scale);
    return p ? p.mantissa : kNoPrice;
}

} // namespace

CoinbaseProtocol::CoinbaseProtocol(QUrl url, QStringList symbols, std::vector<Instrument> catalog)
    : m_url(std::move(url))
    , m_table(QStringLiteral("coinbase"), std::move(catalog), std::move(symbols), 8, 8)
{ }

void CoinbaseProtocol::reset()
{
    m_table.reset();
    m_heartbeatsSubscribed = false;
    m_haveSequence = false;
    m_lastSequence = 0;
    m_bookSequence.clear();
}

std::vector<Instrument> CoinbaseProtocol::fixedInstruments() const
{
    return m_table.learning() ? std::vector<Instrument> {} : m_table.instruments();
}

QByteArray CoinbaseProtocol::request(const char *type, const char *channel, const QStringList &symbols)
{
    QJsonObject message {{QStringLiteral("type"), QLatin1String(type)}};
    if (!symbols.isEmpty())
        message.insert(QStringLiteral("product_ids"), QJsonArray::fromStringList(symbols));
    message.insert(QStringLiteral("channel"), QLatin1String(channel));
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

std::vector<OutgoingFrame> CoinbaseProtocol::subscribeFrames(const QStringList &symbols)
{
    std::vector<OutgoingFrame> frames;
    if (!symbols.isEmpty()) {
        frames.push_back({request("subscribe", "level2", symbols), false});
        frames.push_back({request("subscribe", "ticker", symbols), false});
        frames.push_back({request("subscribe", "market_trades", symbols), false});
    }
    if (!m_heartbeatsSubscribed) {
        // Once a second on every connection: quiet products do not make the link look dead.
        frames.push_back({request("subscribe", "heartbeats", {}), false});
        m_heartbeatsSubscribed = true;
    }
    return frames;
}

std::vector<OutgoingFrame> CoinbaseProtocol::unsubscribeFrames(const QStringList &symbols)
{
    if (symbols.isEmpty())
        return {};
    return {{request("unsubscribe", "level2", symbols), false},
            {request("unsubscribe", "ticker", symbols), false},
            {request("unsubscribe", "market_trades", symbols), false}};
}

void CoinbaseProtocol::beginResync(const QString &symbol)
{
    LocalInstrument local = 0;
    if (m_table.find(symbol.toStdString(), local))
        bookSequence(local) = 0; // updates before the fresh snapshot cannot apply
}

std::vector<OutgoingFrame> CoinbaseProtocol::resyncFrames(const QString &symbol)
{
    // The live connection does not call beginResync(): the book waits for its snapshot from here.
    beginResync(symbol);
    // level2 answers a subscription with a fresh snapshot of the product.
    return {{request("unsubscribe", "level2", {symbol}), false}, {request("subscribe", "level2", {symbol}), false}};
}

HeartbeatPolicy CoinbaseProtocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // The heartbeats channel speaks once a second.
    policy.pingInterval = std::chrono::milliseconds(10000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(5000);
    return policy;
}

std::uint64_t &CoinbaseProtocol::bookSequence(LocalInstrument local)
{
    if (local >= m_bookSequence.size())
        m_bookSequence.resize(local + 1, 0);
    return m_bookSequence[local];
}

void CoinbaseProtocol::emitSnapshot(LocalInstrument local, EventSink &sink)
{
    std::uint64_t &sequence = bookSequence(local);
    sequence = 1;
    m_snapshot.instrument = local;
    m_snapshot.sequence = sequence;
    sink.onSnapshot(m_snapshot);
}

void CoinbaseProtocol::emitDelta(LocalInstrument local, EventSink &sink)
{
    std::uint64_t &sequence = bookSequence(local);
    m_delta.instrument = local;
    // No snapshot on this connection yet (or a resync under way): no sequence, the engine drops
    // the update because the book is not in sync.
    m_delta.sequence = sequence == 0 ? 0 : ++sequence;
    sink.onDelta(m_delta);
}

void CoinbaseProtocol::checkSequence(std::uint64_t sequence, EventSink &sink)
{
    if (m_haveSequence && sequence > m_lastSequence + 1) {
        ++m_sequenceGaps;
        VenueStatus status;
        status.kind = VenueStatus::Kind::SequenceGap;
        status.message = QStringLiteral("sequence_num skipped from %1 to %2").arg(m_lastSequence).arg(sequence);
        status.expected = m_lastSequence + 1;
        status.received = sequence;
        sink.onStatus(status);
        // The lost frames may have touched any book: each book in sync gets an update whose
        // sequence skips one, so the engine finds the gap, counts it and resyncs that book.
        for (LocalInstrument local = 0; local < m_bookSequence.size(); ++local) {
            if (m_bookSequence[local] == 0)
                continue;
            m_delta.clear();
            m_delta.instrument = local;
            m_delta.sequence = m_bookSequence[local] + 2;
            m_bookSequence[local] = 0;
            sink.onDelta(m_delta);
        }
    }
    // A number that does not move forward (the venue's documented samples all say 0) loses nothing.
    m_haveSequence = true;
    m_lastSequence = std::max(m_lastSequence, sequence);
}

DecodeResult CoinbaseProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (Coinbase sends text)"));
    auto document = m_parser.parse(frame);
    object root;
    if (document.get_object().get(root))
        return DecodeResult::failure(QStringLiteral("not a JSON object (%1 bytes)").arg(frame.size()));
    std::string_view channel;
    if (!root["channel"].get_string().get(channel))
        return decodeAdvancedTrade(root, channel, sink);
    root.reset();
    std::string_view type;
    if (!root["type"].get_string().get(type))
        return decodeExchange(root, type, sink);
    return DecodeResult::failure(QStringLiteral("message with neither channel nor type"));
}

DecodeResult CoinbaseProtocol::decodeAdvancedTrade(object root, std::string_view channel, EventSink &sink)
{
    const std::string ch(channel);
    root.reset();
    std::uint64_t sequence = 0;
    if (!root["sequence_num"].get_uint64().get(sequence))
        checkSequence(sequence, sink);
    if (ch == "heartbeats") {
        sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
        return DecodeResult::ok();
    }
    const bool book = ch == "l2_data";
    const bool tickers = ch == "ticker" || ch == "ticker_batch";
    const bool trades = ch == "market_trades";
    if (!book && !tickers && !trades)
        return DecodeResult::ignored(); // subscriptions, candles, status, and channels added later
    root.reset();
    const std::int64_t timeUs = isoMicros(stringOf(root, "timestamp"));
    root.reset();
    array events;
    if (root["events"].get_array().get(events))
        return DecodeResult::failure(QStringLiteral("%1 message without events").arg(QString::fromStdString(ch)));
    for (auto element : events) {
        object event;
        if (element.get_object().get(event))
            return DecodeResult::failure(QStringLiteral("%1: malformed event").arg(QString::fromStdString(ch)));
        const DecodeResult result = book ? decodeLevel2(event, timeUs, sink)
            : tickers                    ? decodeTickers(event, timeUs, sink)
                                         : decodeMarketTrades(event, sink);
        if (!result)
            return result;
    }
    return DecodeResult::ok();
}

DecodeResult CoinbaseProtocol::decodeLevel2(object event, std::int64_t timeUs, EventSink &sink)
{
    std::string_view type;
    if (event["type"].get_string().get(type) || (type != "snapshot" && type != "update"))
        return DecodeResult::failure(QStringLiteral("l2_data event without snapshot/update type"));
    const bool snapshot = type == "snapshot";
    event.reset();
    std::string_view product;
    if (event["product_id"].get_string().get(product))
        return DecodeResult::failure(QStringLiteral("l2_data event without product_id"));
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(product, local, sink);
    if (!instrument)
        return DecodeResult::ok(); // a product we do not follow
    event.reset();
    array updates;
    if (event["updates"].get_array().get(updates))
        return DecodeResult::failure(QStringLiteral("%1: l2_data event without updates").arg(instrument->symbol));
    snapshot ? m_snapshot.clear() : m_delta.clear();
    std::vector<Level> &bids = snapshot ? m_snapshot.bids : m_delta.bids;
    std::vector<Level> &asks = snapshot ? m_snapshot.asks : m_delta.asks;
    for (auto element : updates) {
        object update;
        std::string_view side;
        if (element.get_object().get(update) || update["side"].get_string().get(side))
            return DecodeResult::failure(QStringLiteral("%1: level without side").arg(instrument->symbol));
        // "bid" or "offer"; anything that is not a bid is an ask.
        const bool bid = side == "bid";
        const DecimalParse price = decimalField(update, "price_level", instrument->priceScale);
        const DecimalParse qty = decimalField(update, "new_quantity", instrument->qtyScale);
        if (!price || !qty)
            return DecodeResult::failure(QStringLiteral("%1: bad price_level or new_quantity").arg(instrument->symbol));
        (bid ? bids : asks).push_back({price.mantissa, qty.mantissa});
    }
    if (snapshot) {
        m_snapshot.exchangeTimeUs = timeUs;
        emitSnapshot(local, sink);
    } else {
        m_delta.exchangeTimeUs = timeUs;
        emitDelta(local, sink);
    }
    return DecodeResult::ok();
}

DecodeResult CoinbaseProtocol::decodeTickers(object event, std::int64_t timeUs, EventSink &sink)
{
    array tickers;
    if (event["tickers"].get_array().get(tickers))
        return DecodeResult::failure(QStringLiteral("ticker event without tickers"));
    for (auto element : tickers) {
        object t;
        std::string_view product;
        if (element.get_object().get(t) || t["product_id"].get_string().get(product))
            return DecodeResult::failure(QStringLiteral("ticker without product_id"));
        LocalInstrument local = 0;
        const Instrument *instrument = m_table.resolve(product, local, sink);
        if (!instrument)
            continue;
        Ticker ticker;
        ticker.instrument = local;
        const DecimalParse last = decimalField(t, "price", instrument->priceScale);
        if (!last)
            return DecodeResult::failure(QStringLiteral("%1: ticker without a valid price").arg(instrument->symbol));
        ticker.last = last.mantissa;
        ticker.high24h = optionalPrice(t, "high_24_h", instrument->priceScale);
        ticker.low24h = optionalPrice(t, "low_24_h", instrument->priceScale);
        // Advanced Trade gives the 24 h change only as a percentage: no exact open to derive.
        if (const DecimalParse volume = decimalField(t, "volume_24_h", instrument->qtyScale))
            ticker.volume24h = volume.mantissa;
        ticker.exchangeTimeUs = timeUs;
        sink.onTicker(ticker);
    }
    return DecodeResult::ok();
}

DecodeResult CoinbaseProtocol::decodeMarketTrades(object event, EventSink &sink)
{
    array trades;
    if (event["trades"].get_array().get(trades))
        return DecodeResult::failure(QStringLiteral("market_trades event without trades"));
    for (auto element : trades) {
        object print;
        std::string_view product;
        if (element.get_object().get(print) || print["product_id"].get_string().get(product))
            return DecodeResult::failure(QStringLiteral("trade without product_id"));
        LocalInstrument local = 0;
        const Instrument *instrument = m_table.resolve(product, local, sink);
        if (!instrument)
            continue;
        Trade trade;
        trade.instrument = local;
        const DecimalParse price = decimalField(print, "price", instrument->priceScale);
        const DecimalParse qty = decimalField(print, "size", instrument->qtyScale);
        if (!price || !qty)
            return DecodeResult::failure(QStringLiteral("%1: bad trade price or size").arg(instrument->symbol));
        trade.price = price.mantissa;
        trade.qty = qty.mantissa;
        print.reset();
        // The side is the maker's: a resting BUY was hit by a seller.
        trade.side = stringOf(print, "side") == "BUY" ? Side::Sell : Side::Buy;
        print.reset();
        const std::string_view id = stringOf(print, "trade_id");
        std::uint64_t tradeId = 0;
        if (std::from_chars(id.data(), id.data() + id.size(), tradeId).ec == std::errc())
            trade.tradeId = tradeId;
        print.reset();
        trade.exchangeTimeUs = isoMicros(stringOf(print, "time"));
        sink.onTrade(trade);
    }
    return DecodeResult::ok();
}

DecodeResult CoinbaseProtocol::decodeExchange(object root, std::string_view type, EventSink &sink)
{
    const std::string kind(type);
    if (kind == "heartbeat") {
        sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
        return DecodeResult::ok();
    }
    if (kind == "error") {
        VenueStatus status;
        status.kind = VenueStatus::Kind::Error;
        root.reset();
        status.message = qstring(stringOf(root, "message"));
        root.reset();
        if (const std::string_view reason = stringOf(root, "reason"); !reason.empty())
            status.message += QStringLiteral(": ") + qstring(reason);
        sink.onStatus(status);
        return DecodeResult::ignored();
    }
    const bool snapshot = kind == "snapshot";
    const bool update = kind == "l2update";
    const bool ticker = kind == "ticker";
    const bool match = kind == "match" || kind == "last_match";
    if (!snapshot && !update && !ticker && !match)
        return DecodeResult::ignored(); // subscriptions, and types added later

    root.reset();
    std::string_view product;
    if (root["product_id"].get_string().get(product))
        return DecodeResult::failure(QStringLiteral("%1 without product_id").arg(QString::fromStdString(kind)));
    LocalInstrument local = 0;
    const Instrument *instrument = m_table.resolve(product, local, sink);
    if (!instrument)
        return DecodeResult::ok();
    root.reset();
    const std::int64_t timeUs = isoMicros(stringOf(root, "time"));

    if (snapshot) {
        m_snapshot.clear();
        root.reset();
        if (!json::readLevels(root, "asks", *instrument, m_snapshot.asks))
            return DecodeResult::failure(QStringLiteral("%1: snapshot with malformed asks").arg(instrument->symbol));
        root.reset();
        if (!json::readLevels(root, "bids", *instrument, m_snapshot.bids))
            return DecodeResult::failure(QStringLiteral("%1: snapshot with malformed bids").arg(instrument->symbol));
        m_snapshot.exchangeTimeUs = timeUs;
        emitSnapshot(local, sink);
        return DecodeResult::ok();
    }
    if (update) {
        m_delta.clear();
        root.reset();
        array changes;
        if (root["changes"].get_array().get(changes))
            return DecodeResult::failure(QStringLiteral("%1: l2update without changes").arg(instrument->symbol));
        for (auto element : changes) {
            array change;
            if (element.get_array().get(change))
                return DecodeResult::failure(QStringLiteral("%1: malformed change").arg(instrument->symbol));
            bool bid = false;
            Level level;
            int index = 0;
            for (auto field : change) {
                value v;
                if (field.get(v))
                    return DecodeResult::failure(QStringLiteral("%1: malformed change").arg(instrument->symbol));
                if (index == 0) {
                    std::string_view side;
                    if (v.get_string().get(side))
                        return DecodeResult::failure(QStringLiteral("%1: change without side").arg(instrument->symbol));
                    bid = side == "buy";
                } else if (index <= 2) {
                    const DecimalParse d
                        = json::decimalAt(v, index == 1 ? instrument->priceScale : instrument->qtyScale);
                    if (!d)
                        return DecodeResult::failure(
                            QStringLiteral("%1: bad change price or size").arg(instrument->symbol));
                    (index == 1 ? level.price : level.qty) = d.mantissa;
                }
                ++index;
            }
            if (index < 3)
                return DecodeResult::failure(QStringLiteral("%1: short change").arg(instrument->symbol));
            (bid ? m_delta.bids : m_delta.asks).push_back(level);
        }
        m_delta.exchangeTimeUs = timeUs;
        emitDelta(local, sink);
        return DecodeResult::ok();
    }
    if (ticker) {
        Ticker t;
        t.instrument = local;
        const DecimalParse last = decimalField(root, "price", instrument->priceScale);
        if (!last)
            return DecodeResult::failure(QStringLiteral("%1: ticker without a valid price").arg(instrument->symbol));
        t.last = last.mantissa;
        t.open24h = optionalPrice(root, "open_24h", instrument->priceScale);
        t.high24h = optionalPrice(root, "high_24h", instrument->priceScale);
        t.low24h = optionalPrice(root, "low_24h", instrument->priceScale);
        if (const DecimalParse volume = decimalField(root, "volume_24h", instrument->qtyScale))
            t.volume24h = volume.mantissa;
        t.exchangeTimeUs = timeUs;
        sink.onTicker(t);
        return DecodeResult::ok();
    }
    Trade trade;
    trade.instrument = local;
    const DecimalParse price = decimalField(root, "price", instrument->priceScale);
    const DecimalParse qty = decimalField(root, "size", instrument->qtyScale);
    if (!price || !qty)
        return DecodeResult::failure(QStringLiteral("%1: bad match price or size").arg(instrument->symbol));
    trade.price = price.mantissa;
    trade.qty = qty.mantissa;
    root.reset();
    // The side of a match is the maker order's side: "sell" means a buyer took it (an up-tick).
    trade.side = stringOf(root, "side") == "buy" ? Side::Sell : Side::Buy;
    root.reset();
    std::uint64_t id = 0;
    if (!root["trade_id"].get_uint64().get(id))
        trade.tradeId = id;
    trade.exchangeTimeUs = timeUs;
    sink.onTrade(trade);
    return DecodeResult::ok();
}

QUrl CoinbaseProtocol::instrumentListUrl(QUrl restBase)
{
    QString path = restBase.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    restBase.setPath(path + QStringLiteral("/api/v3/brokerage/market/products"));
    return restBase;
}

std::vector<Instrument> CoinbaseProtocol::parseInstrumentList(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::vector<Instrument> {};
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("products list is not JSON: %1").arg(parseError.errorString()));
    const QJsonValue products = document.object().value(QLatin1String("products"));
    if (!products.isArray())
        return fail(QStringLiteral("products list without a products array"));
    std::vector<Instrument> out;
    for (const QJsonValue &entry : products.toArray()) {
        const QJsonObject p = entry.toObject();
        const QString symbol = p.value(QLatin1String("product_id")).toString();
        if (symbol.isEmpty() || p.value(QLatin1String("is_disabled")).toBool()
            || p.value(QLatin1String("trading_disabled")).toBool()
            || p.value(QLatin1String("status")).toString() == QLatin1String("delisted"))
            continue;
        // Book prices step by price_increment; older lists only give quote_increment.
        const QJsonValue priceField = p.contains(QLatin1String("price_increment"))
            ? p.value(QLatin1String("price_increment"))
            : p.value(QLatin1String("quote_increment"));
        Instrument instrument;
        if (!incrementToScale(priceField.toString(), instrument.priceScale, instrument.tickSize)
            || !incrementToScale(p.value(QLatin1String("base_increment")).toString(), instrument.qtyScale,
                                 instrument.lotSize))
            continue; // without precisions the product cannot be decoded exactly
        instrument.venue = QStringLiteral("coinbase");
        instrument.symbol = symbol;
        const auto text = [&p](const char *key, const char *fallback) {
            const QString first = p.value(QLatin1String(key)).toString();
            return first.isEmpty() ? p.value(QLatin1String(fallback)).toString() : first;
        };
        instrument.base = text("base_display_symbol", "base_currency_id");
        instrument.quote = text("quote_display_symbol", "quote_currency_id");
        if (instrument.base.isEmpty() || instrument.quote.isEmpty()) {
            instrument.base = symbol.section(QLatin1Char('-'), 0, 0);
            instrument.quote = symbol.section(QLatin1Char('-'), 1);
        }
        instrument.displayName = instrument.base + QStringLiteral(" / ") + instrument.quote;
        instrument.kind = p.value(QLatin1String("product_type")).toString() == QLatin1String("FUTURE")
            ? InstrumentKind::Future
            : InstrumentKind::Spot;
        out.push_back(std::move(instrument));
    }
    if (error)
        error->clear();
    return out;
}

} // namespace tickscope
