#include "demoprotocol.h"

#include "decimal.h"
#include "demo.pb.h"

namespace tickscope {

namespace {

constexpr int kMaxInstruments = 100000;

InstrumentKind kindFromWire(demo::InstrumentKind kind)
{
    switch (kind) {
    case demo::PERPETUAL:
        return InstrumentKind::Perpetual;
    case demo::FUTURE:
        return InstrumentKind::Future;
    case demo::FX:
        return InstrumentKind::Fx;
    default:
        return InstrumentKind::Spot;
    }
}

} // namespace

DemoProtocol::DemoProtocol(QUrl url)
    : m_url(std::move(url))
    , m_instrumentList(std::make_unique<demo::InstrumentList>())
{ }

DemoProtocol::~DemoProtocol() = default;

QString DemoProtocol::venue() const
{
    return QStringLiteral("demo");
}

void DemoProtocol::reset()
{
    m_instruments.clear();
    m_bySymbol.clear();
    m_lastSeq = 0;
}

HeartbeatPolicy DemoProtocol::heartbeat() const
{
    HeartbeatPolicy policy;
    // The server sends a Heartbeat after one quiet second, so three silent seconds mean trouble.
    policy.pingInterval = std::chrono::milliseconds(2000);
    policy.pongTimeout = std::chrono::milliseconds(5000);
    policy.silenceTimeout = std::chrono::milliseconds(5000);
    return policy;
}

std::vector<OutgoingFrame> DemoProtocol::subscribeFrames(const QStringList &symbols)
{
    return subscriptionFrames(symbols, true);
}

std::vector<OutgoingFrame> DemoProtocol::unsubscribeFrames(const QStringList &symbols)
{
    return subscriptionFrames(symbols, false);
}

std::vector<OutgoingFrame> DemoProtocol::subscriptionFrames(const QStringList &symbols, bool subscribe)
{
    demo::Envelope envelope;
    auto *ids = subscribe ? envelope.mutable_subscribe()->mutable_instrument_ids()
                          : envelope.mutable_unsubscribe()->mutable_instrument_ids();
    for (const QString &symbol : symbols) {
        const auto it = m_bySymbol.constFind(symbol);
        if (it != m_bySymbol.constEnd())
            ids->Add(*it);
    }
    // An empty list would mean "every instrument": only send it when that was asked for.
    if (ids->empty() && !symbols.isEmpty())
        return {};
    std::string bytes;
    envelope.SerializeToString(&bytes);
    return {OutgoingFrame {QByteArray::fromStdString(bytes), true}};
}

DecodeResult DemoProtocol::decodeInstruments(const char *data, std::size_t size, EventSink &sink)
{
    if (!m_instrumentList->ParseFromArray(data, static_cast<int>(size)))
        return DecodeResult::failure(QStringLiteral("malformed instrument list (%1 bytes)").arg(size));
    const auto &list = m_instrumentList->instruments();
    if (list.size() > kMaxInstruments)
        return DecodeResult::failure(QStringLiteral("instrument list too long (%1)").arg(list.size()));
    std::vector<Instrument> instruments;
    instruments.reserve(static_cast<std::size_t>(list.size()));
    QHash<QString, LocalInstrument> bySymbol;
    for (int i = 0; i < list.size(); ++i) {
        const demo::InstrumentInfo &info = list.Get(i);
        if (info.id() != static_cast<std::uint32_t>(i))
            return DecodeResult::failure(QStringLiteral("instrument %1 has id %2").arg(i).arg(info.id()));
        if (info.price_scale() > kMaxDecimalScale || info.qty_scale() > kMaxDecimalScale)
            return DecodeResult::failure(QStringLiteral("instrument %1: scale out of range").arg(i));
        if (info.symbol().empty())
            return DecodeResult::failure(QStringLiteral("instrument %1 has no symbol").arg(i));
        Instrument instrument;
        instrument.venue = venue();
        instrument.symbol = QString::fromStdString(info.symbol());
        instrument.displayName = QString::fromStdString(info.display_name());
        instrument.base = QString::fromStdString(info.base());
        instrument.quote = QString::fromStdString(info.quote());
        instrument.priceScale = static_cast<int>(info.price_scale());
        instrument.qtyScale = static_cast<int>(info.qty_scale());
        instrument.tickSize = info.tick_size() > 0 ? info.tick_size() : 1;
        instrument.lotSize = info.lot_size() > 0 ? info.lot_size() : 1;
        instrument.kind = kindFromWire(info.kind());
        if (bySymbol.contains(instrument.symbol))
            return DecodeResult::failure(QStringLiteral("duplicate symbol %1").arg(instrument.symbol));
        bySymbol.insert(instrument.symbol, static_cast<LocalInstrument>(i));
        instruments.push_back(std::move(instrument));
    }
    m_instruments = std::move(instruments);
    m_bySymbol = std::move(bySymbol);
    sink.onInstruments(m_instruments);
    return DecodeResult::ok();
}

namespace {

// Field numbers of feeds/proto/demo.proto.
enum EnvelopeField : std::uint32_t {
    kSeq = 1,
    kSendTime = 2,
    kInstruments = 10,
    kSubscribe = 11,
    kUnsubscribe = 12,
    kSnapshot = 13,
    kDelta = 14,
    kTrade = 15,
    kTicker = 16,
    kHeartbeat = 17,
    kError = 18,
};

enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

/// Minimal reader of the protobuf wire format over one buffer. Any malformation (truncated varint
/// or length, group wire types) sets `ok` to false and stops the reading.
struct WireReader
{
    const std::uint8_t *p;
    const std::uint8_t *end;
    bool ok = true;

