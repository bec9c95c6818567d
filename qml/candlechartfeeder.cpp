#include "candlechartfeeder.h"

#include <QAbstractItemModel>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace tickscope {

CandleChartFeeder::CandleChartFeeder(QObject *parent)
    : QObject(parent)
    , m_lastClose(std::numeric_limits<double>::quiet_NaN())
{
    connect(this, &CandleChartFeeder::seriesChanged, this, &CandleChartFeeder::rebuild);
    m_patchTimer.setSingleShot(true);
    connect(&m_patchTimer, &QTimer::timeout, this, &CandleChartFeeder::applyPatch);
}

int CandleChartFeeder::roleOf(const char *name) const
{
    return m_model ? m_model->roleNames().key(name, -1) : -1;
}

void CandleChartFeeder::setModel(QAbstractItemModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        m_roles.timestamp = roleOf("timestamp");
        m_roles.open = roleOf("open");
        m_roles.high = roleOf("high");
        m_roles.low = roleOf("low");
        m_roles.close = roleOf("close");
        m_roles.volume = roleOf("volume");
        m_roles.openText = roleOf("openText");
        m_roles.highText = roleOf("highText");
        m_roles.lowText = roleOf("lowText");
        m_roles.closeText = roleOf("closeText");
        m_roles.volumeText = roleOf("volumeText");
        m_roles.afterGap = roleOf("afterGap");
        // Every structural change is one batch; a change of the open candle alone is patched in place,
        // and a new candle while following is appended (with the oldest shown one dropped) rather than
        // rebuilding every set: each rebuild makes QtCharts lay out every candle again.
        connect(m_model, &QAbstractItemModel::modelReset, this, &CandleChartFeeder::rebuild);
        connect(m_model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
        connect(m_model, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &, int first, int last) { onRowsRemoved(first, last); });
        connect(m_model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    onDataChanged(topLeft.row(), bottomRight.row());
                });
    }
    Q_EMIT modelChanged();
    rebuild();
}

void CandleChartFeeder::setVisibleCount(int count)
{
    count = std::clamp(count, 10, 1000);
    if (count == m_visibleCount)
        return;
    m_visibleCount = count;
    Q_EMIT visibleCountChanged();
    rebuild();
}

void CandleChartFeeder::setOffset(int offset)
{
    const int rows = m_model ? m_model->rowCount() : 0;
    offset = std::clamp(offset, 0, std::max(0, rows - 10));
    if (offset == m_offset)
        return;
    m_offset = offset;
    Q_EMIT offsetChanged();
    setFollow(m_offset == 0);
    rebuild();
}

void CandleChartFeeder::setFollow(bool follow)
{
    if (follow == m_follow)
        return;
    m_follow = follow;
    if (m_follow && m_offset != 0) {
        m_offset = 0;
        Q_EMIT offsetChanged();
        rebuild();
    }
    Q_EMIT followChanged();
}

void CandleChartFeeder::rebuild()
{
    dropPatch(); // everything is read afresh
    if (!m_price || !m_model)
        return;
    const int rows = m_model->rowCount();
    if (!m_follow && rows > 0) {
        // Panned back: keep showing the same candles while new ones arrive on the right.
        m_offset = std::clamp(m_offset, 0, std::max(0, rows - 10));
    }
    const int end = std::max(0, rows - (m_follow ? 0 : m_offset));
    const int first = std::max(0, end - m_visibleCount);
    QList<QCandlestickSet *> sets;
    QList<QCandlestickSet *> volumes;
    appendSets(first, end, sets, volumes);
    m_price->clear();
    m_price->append(sets);
    if (m_volume) {
        m_volume->clear();
        m_volume->append(volumes);
    }
    m_firstShown = first;
    m_shown = end - first;
    ++m_rebuilds;
    m_lastClose = rows > 0 ? m_model->index(rows - 1, 0).data(m_roles.close).toDouble()
                           : std::numeric_limits<double>::quiet_NaN();
    updateAxes();
    updateGapTimes();
    Q_EMIT lastCloseChanged();
}

