#pragma once

#include <QAbstractItemModel>
#include <QCandlestickSeries>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QValueAxis>
#include <QtQml/qqmlregistration.h>

namespace tickscope {

/// The one seam between the candle model and the chart library (QtCharts today; a Qt Graphs or
/// scene-graph chart can replace it without touching models). It copies the newest `visibleCount`
/// candles of `model` into the price and volume series in one batch per model change (never point
/// by point from QML), updates only the open candle when only it changed, and keeps the axes on the
/// data while `follow` is true. With `follow` false the view stays where the user panned it.
/// Changes of the open candle are patched at most every `patchInterval` ms (the first one at once):
/// a chart redraw costs a whole-chart repaint, and a candle growing by a tick 60 times a second is
/// not readable anyway. New candles, zoom and pan apply at once.
class CandleChartFeeder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(QCandlestickSeries *priceSeries MEMBER m_price NOTIFY seriesChanged)
    Q_PROPERTY(QCandlestickSeries *volumeSeries MEMBER m_volume NOTIFY seriesChanged)
    Q_PROPERTY(QDateTimeAxis *timeAxis MEMBER m_timeAxis NOTIFY seriesChanged)
    Q_PROPERTY(QValueAxis *priceAxis MEMBER m_priceAxis NOTIFY seriesChanged)
    Q_PROPERTY(QDateTimeAxis *volumeTimeAxis MEMBER m_volumeTimeAxis NOTIFY seriesChanged)
    Q_PROPERTY(QValueAxis *volumeAxis MEMBER m_volumeAxis NOTIFY seriesChanged)
    /// Candles shown at once (zoom).
    Q_PROPERTY(int visibleCount READ visibleCount WRITE setVisibleCount NOTIFY visibleCountChanged)
    /// Candles between the newest one and the right edge (pan back; 0 = newest at the right).
    Q_PROPERTY(int offset READ offset WRITE setOffset NOTIFY offsetChanged)
    /// Auto-scroll: new candles move the view (offset stays 0).
    Q_PROPERTY(bool follow READ follow WRITE setFollow NOTIFY followChanged)
    /// Close of the newest candle (for the last-price line), NaN when none.
    Q_PROPERTY(double lastClose READ lastClose NOTIFY lastCloseChanged)
    /// Least time between two patches of changed candles, in ms (0 = every change at once).
    Q_PROPERTY(int patchInterval MEMBER m_patchIntervalMs NOTIFY patchIntervalChanged)
    /// Start times (ms since epoch) of the shown candles in or before which trades may be missing
    /// (a reconnect or a stream gap): the chart marks them.
    Q_PROPERTY(QVariantList gapTimes READ gapTimes NOTIFY gapTimesChanged)
    /// Batches written to the series (for tests and benchmarks).
    Q_PROPERTY(int rebuilds READ rebuilds NOTIFY lastCloseChanged)

public:
    explicit CandleChartFeeder(QObject *parent = nullptr);

    QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model);
    int visibleCount() const { return m_visibleCount; }
    void setVisibleCount(int count);
    int offset() const { return m_offset; }
    void setOffset(int offset);
    bool follow() const { return m_follow; }
    void setFollow(bool follow);
    double lastClose() const { return m_lastClose; }
    int rebuilds() const { return m_rebuilds; }
    QVariantList gapTimes() const { return m_gapTimes; }

    /// OHLCV of the candle whose interval contains `timeMs` (exact text), or an empty map.
    Q_INVOKABLE QVariantMap candleAt(double timeMs) const;

Q_SIGNALS:
    void modelChanged();
    void seriesChanged();
    void visibleCountChanged();
    void offsetChanged();
    void followChanged();
    void lastCloseChanged();
    void patchIntervalChanged();
    void gapTimesChanged();

private:
    void rebuild();
    void onRowsInserted(int first, int last);
    void onRowsRemoved(int first, int last);
    void onDataChanged(int first, int last);
    void applyPatch();
    void dropPatch();
    void appendSets(int first, int end, QList<QCandlestickSet *> &sets, QList<QCandlestickSet *> &volumes) const;
    void updateAxes();
    void updateGapTimes();
    int roleOf(const char *name) const;

    QPointer<QAbstractItemModel> m_model;
    QPointer<QCandlestickSeries> m_price;
    QPointer<QCandlestickSeries> m_volume;
    QPointer<QDateTimeAxis> m_timeAxis;
    QPointer<QValueAxis> m_priceAxis;
    QPointer<QDateTimeAxis> m_volumeTimeAxis;
    QPointer<QValueAxis> m_volumeAxis;
    int m_visibleCount = 80;
    int m_offset = 0;
    bool m_follow = true;
    double m_lastClose = 0;
    int m_rebuilds = 0;
    int m_firstShown = 0; // model row of the first set in the series
    int m_shown = 0;
    int m_patchIntervalMs = 100;
    int m_pendingFirst = -1; // model rows changed and not yet patched into the series
    int m_pendingLast = -1;
    QTimer m_patchTimer;
    QElapsedTimer m_sincePatch;
    QVariantList m_gapTimes;
    struct Roles
    {
        int timestamp = -1, open = -1, high = -1, low = -1, close = -1, volume = -1;
        int openText = -1, highText = -1, lowText = -1, closeText = -1, volumeText = -1;
        int afterGap = -1;
    } m_roles;
};

} // namespace tickscope