    WireReader(const void *data, std::size_t size)
        : p(static_cast<const std::uint8_t *>(data))
        , end(p + size)
    { }
    bool atEnd() const { return p >= end; }

    std::uint64_t varint()
    {
        // Most varints of this protocol (tags, lengths, small ids) are one byte.
        if (p < end && *p < 0x80)
            return *p++;
        std::uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end)
                break;
            const std::uint8_t byte = *p++;
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0)
                return value;
        }
        ok = false;
        return 0;
    }
    /// Next field's number and wire type; false at the end or on error.
    bool next(std::uint32_t &field, std::uint32_t &type)
    {
        if (!ok || p >= end)
            return false;
        const std::uint64_t tag = varint();
        field = static_cast<std::uint32_t>(tag >> 3);
        type = static_cast<std::uint32_t>(tag & 7);
        if (field == 0)
            ok = false;
        return ok;
    }
    /// A length-delimited payload.
    bool bytes(const std::uint8_t *&data, std::size_t &size)
    {
        const std::uint64_t length = varint();
        if (!ok || length > static_cast<std::uint64_t>(end - p)) {
            ok = false;
            return false;
        }
        data = p;
        size = static_cast<std::size_t>(length);
        p += length;
        return true;
    }
    /// Skips a field of an unknown number (forward compatibility).
    void skip(std::uint32_t type)
    {
        const std::uint8_t *data = nullptr;
        std::size_t size = 0;
        switch (type) {
        case kVarint:
            varint();
            break;
        case kFixed64:
            if (end - p < 8)
                ok = false;
            else
                p += 8;
            break;
        case kLength:
            bytes(data, size);
            break;
        case kFixed32:
            if (end - p < 4)
                ok = false;
            else
                p += 4;
            break;
        default:
            ok = false; // groups are not used by this protocol
        }
    }
    /// Reads a varint field, or flags a wire-type mismatch.
    std::uint64_t varintField(std::uint32_t type)
    {
        if (type != kVarint) {
            ok = false;
            return 0;
        }
        return varint();
    }
    std::int64_t int64Field(std::uint32_t type) { return static_cast<std::int64_t>(varintField(type)); }
};

enum class LevelsStatus : std::uint8_t { Ok, Malformed, Negative };