void CandleChartFeeder::appendSets(int first, int end, QList<QCandlestickSet *> &sets,
                                   QList<QCandlestickSet *> &volumes) const
{
    sets.reserve(sets.size() + end - first);
    volumes.reserve(volumes.size() + end - first);
    for (int row = first; row < end; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const double t = index.data(m_roles.timestamp).toDouble();
        const double open = index.data(m_roles.open).toDouble();
        const double close = index.data(m_roles.close).toDouble();
        sets.append(new QCandlestickSet(open, index.data(m_roles.high).toDouble(), index.data(m_roles.low).toDouble(),
                                        close, t));
        if (m_volume) {
            const double volume = index.data(m_roles.volume).toDouble();
            // A bar as a candle from 0 to the volume; its direction colours it like the price candle.
            volumes.append(close >= open ? new QCandlestickSet(0, volume, 0, volume, t)
                                         : new QCandlestickSet(volume, volume, 0, 0, t));
        }
    }
}

void CandleChartFeeder::onRowsInserted(int first, int last)
{
    // The common case: following the newest candle, and new candles arrive right after the shown ones.
    if (!m_price || !m_model || !m_follow || first != m_firstShown + m_shown || m_price->count() != m_shown
        || (m_volume && m_volume->count() != m_shown)) {
        rebuild();
        return;
    }
    if (m_pendingFirst >= 0)
        applyPatch(); // the closed candle's final values before the new one
    QList<QCandlestickSet *> sets;
    QList<QCandlestickSet *> volumes;
    appendSets(first, last + 1, sets, volumes);
    m_price->append(sets);
    if (m_volume)
        m_volume->append(volumes);
    m_shown += last - first + 1;
    const int excess = m_shown - m_visibleCount;
    if (excess > 0) {
        m_price->remove(m_price->sets().mid(0, excess)); // remove() deletes the sets
        if (m_volume)
            m_volume->remove(m_volume->sets().mid(0, excess));
        m_firstShown += excess;
        m_shown -= excess;
    }
    const int rows = m_model->rowCount();
    m_lastClose = m_model->index(rows - 1, 0).data(m_roles.close).toDouble();
    updateAxes();
    updateGapTimes();
    Q_EMIT lastCloseChanged();
}

void CandleChartFeeder::onRowsRemoved(int first, int last)
{
    // The model trims its oldest candles from the front; while none of them is shown (nor waiting
    // to be patched), only the row numbers move.
    const int count = last - first + 1;
    const bool pendingKept = m_pendingFirst < 0 || m_pendingFirst >= count;
    if (m_follow && first == 0 && m_firstShown >= count && pendingKept) {
        m_firstShown -= count;
        if (m_pendingFirst >= 0) {
            m_pendingFirst -= count;
            m_pendingLast -= count;
        }
        return;
    }
    rebuild();
}

void CandleChartFeeder::onDataChanged(int first, int last)
{
    if (!m_price || !m_model)
        return;
    m_pendingFirst = m_pendingFirst < 0 ? first : std::min(m_pendingFirst, first);
    m_pendingLast = std::max(m_pendingLast, last);
    if (m_patchTimer.isActive())
        return;
    const qint64 since = m_sincePatch.isValid() ? m_sincePatch.elapsed() : std::numeric_limits<qint64>::max();
    if (since >= m_patchIntervalMs)
        applyPatch();
    else
        m_patchTimer.start(static_cast<int>(m_patchIntervalMs - since));
}

void CandleChartFeeder::dropPatch()
{
    m_patchTimer.stop();
    m_pendingFirst = m_pendingLast = -1;
}

