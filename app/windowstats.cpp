#include "windowstats.h"

#include "pipelinestats.h"

#include <QFile>
#include <QQuickWindow>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#include <time.h>
#endif
#if defined(Q_OS_MACOS)
#include <mach/mach.h>
#endif
#if defined(Q_OS_WIN)
#include <psapi.h>
#include <windows.h>
#endif

namespace tickscope {

namespace {
constexpr std::int64_t kIdleGapNs = 1'000'000'000;
}

WindowStats::WindowStats(QQuickWindow *window, std::int64_t processStartNs)
    : QObject(window)
    , m_startNs(steadyNowNs())
    , m_startCpuNs(processCpuNs())
    , m_startGuiCpuNs(threadCpuNs())
    , m_processStartNs(processStartNs)
{
    // frameSwapped is emitted on the render thread (threaded render loop). The time is taken there,
    // when the frame was swapped, and handed to this object's thread, so that only the GUI thread
    // touches the histogram and a busy GUI thread does not skew the intervals it records.
    connect(
        window, &QQuickWindow::frameSwapped, this,
        [this] {
            const std::int64_t now = steadyNowNs();
            QMetaObject::invokeMethod(
                this, [this, now] { onFrameSwapped(now); }, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
}

void WindowStats::markLiveData()
{
    m_liveData = true;
}

void WindowStats::onFrameSwapped(std::int64_t now)
{
    if (m_liveData && m_firstLiveFrameNs == 0)
        m_firstLiveFrameNs = now;
    if (m_lastFrameNs != 0 && now - m_lastFrameNs < kIdleGapNs)
        m_intervals.record(now - m_lastFrameNs);
    m_lastFrameNs = now;
    ++m_frames;
}

QJsonObject WindowStats::json() const
{
    const double wallNs = static_cast<double>(steadyNowNs() - m_startNs);
    const double cpuNs = static_cast<double>(processCpuNs() - m_startCpuNs);
    return QJsonObject {
        {QStringLiteral("frames"), static_cast<qint64>(m_frames)},
        {QStringLiteral("frame_interval_ms_p50"), m_intervals.quantileMs(0.5)},
        {QStringLiteral("frame_interval_ms_p99"), m_intervals.quantileMs(0.99)},
        {QStringLiteral("first_live_frame_ms"),
         m_firstLiveFrameNs ? static_cast<double>(m_firstLiveFrameNs - m_processStartNs) / 1e6 : -1.0},
        {QStringLiteral("process_cpu_percent"), wallNs > 0 ? 100.0 * cpuNs / wallNs : 0.0},
        {QStringLiteral("gui_thread_busy_pct"),
         wallNs > 0 ? 100.0 * static_cast<double>(threadCpuNs() - m_startGuiCpuNs) / wallNs : 0.0},
        {QStringLiteral("rss_mb"), rssMb()},
    };
}

std::int64_t WindowStats::threadCpuNs()
{
#if defined(Q_OS_UNIX)
    timespec t {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return 0;
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
#elif defined(Q_OS_WIN)
    FILETIME creation, exit, kernel, user;
    if (!GetThreadTimes(GetCurrentThread(), &creation, &exit, &kernel, &user))
        return 0;
    const auto ns = [](const FILETIME &t) {
        return ((static_cast<std::int64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime) * 100;
    };
    return ns(kernel) + ns(user);
#else
    return 0;
#endif
}

std::int64_t WindowStats::processCpuNs()
{
#if defined(Q_OS_UNIX)
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    const auto ns = [](const timeval &t) {
        return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + static_cast<std::int64_t>(t.tv_usec) * 1000;
    };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
#elif defined(Q_OS_WIN)
    FILETIME creation, exit, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &creation, &exit, &kernel, &user))
        return 0;
    const auto ns = [](const FILETIME &t) {
        return ((static_cast<std::int64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime) * 100;
    };
    return ns(kernel) + ns(user);
#else
    return 0;
#endif
}

double WindowStats::rssMb()
{
#if defined(Q_OS_LINUX)
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) // "VmRSS:	  123456 kB"
            return line.mid(6).trimmed().split(' ').constFirst().toDouble() / 1024.0;
    }
    return 0;
#elif defined(Q_OS_MACOS)
    mach_task_basic_info info {};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) != KERN_SUCCESS)
        return 0;
    return static_cast<double>(info.resident_size) / (1024.0 * 1024.0);
#elif defined(Q_OS_WIN)
    PROCESS_MEMORY_COUNTERS counters {};
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)))
        return 0;
    return static_cast<double>(counters.WorkingSetSize) / (1024.0 * 1024.0);
#else
    return 0;
#endif
}

} // namespace tickscope
