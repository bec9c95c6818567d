#include "krakenv1protocol.h"

#include "krakenchecksum.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <charconv>
#include <limits>

namespace tickscope {

namespace {

using json::qstring;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

/// Digits after the point in decimal text ("56218.30000" → 5, "35" → 0, "" → -1).
int digitsOf(std::string_view text)
{
    if (text.empty())
        return -1;
    const std::size_t point = text.find('.');
    if (point == std::string_view::npos)
        return 0;
    return static_cast<int>(std::min<std::size_t>(text.size() - point - 1, kMaxDecimalScale));
}

/// Kraken v1 time ("1618678142.557535", seconds with microseconds) in microseconds, 0 if unreadable.
std::int64_t krakenMicros(std::string_view text)
{
    const DecimalParse t = parseDecimal(text, 6);
    return t ? t.mantissa : 0;
}

/// `mantissa` at scale `from` rewritten at scale `to` (exact when growing; shrinking drops digits
/// the text did not have); nothing on overflow.
std::optional<std::int64_t> rescale(std::int64_t mantissa, int from, int to)
{
    if (to == from)
        return mantissa;
    if (to < from)
        return mantissa / pow10(from - to);
    if (to - from > 18)
        return std::nullopt;
    const std::int64_t factor = pow10(to - from);
    if (mantissa > std::numeric_limits<std::int64_t>::max() / factor)
        return std::nullopt;
    return mantissa * factor;
}

/// The first `count` strings of a JSON array (fewer when it is shorter); false if one of them is
/// not a string.
template<std::size_t N> bool leadingStrings(value v, std::array<std::string_view, N> &out, std::size_t &count)
{
    array list;
    if (v.get_array().get(list))
        return false;
    count = 0;
    for (auto element : list) {
        if (count == N)
            break;
        if (element.get_string().get(out[count]))
            return false;
        ++count;
    }
    return true;
}

/// The element at `index` of a JSON array as a string (numbers as their token), empty if absent.
std::string_view elementText(simdjson::simdjson_result<value> v, std::size_t index)
{
    array list;
    if (v.get_array().get(list))
        return {};
    std::size_t i = 0;
    for (auto element : list) {
        if (i++ != index)
            continue;
        value item;
        if (element.get(item))
            return {};
        return json::decimalText(item).value_or(std::string_view {});
    }
    return {};
}

} // namespace

KrakenV1Protocol::KrakenV1Protocol(QUrl url, QStringList symbols, std::vector<Instrument> catalog, int depth)
    : m_url(std::move(url))
    , m_wanted(std::move(symbols))
    , m_depth(depth)
    , m_catalog(std::move(catalog))
{
    for (std::size_t i = 0; i < m_catalog.size(); ++i)
        m_catalogIndex.emplace(m_catalog[i].symbol.toStdString(), i);
    for (const QString &symbol : std::as_const(m_wanted)) {
        if (m_index.contains(symbol.toStdString()))
            continue;
        m_index.emplace(symbol.toStdString(), static_cast<LocalInstrument>(m_table.size()));
        m_table.push_back(describe(symbol, {}, {}));
        m_digits.push_back({});
    }
}

void KrakenV1Protocol::reset()
{
    if (!m_wanted.isEmpty())
        return; // the fixed table (and the digits learned for it) stays
    m_table.clear();
    m_digits.clear();
    m_index.clear();
}

std::vector<Instrument> KrakenV1Protocol::fixedInstruments() const
{
    return m_wanted.isEmpty() ? std::vector<Instrument> {} : m_table;
}

Instrument KrakenV1Protocol::describe(const QString &symbol, std::string_view priceText, std::string_view qtyText) const
{
    if (const auto it = m_catalogIndex.find(symbol.toStdString()); it != m_catalogIndex.end()) {
        Instrument known = m_catalog[it->second];
        known.venue = venue();
        return known;
    }
    Instrument out;
    out.venue = venue();
    out.symbol = symbol;
    out.base = symbol.section(QLatin1Char('/'), 0, 0);
    out.quote = symbol.section(QLatin1Char('/'), 1);
    out.displayName = out.quote.isEmpty() ? symbol : out.base + QStringLiteral(" / ") + out.quote;
    // Unknown pair: v1 writes decimals at the pair's fixed precision, so the text tells it.
    const int priceDigits = digitsOf(priceText);
    const int qtyDigits = digitsOf(qtyText);
    out.priceScale = priceDigits >= 0 ? priceDigits : 8;
    out.qtyScale = qtyDigits >= 0 ? qtyDigits : 8;
    return out;
}

const Instrument *KrakenV1Protocol::resolve(const std::string &pair, std::string_view priceText,
                                            std::string_view qtyText, LocalInstrument &local, EventSink &sink)
{
    if (const auto it = m_index.find(pair); it != m_index.end()) {
        local = it->second;
        return &m_table[local];
    }
    if (!m_wanted.isEmpty() || pair.empty())
        return nullptr;
    local = static_cast<LocalInstrument>(m_table.size());
    m_index.emplace(pair, local);
    m_table.push_back(describe(QString::fromStdString(pair), priceText, qtyText));
    m_digits.push_back({});
    sink.onInstruments(m_table);
    return &m_table[local];
}

QByteArray KrakenV1Protocol::request(const char *event, const char *name, const QStringList &symbols, int depth)
{
    QJsonObject subscription {{QStringLiteral("name"), QLatin1String(name)}};
    if (depth > 0)
        subscription.insert(QStringLiteral("depth"), depth);
    return QJsonDocument(QJsonObject {{QStringLiteral("event"), QLatin1String(event)},
                                      {QStringLiteral("pair"), QJsonArray::fromStringList(symbols)},
                                      {QStringLiteral("subscription"), subscription}})
        .toJson(QJsonDocument::Compact);
}

std::vector<OutgoingFrame> KrakenV1Protocol::subscribeFrames(const QStringList &symbols)
{
    if (symbols.isEmpty())
        return {};
    return {{request("subscribe", "book", symbols, m_depth), false},
            {request("subscribe", "ticker", symbols), false},
            {request("subscribe", "trade", symbols), false}};
}

std::vector<OutgoingFrame> KrakenV1Protocol::unsubscribeFrames(const QStringList &symbols)
{
    if (symbols.isEmpty())
        return {};
    return {{request("unsubscribe", "book", symbols, m_depth), false},
            {request("unsubscribe", "ticker", symbols), false},
            {request("unsubscribe", "trade", symbols), false}};
}

std::vector<OutgoingFrame> KrakenV1Protocol::resyncFrames(const QString &symbol)
{
    // v1 answers a book subscription with a fresh snapshot: unsubscribe and subscribe that pair.
    return {{request("unsubscribe", "book", {symbol}, m_depth), false},
            {request("subscribe", "book", {symbol}, m_depth), false}};
}

HeartbeatPolicy KrakenV1Protocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // Kraken sends {"event":"heartbeat"} about once a second when a subscription is quiet.
    policy.pingInterval = std::chrono::milliseconds(10000);
    policy.pongTimeout = std::chrono::milliseconds(10000);
    policy.silenceTimeout = std::chrono::milliseconds(5000);
    return policy;
}

