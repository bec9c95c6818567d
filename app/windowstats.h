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
    /// `processStartNs`: steady time at the start of main(), for first_live_frame_ms.
    WindowStats(QQuickWindow *window, std::int64_t processStartNs);

    /// Live market data has reached the models: the next rendered frame is the first live one.
    void markLiveData();

    /// frames, frame_interval_ms_p50/p99, first_live_frame_ms, process_cpu_percent,
    /// gui_thread_busy_pct, rss_mb.
    /// Call on the GUI thread.
    QJsonObject json() const;

    /// CPU time of the calling thread, in nanoseconds (0 where the platform does not say).
    static std::int64_t threadCpuNs();
    /// CPU time (user + system) of this process, in nanoseconds.
    static std::int64_t processCpuNs();
    /// Resident set size of this process in MiB (0 where the platform does not say).
    static double rssMb();

private:
    /// `now`: steady time at which the render thread swapped the frame.
    void onFrameSwapped(std::int64_t now);

    LatencyHistogram m_intervals;
    std::uint64_t m_frames = 0;
    std::int64_t m_lastFrameNs = 0;
    std::int64_t m_startNs = 0;
    std::int64_t m_startCpuNs = 0;
    std::int64_t m_startGuiCpuNs = 0; // the GUI thread's own CPU time at start
    std::int64_t m_processStartNs = 0;
    std::int64_t m_firstLiveFrameNs = 0; // 0 = not yet
    bool m_liveData = false;
};

} // namespace tickscope
