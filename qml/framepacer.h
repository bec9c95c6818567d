#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QWindow;

namespace tickscope {

/// Caps how often a window renders (`tickscope --max-fps N`).
///
/// With vsync the display already paces Qt Quick. Without it (software OpenGL, a virtual display, a
/// remote desktop) a window that changes all the time renders as many frames as the CPU allows,
/// most of which no screen ever shows. The pacer filters the window's update requests: one that
/// comes sooner than the period after the previous frame is held and delivered when the period is
/// up. Every source of frames (data, timers, input) goes through the same gate; nothing is lost,
/// changes made meanwhile are in the held frame.
class FramePacer : public QObject
{
    Q_OBJECT
public:
    /// Paces `window` to at most `maxFps` frames per second (> 0).
    FramePacer(QWindow *window, int maxFps);

    /// Update requests held back so far (each was delivered later).
    qint64 heldRequests() const { return m_held; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void release();

    QPointer<QWindow> m_window;
    qint64 m_periodNs;
    QElapsedTimer m_sinceFrame;
    QTimer m_timer;
    qint64 m_held = 0;
};

} // namespace tickscope