std::optional<std::uint32_t> KrakenV1Protocol::checksumOf(const OrderBook &book) const
{
    if (m_checksumPair >= m_table.size())
        return std::nullopt;
    const WireDigits digits = m_digits[m_checksumPair];
    if (digits.price < 0 || digits.qty < 0)
        return std::nullopt; // no text of this pair seen yet: nothing to compare
    const Instrument &instrument = m_table[m_checksumPair];
    // The checksum covers the digits as the venue writes them: the book's mantissas at the
    // instrument's scales, rewritten at the wire's.
    std::array<kraken::ChecksumLevel, 10> asks;
    std::array<kraken::ChecksumLevel, 10> bids;
    std::size_t askCount = 0;
    std::size_t bidCount = 0;
    for (const BookSide side : {BookSide::Ask, BookSide::Bid}) {
        book.top(side, 10, m_top);
        auto &out = side == BookSide::Ask ? asks : bids;
        std::size_t &count = side == BookSide::Ask ? askCount : bidCount;
        for (const Level &level : m_top) {
            const auto price = rescale(level.price, instrument.priceScale, digits.price);
            const auto qty = rescale(level.qty, instrument.qtyScale, digits.qty);
            if (!price || !qty)
                return std::nullopt;
            out[count++] = {*price, *qty};
        }
    }
    return kraken::bookChecksum(std::span(asks.data(), askCount), std::span(bids.data(), bidCount));
}

