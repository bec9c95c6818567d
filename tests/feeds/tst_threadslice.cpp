#include "fatalwarnings.h"
#include "feedmanager.h"
#include "handoff.h"
#include "pipelinestats.h"
#include "threadcall.h"
#include "threadslice.h"

#include <QtTest>

#include <thread>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/utsname.h>

#include <sched.h>

#include <cstdio>
#endif

using namespace tickscope;

namespace {

#if defined(__linux__)
/// Linux 6.12 is the first with per-thread slices for normal threads (and reports them back).
bool kernelHasSlices()
{
    utsname name {};
    int major = 0;
    int minor = 0;
    if (uname(&name) != 0 || std::sscanf(name.release, "%d.%d", &major, &minor) != 2)
        return false;
    return major > 6 || (major == 6 && minor >= 12);
}
#endif

} // namespace

class TestThreadSlice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void keepsPolicyAndNiceAndSetsTheSlice()
    {
#if defined(__linux__)
        int niced = -1;
        bool accepted = false;
        int policy = -1;
        int nice = -1;
        std::chrono::microseconds slice {};
        // A thread of its own: raising its nice value needs no privilege, and the test's main
        // thread is left as it was.
        std::thread worker([&] {
            niced = setpriority(PRIO_PROCESS, 0, 3);
            accepted = requestShortSlice(std::chrono::microseconds(300));
            policy = sched_getscheduler(0);
            nice = getpriority(PRIO_PROCESS, 0);
            slice = currentSlice();
        });
        worker.join();
        QCOMPARE(niced, 0);
        QVERIFY(accepted);
        QCOMPARE(policy, SCHED_OTHER);
        QCOMPARE(nice, 3);
        if (!kernelHasSlices())
            QSKIP("this kernel takes no per-thread slice (Linux < 6.12); the request was still accepted");
        QCOMPARE(slice.count(), 300);
#else
        QVERIFY(!requestShortSlice(std::chrono::microseconds(300)));
#endif
    }

    void theFeedThreadRunsInShortSlices()
    {
        Handoff handoff;
        PipelineStats stats;
        FeedManager manager(handoff, stats);
#if defined(__linux__)
        QVERIFY(manager.shortSlice());
        if (!kernelHasSlices())
            QSKIP("this kernel takes no per-thread slice (Linux < 6.12)");
        QObject onFeedThread;
        onFeedThread.moveToThread(manager.feedThread());
        std::chrono::microseconds slice {};
        QThread *testThread = QThread::currentThread();
        callOnThread(&onFeedThread, [&] {
            slice = currentSlice();
            onFeedThread.moveToThread(testThread);
        });
        QCOMPARE(slice.count(), FeedManager::kFeedThreadSlice.count());
#else
        QVERIFY(!manager.shortSlice());
#endif
    }
};

QTEST_GUILESS_MAIN(TestThreadSlice)
#include "tst_threadslice.moc"
