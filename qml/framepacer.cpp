#include "framepacer.h"

#include <QCoreApplication>
#include <QEvent>
#include <QWindow>

namespace tickscope {

FramePacer::FramePacer(QWindow *window, int maxFps)
    : QObject(window)
    , m_window(window)
    , m_periodNs(1'000'000'000LL / (maxFps > 0 ? maxFps : 1))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FramePacer::release);
    window->installEventFilter(this);
}

bool FramePacer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::UpdateRequest)
        return false;
    const qint64 wait = m_sinceFrame.isValid() ? m_periodNs - m_sinceFrame.nsecsElapsed() : 0;
    if (wait <= 0) {
        m_sinceFrame.start();
        return false; // the window renders now
    }
    ++m_held;
    if (!m_timer.isActive())
        m_timer.start(static_cast<int>((wait + 999'999) / 1'000'000));
    return true;
}

void FramePacer::release()
{
    // Delivered here rather than through requestUpdate(), which would add the platform's own delay
    // for update requests (5 ms on some platforms) to every held frame.
    if (!m_window)
        return;
    QEvent request(QEvent::UpdateRequest);
    QCoreApplication::sendEvent(m_window, &request);
}

} // namespace tickscope
