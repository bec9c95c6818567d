#include "tradesmodel.h"

#include "decimal.h"

#include <QDateTime>

#include <algorithm>

namespace tickscope {

TradesModel::TradesModel(MarketCache &cache, PipelineStats *stats, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
    , m_stats(stats)
{ }

int TradesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> TradesModel::roleNames() const
{
    return {
        {TimeRole, "time"},
        {TimeMsRole, "timeMs"},
        {TimeTextRole, "timeText"},
        {PriceRole, "price"},
        {SizeRole, "size"},
        {PriceValueRole, "priceValue"},
        {SizeValueRole, "sizeValue"},
        {SideRole, "side"},
        {IsBuyRole, "isBuy"},
        {SymbolRole, "symbol"},
        {InstrumentIdRole, "instrumentId"},
        {TradeIdRole, "tradeId"},
        {AfterGapRole, "afterGap"},
    };
}

QString TradesModel::timeText(std::int64_t timeMs) const
{
    constexpr std::int64_t kMinuteMs = 60'000;
    // Floor division: times before 1970 still split into a minute and a non-negative rest.
    const std::int64_t minute = timeMs / kMinuteMs - (timeMs % kMinuteMs < 0 ? 1 : 0);
    const auto inMinute = static_cast<int>(timeMs - minute * kMinuteMs);
    if (minute != m_timeMinute) {
        m_timeMinute = minute;
        m_timeMinuteText = QDateTime::fromMSecsSinceEpoch(minute * kMinuteMs).toString(QStringLiteral("HH:mm:"));
    }
    QString text;
    text.reserve(12);
    text += m_timeMinuteText;
    text += QLatin1Char(static_cast<char>('0' + inMinute / 10'000));
    text += QLatin1Char(static_cast<char>('0' + inMinute / 1'000 % 10));
    text += QLatin1Char('.');
    text += QLatin1Char(static_cast<char>('0' + inMinute / 100 % 10));
    text += QLatin1Char(static_cast<char>('0' + inMinute / 10 % 10));
    text += QLatin1Char(static_cast<char>('0' + inMinute % 10));
    return text;
}

QVariant TradesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const Instrument &instrument = m_cache.instrument(row.instrument);
    const TradePrint &trade = row.trade;
    switch (role) {
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(trade.timeMs);
    case TimeMsRole:
        return static_cast<qint64>(trade.timeMs);
    case TimeTextRole:
        return timeText(trade.timeMs);
    case Qt::DisplayRole:
    case PriceRole:
        return formatDecimalQ(trade.price, instrument.priceScale);
    case SizeRole:
        return formatDecimalQ(trade.qty, instrument.qtyScale);
    case PriceValueRole:
        return static_cast<double>(trade.price) / static_cast<double>(pow10(instrument.priceScale));
    case SizeValueRole:
        return static_cast<double>(trade.qty) / static_cast<double>(pow10(instrument.qtyScale));
    case SideRole:
        return trade.side == Side::Buy ? QStringLiteral("buy") : QStringLiteral("sell");
    case IsBuyRole:
        return trade.side == Side::Buy;
    case SymbolRole:
        return instrument.symbol;
    case InstrumentIdRole:
        return static_cast<int>(row.instrument);
    case TradeIdRole:
        return static_cast<qint64>(trade.tradeId);
    case AfterGapRole:
        return trade.afterGap;
    default:
        return {};
    }
}

void TradesModel::drained(const DrainBatch &batch)
{
    m_incoming.clear();
    int sources = 0;
    for (const InstrumentUpdate &update : batch.updates) {
        if (update.trades.empty() || (m_instrument != kNoInstrument && update.id != m_instrument))
            continue;
        if (!m_cache.contains(update.id))
            continue;
        ++sources;
        for (const TradePrint &trade : update.trades)
            m_incoming.push_back(Row {trade, update.id});
    }
    if (m_incoming.empty())
        return;
    if (m_paused) {
        const auto room = static_cast<std::size_t>(std::numeric_limits<int>::max() - m_missed);
        setMissed(m_missed + static_cast<int>(std::min(m_incoming.size(), room)));
        return;
    }
    if (sources > 1) {
        // Each instrument's trades are in order; interleave instruments by time (stable: ties keep
        // the handoff order).
        std::stable_sort(m_incoming.begin(), m_incoming.end(),
                         [](const Row &a, const Row &b) { return a.trade.timeMs < b.trade.timeMs; });
    }

    // Only the newest `capacity` can ever be shown: never insert rows only to remove them again.
    const std::size_t capacity = static_cast<std::size_t>(m_capacity);
    const std::size_t k = std::min(m_incoming.size(), capacity);
    if (m_rows.size() == capacity) {
        // Full: the same rows, each now showing a newer trade.
        for (std::size_t i = m_incoming.size() - k; i < m_incoming.size(); ++i)
            m_rows.push_front(m_incoming[i]);
        m_rows.resize(capacity);
        Q_EMIT dataChanged(index(0), index(static_cast<int>(capacity) - 1));
        countSignal();
        return;
    }
    beginInsertRows({}, 0, static_cast<int>(k) - 1);
    for (std::size_t i = m_incoming.size() - k; i < m_incoming.size(); ++i)
        m_rows.push_front(m_incoming[i]);
    endInsertRows();
    countSignal();

    if (m_rows.size() > capacity) {
        beginRemoveRows({}, static_cast<int>(capacity), static_cast<int>(m_rows.size()) - 1);
        m_rows.resize(capacity);
        endRemoveRows();
        countSignal();
    }
}

void TradesModel::reset()
{
    setMissed(0);
    beginResetModel();
    m_rows.clear();
    std::vector<Row> history;
    const auto take = [&history](InstrumentId id, const std::deque<TradePrint> &trades, std::size_t n) {
        const std::size_t first = trades.size() > n ? trades.size() - n : 0;
        for (std::size_t i = first; i < trades.size(); ++i)
            history.push_back(Row {trades[i], id});
    };
    const std::size_t capacity = static_cast<std::size_t>(m_capacity);
    if (m_instrument != kNoInstrument) {
        take(m_instrument, m_cache.state(m_instrument).trades, capacity);
    } else {
        for (InstrumentId id = 0; id < m_cache.instrumentCount(); ++id)
            take(id, m_cache.state(id).trades, capacity);
        std::stable_sort(history.begin(), history.end(),
                         [](const Row &a, const Row &b) { return a.trade.timeMs < b.trade.timeMs; });
    }
    const std::size_t first = history.size() > capacity ? history.size() - capacity : 0;
    for (std::size_t i = first; i < history.size(); ++i)
        m_rows.push_front(history[i]);
    endResetModel();
}

void TradesModel::setInstrument(int id)
{
    const InstrumentId instrument
        = id < 0 || !m_cache.contains(static_cast<InstrumentId>(id)) ? kNoInstrument : static_cast<InstrumentId>(id);
    if (id >= 0 && instrument == kNoInstrument)
        qCWarning(lcModels) << "trades: unknown instrument" << id;
    if (instrument == m_instrument)
        return;
    m_instrument = instrument;
    reset();
    Q_EMIT instrumentChanged();
}

void TradesModel::setCapacity(int capacity)
{
    capacity = std::max(capacity, 1);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    if (m_rows.size() > static_cast<std::size_t>(capacity)) {
        beginRemoveRows({}, capacity, static_cast<int>(m_rows.size()) - 1);
        m_rows.resize(static_cast<std::size_t>(capacity));
        endRemoveRows();
        countSignal();
    }
    Q_EMIT capacityChanged();
}

void TradesModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!m_paused && m_missed > 0)
        reset(); // the newest `capacity` trades, from the cache
    Q_EMIT pausedChanged();
}

void TradesModel::setMissed(int missed)
{
    if (missed == m_missed)
        return;
    m_missed = missed;
    Q_EMIT missedChanged();
}

void TradesModel::countSignal()
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals);
}

} // namespace tickscope
