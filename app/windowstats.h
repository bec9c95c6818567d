#pragma once

#include "latencyhistogram.h"

#include <QJsonObject>
#include <QObject>

class QQuickWindow;

namespace tickscope {

/// Rendered-frame statistics of one window (frames, frame interval p50/p99) and process CPU / RSS,
/// for `tickscope --stats`. Frame intervals longer than a second are idle gaps, not slow frames, and
/// are not recorded.
class WindowStats : public QObject
{
    Q_OBJECT
public:
    explicit WindowStats(QQuickWindow *window);

    /// frames, frame_interval_ms_p50/p99, first_frame_ms, process_cpu_percent, rss_mb.
    QJsonObject json() const;

    /// CPU time (user + system) of this process, in nanoseconds.
    static std::int64_t processCpuNs();
    /// Resident set size of this process in MiB (0 where the platform does not say).
    static double rssMb();

private:
    void onFrameSwapped();

    LatencyHistogram m_intervals;
    std::uint64_t m_frames = 0;
    std::int64_t m_lastFrameNs = 0;
    std::int64_t m_startNs = 0;
    std::int64_t m_startCpuNs = 0;
};

} // namespace tickscope