DecodeResult KrakenV1Protocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (binary)
        return DecodeResult::failure(QStringLiteral("binary frame (Kraken sends text)"));
    auto document = m_parser.parse(frame);
    simdjson::ondemand::json_type type;
    if (document.type().get(type))
        return DecodeResult::failure(QStringLiteral("not JSON (%1 bytes)").arg(frame.size()));
    if (type == simdjson::ondemand::json_type::object) {
        object event;
        if (document.get_object().get(event))
            return DecodeResult::failure(QStringLiteral("malformed event"));
        return decodeEvent(event, sink);
    }
    if (type != simdjson::ondemand::json_type::array)
        return DecodeResult::failure(QStringLiteral("neither an event nor a channel message"));

    // The channel name and pair close the message, after the payload: read them first, then the
    // payload knowing what it is (on-demand parsing reads forward, hence two passes).
    array message;
    if (document.get_array().get(message))
        return DecodeResult::failure(QStringLiteral("malformed channel message"));
    std::size_t count = 0;
    std::string_view names[2];
    std::size_t nameAt[2] = {0, 0};
    for (auto element : message) {
        value item;
        simdjson::ondemand::json_type itemType;
        if (element.get(item) || item.type().get(itemType))
            return DecodeResult::failure(QStringLiteral("malformed channel message"));
        if (itemType == simdjson::ondemand::json_type::string) {
            names[0] = names[1];
            nameAt[0] = nameAt[1];
            if (item.get_string().get(names[1]))
                return DecodeResult::failure(QStringLiteral("malformed channel message"));
            nameAt[1] = count;
        }
        ++count;
    }
    if (count < 4 || nameAt[1] != count - 1 || nameAt[0] != count - 2)
        return DecodeResult::failure(QStringLiteral("channel message without channel name and pair"));
    m_channelName.assign(names[0]);
    m_pair.assign(names[1]);
    if (document.rewind() || document.get_array().get(message))
        return DecodeResult::failure(QStringLiteral("malformed channel message"));
    if (m_channelName.starts_with("book")) {
        int depth = 0;
        const char *digits = m_channelName.data() + 4 + (m_channelName.size() > 4 && m_channelName[4] == '-' ? 1 : 0);
        const char *end = m_channelName.data() + m_channelName.size();
        // A replay keeps its books at the depth the recording subscribed to ("book-1000"): cut
        // shallower, a level coming up from below the cut would be missing from the checksum.
        if (m_wanted.isEmpty() && std::from_chars(digits, end, depth).ptr == end && depth > 0)
            m_depth = depth;
        return decodeBook(message, count, sink);
    }
    if (m_channelName == "trade")
        return decodeTrades(message, sink);
    if (m_channelName == "ticker")
        return decodeTicker(message, sink);
    return DecodeResult::failure(QStringLiteral("unknown channel '%1'").arg(QString::fromStdString(m_channelName)));
}

DecodeResult KrakenV1Protocol::decodeEvent(object event, EventSink &sink)
{
    // systemStatus carries a connectionID beyond 2^63: it is skipped, never read as a number.
    std::string_view name;
    if (event["event"].get_string().get(name))
        return DecodeResult::failure(QStringLiteral("object without event"));
    const std::string kind(name);
    if (kind == "heartbeat") {
        sink.onStatus({VenueStatus::Kind::Heartbeat, 0, {}, 0, 0});
        return DecodeResult::ok();
    }
    const auto text = [&event](std::string_view key) {
        event.reset();
        std::string_view out;
        return event[key].get_string().get(out) ? QString() : qstring(out);
    };
    VenueStatus status;
    status.kind = VenueStatus::Kind::Error;
    if (kind == "systemStatus") {
        const QString state = text("status");
        if (state == QLatin1String("online"))
            return DecodeResult::ignored();
        status.message = QStringLiteral("system status: %1").arg(state);
    } else if (kind == "subscriptionStatus") {
        if (text("status") != QLatin1String("error"))
            return DecodeResult::ignored();
        status.message = text("errorMessage");
    } else if (kind == "error") {
        status.message = text("errorMessage");
    } else {
        return DecodeResult::ignored(); // pong, and events added later
    }
    sink.onStatus(status);
    return DecodeResult::ignored();
}

