#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QAbstractListModel>
#include <QPointF>
#include <QtQml/qqmlregistration.h>

#include <deque>

namespace tickscope {

/// OHLCV candles of one instrument at one interval, oldest first (the chart's data source).
///
/// Each drain updates the open (last) candle in place with a role-scoped dataChanged, appends new
/// candles in one rowsInserted and drops the oldest beyond `capacity` in one rowsRemoved. A chart
/// seam (QtCharts today, Qt Graphs later) listens to these standard signals only.
class CandleModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The candle model is provided by MarketHub")
    /// Process-wide instrument id shown, -1 = none. Changing it resets the model.
    Q_PROPERTY(int instrument READ instrument WRITE setInstrument NOTIFY instrumentChanged)
    /// Candle interval shown (default M1). Changing it resets the model.
    Q_PROPERTY(Interval interval READ interval WRITE setInterval NOTIFY intervalChanged)
    /// Most candles kept (default 2000, the MarketCache history length).
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    /// Mirrors CandleInterval for QML.
    enum Interval { S1, M1, M5, M15, H1, D1 };
    Q_ENUM(Interval)

    enum Roles {
        TimestampRole = Qt::UserRole + 1, ///< qint64: interval start, ms since epoch
        OpenRole, ///< double: open price (charting only)
        HighRole, ///< double: high price (charting only)
        LowRole, ///< double: low price (charting only)
        CloseRole, ///< double: close price (charting only)
        VolumeRole, ///< double: base volume (charting only)
        OpenTextRole, ///< QString: open price, exact
        HighTextRole, ///< QString: high price, exact
        LowTextRole, ///< QString: low price, exact
        CloseTextRole, ///< QString: close price, exact
        VolumeTextRole, ///< QString: base volume, exact
        TradesRole, ///< int: number of trades in the candle
        IsUpRole, ///< bool: close >= open
        AfterGapRole, ///< bool: trades may be missing in or just before this candle (reconnect, stream gap)
    };
    Q_ENUM(Roles)

    explicit CandleModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void drained(const DrainBatch &batch) override;

    int instrument() const { return m_instrument == kNoInstrument ? -1 : static_cast<int>(m_instrument); }
    void setInstrument(int id);
    Interval interval() const { return m_interval; }
    void setInterval(Interval interval);
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    int count() const { return static_cast<int>(m_rows.size()); }

    /// Lowest low (x) and highest high (y) of rows first..last (clamped), as doubles for a chart
    /// axis; (0, 0) when the range is empty.
    Q_INVOKABLE QPointF priceRange(int first, int last) const;

Q_SIGNALS:
    void instrumentChanged();
    void intervalChanged();
    void capacityChanged();
    void countChanged();

private:
    double price(std::int64_t mantissa) const;
    void reset();
    void trimFront();
    void countSignal();

    MarketCache &m_cache;
    PipelineStats *m_stats;
    InstrumentId m_instrument = kNoInstrument;
    Interval m_interval = M1;
    int m_capacity = 2000;
    std::deque<Candle> m_rows; // oldest first
};

} // namespace tickscope
