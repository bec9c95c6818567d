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

/// Copies wire levels into `out`; false if a quantity is negative.
bool copyLevels(const google::protobuf::RepeatedPtrField<demo::Level> &in, std::vector<Level> &out)
{
    out.clear();
    out.reserve(static_cast<std::size_t>(in.size()));
    for (const demo::Level &level : in) {
        if (level.qty() < 0)
            return false;
        out.push_back({level.price(), level.qty()});
    }
    return true;
}

} // namespace

DemoProtocol::DemoProtocol(QUrl url)
    : m_url(std::move(url))
    , m_envelope(std::make_unique<demo::Envelope>())
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

DecodeResult DemoProtocol::decodeInstruments(EventSink &sink)
{
    const auto &list = m_envelope->instruments().instruments();
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

DecodeResult DemoProtocol::decode(const QByteArray &frame, bool binary, EventSink &sink)
{
    if (!binary)
        return DecodeResult::failure(QStringLiteral("unexpected text frame (%1 bytes)").arg(frame.size()));
    demo::Envelope &e = *m_envelope;
    if (!e.ParseFromArray(frame.constData(), static_cast<int>(frame.size())))
        return DecodeResult::failure(QStringLiteral("malformed protobuf envelope (%1 bytes)").arg(frame.size()));

    // Connection-level sequence: a skip means frames were lost between server and us.
    if (e.seq() != 0) {
        if (m_lastSeq != 0 && e.seq() != m_lastSeq + 1) {
            VenueStatus status;
            status.kind = VenueStatus::Kind::SequenceGap;
            status.expected = m_lastSeq + 1;
            status.received = e.seq();
            sink.onStatus(status);
        }
        m_lastSeq = e.seq();
    }

    const auto checkInstrument = [this](std::uint32_t id) { return id < m_instruments.size(); };
    const auto unknownInstrument
        = [](std::uint32_t id) { return DecodeResult::failure(QStringLiteral("unknown instrument id %1").arg(id)); };

    switch (e.body_case()) {
    case demo::Envelope::kInstruments:
        return decodeInstruments(sink);
    case demo::Envelope::kSnapshot: {
        const demo::BookSnapshot &in = e.snapshot();
        if (!checkInstrument(in.instrument_id()))
            return unknownInstrument(in.instrument_id());
        m_snapshot.clear();
        m_snapshot.instrument = in.instrument_id();
        m_snapshot.sequence = in.book_seq();
        m_snapshot.exchangeTimeUs = in.exchange_time_us();
        if (!copyLevels(in.bids(), m_snapshot.bids) || !copyLevels(in.asks(), m_snapshot.asks))
            return DecodeResult::failure(QStringLiteral("negative quantity in snapshot"));
        sink.onSnapshot(m_snapshot);
        return DecodeResult::ok();
    }
    case demo::Envelope::kDelta: {
        const demo::BookDelta &in = e.delta();
        if (!checkInstrument(in.instrument_id()))
            return unknownInstrument(in.instrument_id());
        if (in.book_seq() == 0)
            return DecodeResult::failure(QStringLiteral("delta without book sequence"));
        m_delta.clear();
        m_delta.instrument = in.instrument_id();
        m_delta.sequence = in.book_seq();
        m_delta.exchangeTimeUs = in.exchange_time_us();
        if (!copyLevels(in.bids(), m_delta.bids) || !copyLevels(in.asks(), m_delta.asks))
            return DecodeResult::failure(QStringLiteral("negative quantity in delta"));
        sink.onDelta(m_delta);
        return DecodeResult::ok();
    }
    case demo::Envelope::kTrade: {
        const demo::Trade &in = e.trade();
        if (!checkInstrument(in.instrument_id()))
            return unknownInstrument(in.instrument_id());
        if (in.qty() <= 0)
            return DecodeResult::failure(QStringLiteral("trade with non-positive quantity"));
        Trade trade;
        trade.instrument = in.instrument_id();
        trade.price = in.price();
        trade.qty = in.qty();
        trade.side = in.aggressor() == demo::SELL ? Side::Sell : Side::Buy;
        trade.tradeId = in.trade_id();
        trade.exchangeTimeUs = in.exchange_time_us();
        sink.onTrade(trade);
        return DecodeResult::ok();
    }
    case demo::Envelope::kTicker: {
        const demo::Ticker &in = e.ticker();
        if (!checkInstrument(in.instrument_id()))
            return unknownInstrument(in.instrument_id());
        Ticker ticker;
        ticker.instrument = in.instrument_id();
        ticker.last = in.last();
        ticker.open24h = in.open_24h();
        ticker.high24h = in.high_24h();
        ticker.low24h = in.low_24h();
        ticker.volume24h = in.volume_24h();
        ticker.exchangeTimeUs = in.exchange_time_us();
        sink.onTicker(ticker);
        return DecodeResult::ok();
    }
    case demo::Envelope::kHeartbeat: {
        VenueStatus status;
        status.kind = VenueStatus::Kind::Heartbeat;
        sink.onStatus(status);
        return DecodeResult::ok();
    }
    case demo::Envelope::kError: {
        VenueStatus status;
        status.kind = VenueStatus::Kind::Error;
        status.code = e.error().code();
        status.message = QString::fromStdString(e.error().message());
        sink.onStatus(status);
        return DecodeResult::ok();
    }
    case demo::Envelope::kSubscribe:
    case demo::Envelope::kUnsubscribe:
        return DecodeResult::failure(QStringLiteral("client message received from the server"));
    case demo::Envelope::BODY_NOT_SET:
        break;
    }
    return DecodeResult::failure(QStringLiteral("envelope without a known body (%1 bytes)").arg(frame.size()));
}

} // namespace tickscope