DecodeResult KrakenV1Protocol::decodeBook(array message, std::size_t count, EventSink &sink)
{
    m_rawAsks.clear();
    m_rawBids.clear();
    bool snapshot = false;
    bool update = false;
    std::string_view checksumText;
    std::int64_t timeUs = 0;
    std::size_t index = 0;
    for (auto element : message) {
        const std::size_t at = index++;
        if (at == 0 || at + 2 >= count)
            continue; // channelID, channel name, pair
        object part;
        if (element.get_object().get(part))
            return DecodeResult::failure(QStringLiteral("%1: book payload is not an object").arg(qstring(m_pair)));
        for (auto entry : part) {
            std::string_view key;
            if (entry.unescaped_key().get(key))
                return DecodeResult::failure(QStringLiteral("%1: malformed book payload").arg(qstring(m_pair)));
            if (key == "c") {
                if (entry.value().get_string().get(checksumText))
                    return DecodeResult::failure(QStringLiteral("%1: checksum is not a string").arg(qstring(m_pair)));
                continue;
            }
            const bool asks = key == "as" || key == "a";
            if (!asks && key != "bs" && key != "b")
                continue;
            (key.size() == 2 ? snapshot : update) = true;
            array levels;
            if (entry.value().get_array().get(levels))
                return DecodeResult::failure(QStringLiteral("%1: book side is not an array").arg(qstring(m_pair)));
            for (auto levelElement : levels) {
                // [price, volume, timestamp] (+ "r" when republished: applied like any update)
                std::array<std::string_view, 3> fields;
                std::size_t n = 0;
                value level;
                if (levelElement.get(level) || !leadingStrings(level, fields, n) || n < 2)
                    return DecodeResult::failure(QStringLiteral("%1: malformed book level").arg(qstring(m_pair)));
                (asks ? m_rawAsks : m_rawBids).push_back({fields[0], fields[1]});
                if (n == 3)
                    timeUs = std::max(timeUs, krakenMicros(fields[2]));
            }
        }
    }
    if (snapshot == update)
        return DecodeResult::failure(
            QStringLiteral("%1: book message that is neither snapshot nor update").arg(qstring(m_pair)));
    const RawLevel *first = !m_rawAsks.empty() ? &m_rawAsks.front() : m_rawBids.empty() ? nullptr : &m_rawBids.front();
    LocalInstrument local = 0;
    const Instrument *instrument = resolve(m_pair, first ? first->price : std::string_view {},
                                           first ? first->qty : std::string_view {}, local, sink);
    if (!instrument)
        return DecodeResult::ok(); // a pair we do not follow
    WireDigits &digits = m_digits[local];
    if (first && (snapshot || digits.price < 0)) {
        digits.price = digitsOf(first->price);
        digits.qty = digitsOf(first->qty);
    }
    std::optional<std::uint32_t> checksum;
    if (!checksumText.empty()) {
        std::uint64_t c = 0;
        const auto [end, ec] = std::from_chars(checksumText.data(), checksumText.data() + checksumText.size(), c);
        if (ec != std::errc() || end != checksumText.data() + checksumText.size() || c > 0xFFFFFFFFu)
            return DecodeResult::failure(
                QStringLiteral("%1: bad checksum '%2'").arg(instrument->symbol, qstring(checksumText)));
        checksum = static_cast<std::uint32_t>(c);
    }
    std::vector<Level> &bids = snapshot ? m_snapshot.bids : m_delta.bids;
    std::vector<Level> &asks = snapshot ? m_snapshot.asks : m_delta.asks;
    snapshot ? m_snapshot.clear() : m_delta.clear();
    for (const auto &[raw, out] : {std::pair {&m_rawAsks, &asks}, std::pair {&m_rawBids, &bids}}) {
        for (const RawLevel &level : *raw) {
            const DecimalParse price = parseDecimal(level.price, instrument->priceScale);
            const DecimalParse qty = parseDecimal(level.qty, instrument->qtyScale);
            if (!price || !qty)
                return DecodeResult::failure(QStringLiteral("%1: bad level %2 %3")
                                                 .arg(instrument->symbol, qstring(level.price), qstring(level.qty)));
            out->push_back({price.mantissa, qty.mantissa});
        }
    }
    m_checksumPair = local;
    if (snapshot) {
        m_snapshot.instrument = local;
        m_snapshot.exchangeTimeUs = timeUs;
        m_snapshot.checksum = checksum; // v1 sends none with snapshots
        sink.onSnapshot(m_snapshot);
    } else {
        m_delta.instrument = local;
        m_delta.exchangeTimeUs = timeUs;
        m_delta.checksum = checksum;
        sink.onDelta(m_delta);
    }
    return DecodeResult::ok();
}