/// Reads one Level message and appends it.
LevelsStatus readLevel(WireReader &outer, std::uint32_t type, std::vector<Level> &out)
{
    const std::uint8_t *data = nullptr;
    std::size_t size = 0;
    if (type != kLength || !outer.bytes(data, size))
        return LevelsStatus::Malformed;
    WireReader r(data, size);
    Level level;
    // Fast path for the canonical encoding (price, then qty); anything else takes the general loop.
    if (size >= 4 && data[0] == 0x08) {
        ++r.p;
        level.price = static_cast<std::int64_t>(r.varint());
        if (r.ok && r.p < r.end && *r.p == 0x10) {
            ++r.p;
            level.qty = static_cast<std::int64_t>(r.varint());
        }
    }
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    while (r.next(field, wire)) {
        if (field == 1)
            level.price = r.int64Field(wire);
        else if (field == 2)
            level.qty = r.int64Field(wire);
        else
            r.skip(wire);
    }
    if (!r.ok)
        return LevelsStatus::Malformed;
    if (level.qty < 0)
        return LevelsStatus::Negative;
    out.push_back(level);
    return LevelsStatus::Ok;
}

/// Reads a BookSnapshot or BookDelta body (same field layout).
template<typename Book> LevelsStatus readBook(const std::uint8_t *data, std::size_t size, Book &book, std::uint64_t &id)
{
    WireReader r(data, size);
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    while (r.next(field, wire)) {
        LevelsStatus status = LevelsStatus::Ok;
        switch (field) {
        case 1:
            id = r.varintField(wire);
            break;
        case 2:
            book.sequence = r.varintField(wire);
            break;
        case 3:
            status = readLevel(r, wire, book.bids);
            break;
        case 4:
            status = readLevel(r, wire, book.asks);
            break;
        case 5:
            book.exchangeTimeUs = r.int64Field(wire);
            break;
        default:
            r.skip(wire);
        }
        if (status != LevelsStatus::Ok)
            return status;
    }
    return r.ok ? LevelsStatus::Ok : LevelsStatus::Malformed;
}

} // namespace