void CandleChartFeeder::applyPatch()
{
    const int first = m_pendingFirst;
    const int last = m_pendingLast;
    dropPatch();
    if (!m_price || !m_model || first < 0)
        return;
    m_sincePatch.start();
    const int rows = m_model->rowCount();
    for (int row = first; row <= last; ++row) {
        const int at = row - m_firstShown;
        if (at < 0 || at >= m_shown || at >= m_price->count()) {
            continue;
        }
        const QModelIndex index = m_model->index(row, 0);
        QCandlestickSet *set = m_price->sets().at(at);
        const double open = index.data(m_roles.open).toDouble();
        const double close = index.data(m_roles.close).toDouble();
        set->setOpen(open);
        set->setHigh(index.data(m_roles.high).toDouble());
        set->setLow(index.data(m_roles.low).toDouble());
        set->setClose(close);
        if (m_volume && at < m_volume->count()) {
            QCandlestickSet *bar = m_volume->sets().at(at);
            const double volume = index.data(m_roles.volume).toDouble();
            bar->setHigh(volume);
            bar->setOpen(close >= open ? 0 : volume);
            bar->setClose(close >= open ? volume : 0);
        }
    }
    if (last == rows - 1) {
        m_lastClose = m_model->index(rows - 1, 0).data(m_roles.close).toDouble();
        Q_EMIT lastCloseChanged();
    }
    updateAxes();
    updateGapTimes();
}

void CandleChartFeeder::updateAxes()
{
    if (!m_price || m_price->count() == 0)
        return;
    const QList<QCandlestickSet *> sets = m_price->sets();
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    double maxVolume = 0;
    for (const QCandlestickSet *set : sets) {
        low = std::min(low, set->low());
        high = std::max(high, set->high());
    }
    if (m_volume) {
        for (const QCandlestickSet *bar : m_volume->sets())
            maxVolume = std::max(maxVolume, bar->high());
    }
    const double span = std::max(high - low, std::abs(high) * 1e-6);
    const double firstT = sets.first()->timestamp();
    const double lastT = sets.last()->timestamp();
    const double step = sets.size() > 1 ? (lastT - firstT) / (sets.size() - 1) : 60000.0;
    // Room for the candles still to come, so the newest one is not glued to the edge, and a step
    // before the oldest shown one so that its body is not cut in half by the left edge.
    const double rightT = lastT + step * std::max(2.0, 0.05 * m_visibleCount);
    const double leftT = rightT - step * (m_visibleCount + 2);
    if (m_timeAxis)
        m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(leftT)),
                             QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(rightT)));
    if (m_volumeTimeAxis)
        m_volumeTimeAxis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(leftT)),
                                   QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(rightT)));
    if (m_priceAxis)
        m_priceAxis->setRange(low - span * 0.08, high + span * 0.08);
    if (m_volumeAxis)
        m_volumeAxis->setRange(0, maxVolume > 0 ? maxVolume * 1.1 : 1);
}

void CandleChartFeeder::updateGapTimes()
{
    QVariantList times;
    if (m_model && m_roles.afterGap >= 0) {
        for (int row = m_firstShown; row < m_firstShown + m_shown && row < m_model->rowCount(); ++row) {
            const QModelIndex index = m_model->index(row, 0);
            if (index.data(m_roles.afterGap).toBool())
                times.append(index.data(m_roles.timestamp).toDouble());
        }
    }
    if (times == m_gapTimes)
        return;
    m_gapTimes = times;
    Q_EMIT gapTimesChanged();
}

QVariantMap CandleChartFeeder::candleAt(double timeMs) const
{
    if (!m_model)
        return {};
    const int rows = m_model->rowCount();
    for (int row = rows - 1; row >= 0; --row) {
        const QModelIndex index = m_model->index(row, 0);
        if (index.data(m_roles.timestamp).toDouble() <= timeMs) {
            return {{QStringLiteral("time"), index.data(m_roles.timestamp)},
                    {QStringLiteral("open"), index.data(m_roles.openText)},
                    {QStringLiteral("high"), index.data(m_roles.highText)},
                    {QStringLiteral("low"), index.data(m_roles.lowText)},
                    {QStringLiteral("close"), index.data(m_roles.closeText)},
                    {QStringLiteral("volume"), index.data(m_roles.volumeText)}};
        }
    }
    return {};
}

} // namespace tickscope