DecodeResult KrakenV1Protocol::decodeTrades(array message, EventSink &sink)
{
    std::size_t index = 0;
    for (auto element : message) {
        if (index++ != 1)
            continue;
        array prints;
        if (element.get_array().get(prints))
            return DecodeResult::failure(QStringLiteral("%1: trade payload is not an array").arg(qstring(m_pair)));
        const Instrument *instrument = nullptr;
        LocalInstrument local = 0;
        for (auto printElement : prints) {
            // [price, volume, time, side, orderType, misc]
            std::array<std::string_view, 4> fields;
            std::size_t n = 0;
            value print;
            if (printElement.get(print) || !leadingStrings(print, fields, n) || n < 4)
                return DecodeResult::failure(QStringLiteral("%1: malformed trade").arg(qstring(m_pair)));
            if (!instrument) {
                instrument = resolve(m_pair, fields[0], fields[1], local, sink);
                if (!instrument)
                    return DecodeResult::ok(); // a pair we do not follow
            }
            const DecimalParse price = parseDecimal(fields[0], instrument->priceScale);
            const DecimalParse qty = parseDecimal(fields[1], instrument->qtyScale);
            if (!price || !qty)
                return DecodeResult::failure(QStringLiteral("%1: bad trade price or volume").arg(instrument->symbol));
            Trade trade;
            trade.instrument = local;
            trade.price = price.mantissa;
            trade.qty = qty.mantissa;
            trade.exchangeTimeUs = krakenMicros(fields[2]);
            trade.side = fields[3] == "s" ? Side::Sell : Side::Buy; // the taker's side
            sink.onTrade(trade);
        }
        return DecodeResult::ok();
    }
    return DecodeResult::failure(QStringLiteral("%1: trade message without payload").arg(qstring(m_pair)));
}

DecodeResult KrakenV1Protocol::decodeTicker(array message, EventSink &sink)
{
    std::size_t index = 0;
    for (auto element : message) {
        if (index++ != 1)
            continue;
        object payload;
        if (element.get_object().get(payload))
            return DecodeResult::failure(QStringLiteral("%1: ticker payload is not an object").arg(qstring(m_pair)));
        // c = [last price, lot volume]; v, h, l, o = [today, last 24 hours].
        std::string_view last;
        std::string_view volume;
        std::string_view high;
        std::string_view low;
        std::string_view open;
        for (auto entry : payload) {
            std::string_view key;
            if (entry.unescaped_key().get(key))
                return DecodeResult::failure(QStringLiteral("%1: malformed ticker").arg(qstring(m_pair)));
            if (key == "c")
                last = elementText(entry.value(), 0);
            else if (key == "v")
                volume = elementText(entry.value(), 1);
            else if (key == "h")
                high = elementText(entry.value(), 1);
            else if (key == "l")
                low = elementText(entry.value(), 1);
            else if (key == "o")
                open = elementText(entry.value(), 1);
        }
        if (last.empty())
            return DecodeResult::failure(QStringLiteral("%1: ticker without last price").arg(qstring(m_pair)));
        LocalInstrument local = 0;
        const Instrument *instrument = resolve(m_pair, last, volume, local, sink);
        if (!instrument)
            return DecodeResult::ok();
        const DecimalParse lastPrice = parseDecimal(last, instrument->priceScale);
        if (!lastPrice)
            return DecodeResult::failure(
                QStringLiteral("%1: bad ticker price '%2'").arg(instrument->symbol, qstring(last)));
        const auto price = [&](std::string_view text) {
            const DecimalParse p = parseDecimal(text, instrument->priceScale);
            return p ? p.mantissa : kNoPrice;
        };
        Ticker ticker;
        ticker.instrument = local;
        ticker.last = lastPrice.mantissa;
        ticker.high24h = price(high);
        ticker.low24h = price(low);
        ticker.open24h = price(open);
        if (const DecimalParse v = parseDecimal(volume, instrument->qtyScale))
            ticker.volume24h = v.mantissa;
        sink.onTicker(ticker);
        return DecodeResult::ok();
    }
    return DecodeResult::failure(QStringLiteral("%1: ticker message without payload").arg(qstring(m_pair)));
}