DecodeResult DemoProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (!binary)
        return DecodeResult::failure(QStringLiteral("unexpected text frame (%1 bytes)").arg(frame.size()));
    const auto malformed = [&frame] {
        return DecodeResult::failure(QStringLiteral("malformed protobuf envelope (%1 bytes)").arg(frame.size()));
    };

    // The envelope: sequence, send time and the (last) body field, which is decoded afterwards.
    WireReader envelope(frame.constData(), static_cast<std::size_t>(frame.size()));
    std::uint64_t seq = 0;
    std::uint32_t bodyField = 0;
    const std::uint8_t *body = nullptr;
    std::size_t bodySize = 0;
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    while (envelope.next(field, wire)) {
        if (field == kSeq) {
            seq = envelope.varintField(wire);
        } else if (field == kSendTime) {
            envelope.varintField(wire);
        } else if (field >= kInstruments && field <= kError) {
            if (wire != kLength || !envelope.bytes(body, bodySize))
                return malformed();
            bodyField = field;
        } else {
            envelope.skip(wire);
        }
    }
    if (!envelope.ok)
        return malformed();

    // Connection-level sequence: a skip means frames were lost between server and us.
    if (seq != 0) {
        if (m_lastSeq != 0 && seq != m_lastSeq + 1) {
            VenueStatus status;
            status.kind = VenueStatus::Kind::SequenceGap;
            status.expected = m_lastSeq + 1;
            status.received = seq;
            sink.onStatus(status);
        }
        m_lastSeq = seq;
    }

    const auto unknownInstrument
        = [](std::uint64_t id) { return DecodeResult::failure(QStringLiteral("unknown instrument id %1").arg(id)); };
    const std::size_t instrumentCount = m_instruments.size();

    switch (bodyField) {
    case kInstruments:
        return decodeInstruments(reinterpret_cast<const char *>(body), bodySize, sink);
    case kSnapshot:
    case kDelta: {
        const bool snapshot = bodyField == kSnapshot;
        std::uint64_t id = 0;
        LevelsStatus status = LevelsStatus::Ok;
        if (snapshot) {
            m_snapshot.clear();
            status = readBook(body, bodySize, m_snapshot, id);
        } else {
            m_delta.clear();
            status = readBook(body, bodySize, m_delta, id);
        }
        if (status == LevelsStatus::Malformed)
            return malformed();
        if (id >= instrumentCount)
            return unknownInstrument(id);
        if (status == LevelsStatus::Negative)
            return DecodeResult::failure(snapshot ? QStringLiteral("negative quantity in snapshot")
                                                  : QStringLiteral("negative quantity in delta"));
        if (snapshot) {
            m_snapshot.instrument = static_cast<LocalInstrument>(id);
            sink.onSnapshot(m_snapshot);
        } else {
            if (m_delta.sequence == 0)
                return DecodeResult::failure(QStringLiteral("delta without book sequence"));
            m_delta.instrument = static_cast<LocalInstrument>(id);
            sink.onDelta(m_delta);
        }
        return DecodeResult::ok();
    }
    case kTrade: {
        WireReader r(body, bodySize);
        Trade trade;
        std::uint64_t id = 0;
        while (r.next(field, wire)) {
            switch (field) {
            case 1:
                id = r.varintField(wire);
                break;
            case 2:
                trade.price = r.int64Field(wire);
                break;
            case 3:
                trade.qty = r.int64Field(wire);
                break;
            case 4:
                trade.side = r.varintField(wire) == 1 ? Side::Sell : Side::Buy;
                break;
            case 5:
                trade.tradeId = r.varintField(wire);
                break;
            case 6:
                trade.exchangeTimeUs = r.int64Field(wire);
                break;
            default:
                r.skip(wire);
            }
        }
        if (!r.ok)
            return malformed();
        if (id >= instrumentCount)
            return unknownInstrument(id);
        if (trade.qty <= 0)
            return DecodeResult::failure(QStringLiteral("trade with non-positive quantity"));
        trade.instrument = static_cast<LocalInstrument>(id);
        sink.onTrade(trade);
        return DecodeResult::ok();
    }
    case kTicker: {
        WireReader r(body, bodySize);
        Ticker ticker;
        std::uint64_t id = 0;
        // proto3 leaves zero values out: absent prices are 0, as the sender meant.
        ticker.last = ticker.open24h = ticker.high24h = ticker.low24h = 0;
        while (r.next(field, wire)) {
            switch (field) {
            case 1:
                id = r.varintField(wire);
                break;
            case 2:
                ticker.last = r.int64Field(wire);
                break;
            case 3:
                ticker.open24h = r.int64Field(wire);
                break;
            case 4:
                ticker.high24h = r.int64Field(wire);
                break;
            case 5:
                ticker.low24h = r.int64Field(wire);
                break;
            case 6:
                ticker.volume24h = r.int64Field(wire);
                break;
            case 7:
                ticker.exchangeTimeUs = r.int64Field(wire);
                break;
            default:
                r.skip(wire);
            }
        }
        if (!r.ok)
            return malformed();
        if (id >= instrumentCount)
            return unknownInstrument(id);
        ticker.instrument = static_cast<LocalInstrument>(id);
        sink.onTicker(ticker);
        return DecodeResult::ok();
    }
    case kHeartbeat: {
        VenueStatus status;
        status.kind = VenueStatus::Kind::Heartbeat;
        sink.onStatus(status);
        return DecodeResult::ok();
    }
    case kError: {
        WireReader r(body, bodySize);
        VenueStatus status;
        status.kind = VenueStatus::Kind::Error;
        while (r.next(field, wire)) {
            const std::uint8_t *text = nullptr;
            std::size_t length = 0;
            if (field == 1)
                status.code = static_cast<int>(static_cast<std::int32_t>(r.varintField(wire)));
            else if (field == 2 && wire == kLength && r.bytes(text, length))
                status.message
                    = QString::fromUtf8(reinterpret_cast<const char *>(text), static_cast<qsizetype>(length));
            else
                r.skip(wire);
        }
        if (!r.ok)
            return malformed();
        sink.onStatus(status);
        return DecodeResult::ok();
    }
    case kSubscribe:
    case kUnsubscribe:
        return DecodeResult::failure(QStringLiteral("client message received from the server"));
    default:
        break;
    }
    return DecodeResult::failure(QStringLiteral("envelope without a known body (%1 bytes)").arg(frame.size()));
}

} // namespace tickscope
