#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <atomic>
#include <future>

namespace tickscope {

/// Runs `fn` on the thread `context` lives on and waits until it has finished (like
/// Qt::BlockingQueuedConnection). The hand-over both ways is an explicit atomic release/acquire and
/// a std::promise, so ThreadSanitizer sees the ordering: Qt's own queued-call locking happens inside
/// the Qt library, which is not instrumented. Never call it for an object of a thread that is
/// blocked waiting on the caller.
template<typename Fn> void callOnThread(QObject *context, Fn &&fn)
{
    if (context->thread() == QThread::currentThread()) {
        fn();
        return;
    }
    std::atomic<bool> handedOver {false};
    std::promise<void> done;
    std::future<void> finished = done.get_future();
    handedOver.store(true, std::memory_order_release);
    QMetaObject::invokeMethod(
        context,
        [&] {
            [[maybe_unused]] const bool seen = handedOver.load(std::memory_order_acquire);
            fn();
            done.set_value();
        },
        Qt::QueuedConnection);
    finished.wait();
}

} // namespace tickscope