QUrl KrakenV1Protocol::instrumentListUrl(QUrl restBase)
{
    QString path = restBase.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    restBase.setPath(path + QStringLiteral("/0/public/AssetPairs"));
    return restBase;
}

std::vector<Instrument> KrakenV1Protocol::parseInstrumentList(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::vector<Instrument> {};
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(QStringLiteral("AssetPairs response is not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject root = document.object();
    QStringList errors;
    for (const QJsonValue &e : root.value(QLatin1String("error")).toArray())
        errors.append(e.toString());
    if (!errors.isEmpty())
        return fail(QStringLiteral("AssetPairs error: %1").arg(errors.join(QStringLiteral("; "))));
    const QJsonValue result = root.value(QLatin1String("result"));
    if (!result.isObject())
        return fail(QStringLiteral("AssetPairs response without result"));
    std::vector<Instrument> out;
    const QJsonObject pairs = result.toObject();
    for (auto it = pairs.begin(); it != pairs.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        const QString wsname = p.value(QLatin1String("wsname")).toString();
        if (wsname.isEmpty() || p.value(QLatin1String("status")).toString() == QLatin1String("delisted"))
            continue; // not on the WebSocket API
        const QJsonValue pairDecimals = p.value(QLatin1String("pair_decimals"));
        const QJsonValue lotDecimals = p.value(QLatin1String("lot_decimals"));
        if (!pairDecimals.isDouble() || !lotDecimals.isDouble())
            continue;
        const int priceScale = pairDecimals.toInt(-1);
        const int qtyScale = lotDecimals.toInt(-1);
        if (priceScale < 0 || priceScale > kMaxDecimalScale || qtyScale < 0 || qtyScale > kMaxDecimalScale)
            continue;
        Instrument instrument;
        instrument.venue = QStringLiteral("kraken-v1");
        instrument.symbol = wsname;
        instrument.base = wsname.section(QLatin1Char('/'), 0, 0);
        instrument.quote = wsname.section(QLatin1Char('/'), 1);
        instrument.displayName = instrument.base + QStringLiteral(" / ") + instrument.quote;
        instrument.priceScale = priceScale;
        instrument.qtyScale = qtyScale;
        const DecimalParse tick
            = parseDecimal(p.value(QLatin1String("tick_size")).toString().toStdString(), priceScale);
        instrument.tickSize = tick && tick.mantissa > 0 ? tick.mantissa : 1;
        instrument.lotSize = 1;
        out.push_back(std::move(instrument));
    }
    if (error)
        error->clear();
    return out;
}

QString KrakenV1Protocol::v2SymbolFromWsName(const QString &wsname)
{
    const auto rename = [](const QString &asset) {
        if (asset == QLatin1String("XBT"))
            return QStringLiteral("BTC");
        if (asset == QLatin1String("XDG"))
            return QStringLiteral("DOGE");
        return asset;
    };
    QStringList parts = wsname.split(QLatin1Char('/'));
    for (QString &part : parts)
        part = rename(part);
    return parts.join(QLatin1Char('/'));
}

} // namespace tickscope
