#include "marketsimulator.h"

#include "demo.pb.h"

#include <algorithm>
#include <cmath>

namespace tickscope {

namespace {

struct Template
{
    const char *symbol;
    const char *displayName;
    const char *base;
    const char *quote;
    std::int64_t price; // mantissa at priceScale
    int priceScale;
    int qtyScale;
    std::int64_t tick;
    std::int64_t lot;
    InstrumentKind kind;
    std::int64_t typicalQty; // mantissa at qtyScale
    double weight; // relative activity
    double sigma; // relative volatility per sqrt(second), normal regime
};

// Very different scales on purpose: a 5-digit price with cents, sub-cent tokens with 8 decimals,
// FX with 5 decimals (3 for yen), futures with a tick that is not 1.
constexpr Template kTemplates[] = {
    {"BTC-USD", "Bitcoin / US Dollar", "BTC", "USD", 6000000, 2, 8, 1, 1, InstrumentKind::Spot, 5000000, 10, 6e-4},
    {"ETH-USD", "Ether / US Dollar", "ETH", "USD", 300000, 2, 8, 1, 1, InstrumentKind::Spot, 80000000, 8, 7e-4},
    {"SOL-USD", "Solana / US Dollar", "SOL", "USD", 150000, 3, 4, 1, 1, InstrumentKind::Spot, 200000, 5, 9e-4},
    {"PEPE-USDT", "Pepe / Tether", "PEPE", "USDT", 1234, 8, 0, 1, 1, InstrumentKind::Spot, 50000000, 4, 1.5e-3},
    {"EUR/USD", "Euro / US Dollar", "EUR", "USD", 108500, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 6, 1.5e-4},
    {"USD/JPY", "US Dollar / Japanese Yen", "USD", "JPY", 150123, 3, 0, 1, 1000, InstrumentKind::Fx, 1000000, 4,
     1.5e-4},
    {"BTC-PERP", "Bitcoin perpetual", "BTC", "USD", 600100, 1, 3, 5, 1, InstrumentKind::Perpetual, 500, 9, 6e-4},
    {"ES-FUT", "E-mini S&P 500 future", "ES", "USD", 530025, 2, 0, 25, 1, InstrumentKind::Future, 5, 4, 2e-4},
    {"SHIB-USDT", "Shiba Inu / Tether", "SHIB", "USDT", 2345, 8, 0, 1, 1, InstrumentKind::Spot, 10000000, 2, 1.5e-3},
    {"DOGE-USDT", "Dogecoin / Tether", "DOGE", "USDT", 12345, 5, 0, 1, 1, InstrumentKind::Spot, 5000, 3, 1.2e-3},
    {"XRP-USD", "XRP / US Dollar", "XRP", "USD", 5432, 4, 2, 1, 1, InstrumentKind::Spot, 150000, 3, 1e-3},
    {"ADA-USD", "Cardano / US Dollar", "ADA", "USD", 4512, 4, 1, 1, 1, InstrumentKind::Spot, 20000, 2, 1e-3},
    {"BNB-USDT", "BNB / Tether", "BNB", "USDT", 58000, 2, 4, 1, 1, InstrumentKind::Spot, 20000, 3, 7e-4},
    {"AVAX-USD", "Avalanche / US Dollar", "AVAX", "USD", 3512, 2, 3, 1, 1, InstrumentKind::Spot, 30000, 2, 1e-3},
    {"LINK-USD", "Chainlink / US Dollar", "LINK", "USD", 14500, 3, 2, 1, 1, InstrumentKind::Spot, 5000, 2, 1e-3},
    {"DOT-USD", "Polkadot / US Dollar", "DOT", "USD", 6123, 3, 2, 1, 1, InstrumentKind::Spot, 8000, 1.5, 1e-3},
    {"LTC-USD", "Litecoin / US Dollar", "LTC", "USD", 8234, 2, 4, 1, 1, InstrumentKind::Spot, 50000, 1.5, 8e-4},
    {"FLOKI-USDT", "Floki / Tether", "FLOKI", "USDT", 17890, 8, 0, 1, 1, InstrumentKind::Spot, 2000000, 1, 1.5e-3},
    {"TRX-USDT", "Tron / Tether", "TRX", "USDT", 12034, 5, 1, 1, 1, InstrumentKind::Spot, 50000, 1, 8e-4},
    {"MATIC-USD", "Polygon / US Dollar", "MATIC", "USD", 7123, 4, 1, 1, 1, InstrumentKind::Spot, 30000, 1, 1e-3},
    {"ATOM-USD", "Cosmos / US Dollar", "ATOM", "USD", 8456, 3, 2, 1, 1, InstrumentKind::Spot, 5000, 1, 1e-3},
    {"UNI-USD", "Uniswap / US Dollar", "UNI", "USD", 7890, 3, 2, 1, 1, InstrumentKind::Spot, 5000, 1, 1e-3},
    {"ARB-USDT", "Arbitrum / Tether", "ARB", "USDT", 11234, 4, 1, 1, 1, InstrumentKind::Spot, 10000, 1, 1.1e-3},
    {"OP-USDT", "Optimism / Tether", "OP", "USDT", 2345, 3, 2, 1, 1, InstrumentKind::Spot, 10000, 1, 1.1e-3},
    {"ETH-PERP", "Ether perpetual", "ETH", "USD", 300050, 2, 3, 5, 1, InstrumentKind::Perpetual, 5000, 6, 7e-4},
    {"SOL-PERP", "Solana perpetual", "SOL", "USD", 150010, 3, 1, 10, 1, InstrumentKind::Perpetual, 1000, 3, 9e-4},
    {"GBP/USD", "British Pound / US Dollar", "GBP", "USD", 127000, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 3,
     1.5e-4},
    {"USD/CHF", "US Dollar / Swiss Franc", "USD", "CHF", 88123, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 2, 1.5e-4},
    {"AUD/USD", "Australian Dollar / US Dollar", "AUD", "USD", 65432, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 2,
     1.8e-4},
    {"USD/CAD", "US Dollar / Canadian Dollar", "USD", "CAD", 135678, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 2,
     1.2e-4},
    {"EUR/GBP", "Euro / British Pound", "EUR", "GBP", 85432, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 1, 1e-4},
    {"NZD/USD", "New Zealand Dollar / US Dollar", "NZD", "USD", 60123, 5, 0, 1, 1000, InstrumentKind::Fx, 1000000, 1,
     1.8e-4},
    {"EUR/JPY", "Euro / Japanese Yen", "EUR", "JPY", 162345, 3, 0, 1, 1000, InstrumentKind::Fx, 1000000, 1, 1.5e-4},
    {"XAU/USD", "Gold / US Dollar", "XAU", "USD", 235045, 2, 2, 1, 1, InstrumentKind::Spot, 500, 3, 2.5e-4},
    {"XAG/USD", "Silver / US Dollar", "XAG", "USD", 28123, 3, 1, 1, 1, InstrumentKind::Spot, 1000, 1, 4e-4},
    {"NQ-FUT", "E-mini Nasdaq-100 future", "NQ", "USD", 1850025, 2, 0, 25, 1, InstrumentKind::Future, 3, 3, 2.5e-4},
    {"CL-FUT", "Crude oil future", "CL", "USD", 7845, 2, 0, 1, 1, InstrumentKind::Future, 4, 2, 4e-4},
};

constexpr int kPriceScales[] = {2, 3, 4, 5, 6, 8};

// The engine's raw bits turned into distributions by hand, so a seed gives the same market with
// every standard library.
double uniform01(std::mt19937_64 &rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double exponential(std::mt19937_64 &rng)
{
    return -std::log1p(-uniform01(rng));
}

double gaussian(std::mt19937_64 &rng)
{
    const double u1 = 1.0 - uniform01(rng); // (0, 1]
    const double u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

demo::InstrumentKind kindToWire(InstrumentKind kind)
{
    switch (kind) {
    case InstrumentKind::Perpetual:
        return demo::PERPETUAL;
    case InstrumentKind::Future:
        return demo::FUTURE;
    case InstrumentKind::Fx:
        return demo::FX;
    default:
        return demo::SPOT;
    }
}

void addLevel(google::protobuf::RepeatedPtrField<demo::Level> *levels, std::int64_t price, std::int64_t qty)
{
    demo::Level *level = levels->Add();
    level->set_price(price);
    level->set_qty(qty);
}

constexpr double kRegimeScale[] = {0.4, 1.0, 3.0};

} // namespace

MarketSimulator::MarketSimulator(SimConfig config)
    : m_config(config)
    , m_rng(config.seed)
{
    m_config.symbols = std::max(1, m_config.symbols);
    m_config.depth = std::max(1, m_config.depth);
    m_config.rate = std::max(1e-3, m_config.rate);
    buildInstruments();
    advanceClock();
}

void MarketSimulator::buildInstruments()
{
    const auto count = static_cast<std::size_t>(m_config.symbols);
    m_instruments.reserve(count);
    m_markets.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        Instrument instrument;
        instrument.venue = QStringLiteral("demo");
        Market &market = m_markets[i];
        std::int64_t price = 0;
        if (i < std::size(kTemplates)) {
            const Template &t = kTemplates[i];
            instrument.symbol = QString::fromLatin1(t.symbol);
            instrument.displayName = QString::fromLatin1(t.displayName);
            instrument.base = QString::fromLatin1(t.base);
            instrument.quote = QString::fromLatin1(t.quote);
            instrument.priceScale = t.priceScale;
            instrument.qtyScale = t.qtyScale;
            instrument.tickSize = t.tick;
            instrument.lotSize = t.lot;
            instrument.kind = t.kind;
            price = t.price;
            market.typicalQty = t.typicalQty;
            market.weight = t.weight;
            market.sigma = t.sigma;
        } else {
            // Synthetic alt-coins beyond the named set: random scales and magnitudes.
            const QString base = QStringLiteral("ALT%1").arg(i + 1);
            instrument.symbol = base + QStringLiteral("-USDT");
            instrument.displayName = base + QStringLiteral(" / Tether");
            instrument.base = base;
            instrument.quote = QStringLiteral("USDT");
            instrument.priceScale = kPriceScales[m_rng() % std::size(kPriceScales)];
            instrument.qtyScale = static_cast<int>(m_rng() % 5);
            instrument.tickSize = 1;
            instrument.lotSize = 1;
            price = 1000 + static_cast<std::int64_t>(m_rng() % 900000);
            market.typicalQty = 100 + static_cast<std::int64_t>(m_rng() % 100000);
            market.weight = 0.5;
            market.sigma = 8e-4 + 8e-4 * uniform01(m_rng);
        }
        market.lot = instrument.lotSize;
        // Levels sit on a grid of about a fifth of a basis point of the price (at least one tick), so every
        // book spans a realistic range whatever the instrument's scale.
        const std::int64_t tick = instrument.tickSize;
        market.grid = tick
            * std::max<std::int64_t>(1, std::llround(static_cast<double>(price) * 2e-5 / static_cast<double>(tick)));
        price = price / market.grid * market.grid;
        market.mid = static_cast<double>(price);
        market.anchor = market.mid;
        market.open = market.high = market.low = market.last = price;
        m_instruments.push_back(std::move(instrument));
        seedBook(market);
    }
    double total = 0;
    m_cumulativeWeight.reserve(count);
    for (const Market &market : m_markets) {
        total += market.weight;
        m_cumulativeWeight.push_back(total);
    }
}

std::int64_t MarketSimulator::randomQty(const Market &market)
{
    const double raw = static_cast<double>(market.typicalQty) * std::exp(0.8 * gaussian(m_rng));
    const std::int64_t lots = std::max<std::int64_t>(1, std::llround(raw / static_cast<double>(market.lot)));
    return lots * market.lot;
}

void MarketSimulator::seedBook(Market &market)
{
    const std::int64_t bestBid
        = static_cast<std::int64_t>(std::floor(market.mid / static_cast<double>(market.grid) - 0.5)) * market.grid;
    const std::int64_t bestAsk = bestBid + market.grid;
    for (int k = 0; k < m_config.depth; ++k) {
        const std::int64_t bid = bestBid - k * market.grid;
        if (bid > 0)
            market.book.setLevel(BookSide::Bid, bid, randomQty(market));
        market.book.setLevel(BookSide::Ask, bestAsk + k * market.grid, randomQty(market));
    }
}

void MarketSimulator::advanceClock()
{
    m_clockUs += exponential(m_rng) * 1e6 / m_config.rate;
    m_nextEventUs = static_cast<std::int64_t>(m_clockUs);
}

void MarketSimulator::skipTo(std::int64_t timeUs)
{
    if (static_cast<double>(timeUs) > m_clockUs) {
        m_clockUs = static_cast<double>(timeUs);
        advanceClock();
    }
}

std::uint32_t MarketSimulator::pickInstrument()
{
    const double target = uniform01(m_rng) * m_cumulativeWeight.back();
    const auto it = std::upper_bound(m_cumulativeWeight.begin(), m_cumulativeWeight.end(), target);
    const auto index = static_cast<std::size_t>(it - m_cumulativeWeight.begin());
    return static_cast<std::uint32_t>(std::min(index, m_cumulativeWeight.size() - 1));
}

std::uint32_t MarketSimulator::next(demo::Envelope &envelope)
{
    envelope.Clear();
    std::uint32_t id = 0;
    if (!m_pendingQueue.empty()) {
        id = m_pendingQueue.back();
        m_pendingQueue.pop_back();
        producePendingDelta(id, envelope);
    } else {
        id = pickInstrument();
        const double kind = uniform01(m_rng);
        if (kind < 0.80)
            produceDelta(id, envelope);
        else if (kind < 0.95)
            produceTrade(id, envelope);
        else
            fillTicker(id, *envelope.mutable_ticker());
    }
    m_markets[id].lastTimeUs = m_nextEventUs;
    ++m_events;
    advanceClock();
    return id;
}

namespace {

/// Records one level change both in the simulator's book and in the outgoing delta.
void change(OrderBook &book, demo::BookDelta &delta, BookSide side, std::int64_t price, std::int64_t qty)
{
    book.setLevel(side, price, qty);
    addLevel(side == BookSide::Bid ? delta.mutable_bids() : delta.mutable_asks(), price, qty);
}

/// Keeps `depth` to `depth + 5` levels on a side: refills behind the worst level, trims beyond.
void keepDepth(OrderBook &book, demo::BookDelta &delta, BookSide side, std::size_t depth, std::int64_t grid,
               const auto &makeQty)
{
    while (book.depth(side) > depth + 5) {
        const Level worst = book.levels(side).front();
        change(book, delta, side, worst.price, 0);
    }
    while (book.depth(side) < depth) {
        const auto levels = book.levels(side);
        std::int64_t price = 0;
        if (levels.empty())
            break; // the next regular delta re-creates the touch
        price = side == BookSide::Bid ? levels.front().price - grid : levels.front().price + grid;
        if (price <= 0)
            break;
        change(book, delta, side, price, makeQty());
    }
}

} // namespace

void MarketSimulator::produceDelta(std::uint32_t id, demo::Envelope &envelope)
{
    Market &m = m_markets[id];
    const double dtSeconds = std::clamp(static_cast<double>(m_nextEventUs - m.lastTimeUs) * 1e-6, 1e-6, 60.0);
    // Volatility regimes switch now and then (on average every 20 s of the instrument's time).
    if (uniform01(m_rng) < dtSeconds / 20.0)
        m.regime = static_cast<int>(m_rng() % 3);
    const double sigma = m.sigma * kRegimeScale[m.regime] * std::sqrt(dtSeconds);
    m.mid *= std::exp(sigma * gaussian(m_rng));
    m.mid += (m.anchor - m.mid) * std::min(1.0, dtSeconds / 3600.0); // weak pull back to the anchor
    const double grid = static_cast<double>(m.grid);
    m.mid = std::max(m.mid, 4 * grid);

    const std::int64_t spreadSteps = m.regime == 2 && uniform01(m_rng) < 0.5 ? 2 : 1;
    const std::int64_t bidTop = std::max<std::int64_t>(
        m.grid, static_cast<std::int64_t>(std::floor(m.mid / grid - 0.5 * static_cast<double>(spreadSteps))) * m.grid);
    const std::int64_t askTop = bidTop + spreadSteps * m.grid;

    demo::BookDelta &delta = *envelope.mutable_delta();
    delta.set_instrument_id(id);
    // The touch follows the mid: levels through the new touch are taken out, the touch is filled.
    while (!m.book.levels(BookSide::Bid).empty() && m.book.best(BookSide::Bid).price > bidTop)
        change(m.book, delta, BookSide::Bid, m.book.best(BookSide::Bid).price, 0);
    while (!m.book.levels(BookSide::Ask).empty() && m.book.best(BookSide::Ask).price < askTop)
        change(m.book, delta, BookSide::Ask, m.book.best(BookSide::Ask).price, 0);
    if (m.book.quantityAt(BookSide::Bid, bidTop) == 0)
        change(m.book, delta, BookSide::Bid, bidTop, randomQty(m));
    if (m.book.quantityAt(BookSide::Ask, askTop) == 0)
        change(m.book, delta, BookSide::Ask, askTop, randomQty(m));

    // A few level changes, concentrated near the touch.
    const int touches = 1 + static_cast<int>(m_rng() % 3);
    for (int i = 0; i < touches; ++i) {
        const BookSide side = (m_rng() & 1) != 0 ? BookSide::Bid : BookSide::Ask;
        int k = 0;
        while (k < m_config.depth - 1 && uniform01(m_rng) > 0.3)
            ++k;
        const std::int64_t price = side == BookSide::Bid ? bidTop - k * m.grid : askTop + k * m.grid;
        if (price <= 0)
            continue;
        const bool exists = m.book.quantityAt(side, price) != 0;
        const bool remove = exists && k > 0 && uniform01(m_rng) < 0.25;
        change(m.book, delta, side, price, remove ? 0 : randomQty(m));
    }
    const auto qty = [&] { return randomQty(m); };
    const auto depth = static_cast<std::size_t>(m_config.depth);
    keepDepth(m.book, delta, BookSide::Bid, depth, m.grid, qty);
    keepDepth(m.book, delta, BookSide::Ask, depth, m.grid, qty);

    delta.set_book_seq(++m.bookSeq);
    delta.set_exchange_time_us(m_config.epochUs + m_nextEventUs);
}

void MarketSimulator::produceTrade(std::uint32_t id, demo::Envelope &envelope)
{
    Market &m = m_markets[id];
    const bool buy = (m_rng() & 1) != 0;
    const BookSide hit = buy ? BookSide::Ask : BookSide::Bid;
    const Level touch = m.book.best(hit);
    if (touch.qty == 0) { // an empty side cannot trade; show the book instead
        produceDelta(id, envelope);
        return;
    }
    const std::int64_t wanted = randomQty(m) / 2 / m.lot * m.lot;
    const std::int64_t qty = std::clamp(wanted, m.lot, touch.qty);

    demo::Trade &trade = *envelope.mutable_trade();
    trade.set_instrument_id(id);
    trade.set_price(touch.price);
    trade.set_qty(qty);
    trade.set_aggressor(buy ? demo::BUY : demo::SELL);
    trade.set_trade_id(m.nextTradeId++);
    trade.set_exchange_time_us(m_config.epochUs + m_nextEventUs);

    m.last = touch.price;
    m.high = std::max(m.high, touch.price);
    m.low = std::min(m.low, touch.price);
    m.volume += qty;
    // The liquidity taken shows in the book with the next event.
    m.tradePending = true;
    m.pendingSide = hit;
    m.pendingPrice = touch.price;
    m.pendingQty = touch.qty - qty;
    m_pendingQueue.push_back(id);
}

void MarketSimulator::producePendingDelta(std::uint32_t id, demo::Envelope &envelope)
{
    Market &m = m_markets[id];
    demo::BookDelta &delta = *envelope.mutable_delta();
    delta.set_instrument_id(id);
    change(m.book, delta, m.pendingSide, m.pendingPrice, m.pendingQty);
    m.tradePending = false;
    const auto qty = [&] { return randomQty(m); };
    keepDepth(m.book, delta, m.pendingSide, static_cast<std::size_t>(m_config.depth), m.grid, qty);
    delta.set_book_seq(++m.bookSeq);
    delta.set_exchange_time_us(m_config.epochUs + m_nextEventUs);
}

void MarketSimulator::fillSnapshot(std::uint32_t id, demo::BookSnapshot &snapshot) const
{
    const Market &m = m_markets[id];
    snapshot.Clear();
    snapshot.set_instrument_id(id);
    snapshot.set_book_seq(m.bookSeq);
    snapshot.set_exchange_time_us(m_config.epochUs + m.lastTimeUs);
    std::vector<Level> levels;
    m.book.top(BookSide::Bid, m.book.depth(BookSide::Bid), levels);
    for (const Level &level : levels)
        addLevel(snapshot.mutable_bids(), level.price, level.qty);
    m.book.top(BookSide::Ask, m.book.depth(BookSide::Ask), levels);
    for (const Level &level : levels)
        addLevel(snapshot.mutable_asks(), level.price, level.qty);
}

void MarketSimulator::fillTicker(std::uint32_t id, demo::Ticker &ticker) const
{
    const Market &m = m_markets[id];
    ticker.set_instrument_id(id);
    ticker.set_last(m.last);
    ticker.set_open_24h(m.open);
    ticker.set_high_24h(m.high);
    ticker.set_low_24h(m.low);
    ticker.set_volume_24h(m.volume);
    ticker.set_exchange_time_us(m_config.epochUs + m_nextEventUs);
}

void MarketSimulator::fillInstruments(demo::InstrumentList &list) const
{
    list.Clear();
    for (std::size_t i = 0; i < m_instruments.size(); ++i) {
        const Instrument &in = m_instruments[i];
        demo::InstrumentInfo *info = list.add_instruments();
        info->set_id(static_cast<std::uint32_t>(i));
        info->set_symbol(in.symbol.toStdString());
        info->set_display_name(in.displayName.toStdString());
        info->set_base(in.base.toStdString());
        info->set_quote(in.quote.toStdString());
        info->set_price_scale(static_cast<std::uint32_t>(in.priceScale));
        info->set_qty_scale(static_cast<std::uint32_t>(in.qtyScale));
        info->set_tick_size(in.tickSize);
        info->set_lot_size(in.lotSize);
        info->set_kind(kindToWire(in.kind));
    }
}

} // namespace tickscope
