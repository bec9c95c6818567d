#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <deque>
#include <limits>
#include <vector>

namespace tickscope {

/// The trade tape: the most recent trades of one instrument (or of all), newest first.
///
/// Until the tape holds `capacity` rows, each drain inserts the new trades at the top in one
/// rowsInserted (and trims the tail beyond `capacity` in one rowsRemoved). Once it is full, each
/// drain shifts the rows in place: one dataChanged over every row, no rows inserted or removed.
/// A view then keeps its rows and only their texts change: an insert at the top makes a list view
/// move every row, hide the ones pushed out and show recycled ones, and a change of visibility
/// makes Qt Quick's renderer rebuild its whole render list for that frame.
///
/// While `paused` (the view is scrolled back to read older trades) the rows stay as they are and
/// new trades are only counted in `missed`; resuming catches up with the newest trades at once.
class TradesModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The trades model is provided by MarketHub")
    /// Process-wide instrument id shown; -1 = trades of every instrument. Changing it resets the model.
    Q_PROPERTY(int instrument READ instrument WRITE setInstrument NOTIFY instrumentChanged)
    /// Most rows kept (default 200).
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    /// Rows frozen: new trades are counted, not shown, until unpaused.
    Q_PROPERTY(bool paused READ paused WRITE setPaused NOTIFY pausedChanged)
    /// Trades of the shown instrument(s) that arrived while paused.
    Q_PROPERTY(int missed READ missed NOTIFY missedChanged)

public:
    enum Roles {
        TimeRole = Qt::UserRole + 1, ///< QDateTime: trade time (exchange time when the venue gives it)
        TimeMsRole, ///< qint64: trade time in ms since epoch
        TimeTextRole, ///< QString: local trade time as "HH:mm:ss.zzz"
        PriceRole, ///< QString: trade price, exact
        SizeRole, ///< QString: trade quantity, exact
        PriceValueRole, ///< double: trade price (display only)
        SizeValueRole, ///< double: trade quantity (display only)
        SideRole, ///< QString: aggressor side, "buy" or "sell"
        IsBuyRole, ///< bool: the aggressor bought
        SymbolRole, ///< QString: venue symbol of the instrument
        InstrumentIdRole, ///< int: process-wide instrument id
        TradeIdRole, ///< qint64: venue trade id (0 when the venue gives none)
        AfterGapRole, ///< bool: trades may be missing just before (older than) this one
    };
    Q_ENUM(Roles)

    explicit TradesModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void drained(const DrainBatch &batch) override;

    int instrument() const { return m_instrument == kNoInstrument ? -1 : static_cast<int>(m_instrument); }
    void setInstrument(int id);
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    bool paused() const { return m_paused; }
    void setPaused(bool paused);
    int missed() const { return m_missed; }

Q_SIGNALS:
    void instrumentChanged();
    void capacityChanged();
    void pausedChanged();
    void missedChanged();

private:
    struct Row
    {
        TradePrint trade;
        InstrumentId instrument = kNoInstrument;
    };

    void reset();
    void setMissed(int missed);
    void countSignal();
    /// "HH:mm:ss.zzz" in local time. The local "HH:mm:" of the minute is cached: a local-time
    /// conversion reads the time zone (a stat() of /etc/localtime) and the tape asks for every
    /// visible row's time on every frame. Zone offsets change only on whole minutes.
    QString timeText(std::int64_t timeMs) const;

    MarketCache &m_cache;
    PipelineStats *m_stats;
    InstrumentId m_instrument = kNoInstrument;
    int m_capacity = 200;
    bool m_paused = false;
    int m_missed = 0;
    std::deque<Row> m_rows; // newest first
    std::vector<Row> m_incoming; // reused per drain
    mutable std::int64_t m_timeMinute = std::numeric_limits<std::int64_t>::min();
    mutable QString m_timeMinuteText;
};

} // namespace tickscope
