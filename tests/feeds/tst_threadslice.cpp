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
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#endif

using namespace tickscope;

namespace {

#if defined(__linux__)
struct SchedAttr
{
    std::uint32_t size;
    std::uint32_t policy;
    std::uint64_t flags;
    std::int32_t nice;
    std::uint32_t priority;
    std::uint64_t runtime;
    std::uint64_t deadline;
    std::uint64_t period;
};

/// What the kernel reports for the calling thread.
SchedAttr currentAttr()
{
    SchedAttr attr {};
    syscall(SYS_sched_getattr, 0, &attr, static_cast<unsigned>(sizeof attr), 0U);
    return attr;
}

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
        SchedAttr after {};
        // A thread of its own: raising its nice value needs no privilege, and the test's main
        // thread is left as it was.
        std::thread worker([&] {
            niced = setpriority(PRIO_PROCESS, 0, 3);
            accepted = requestShortSlice(std::chrono::microseconds(300));
            after = currentAttr();
        });
        worker.join();
        QCOMPARE(niced, 0);
        QVERIFY(accepted);
        QCOMPARE(after.policy, std::uint32_t {SCHED_OTHER});
        QCOMPARE(after.nice, 3);
        if (!kernelHasSlices())
            QSKIP("this kernel takes no per-thread slice (Linux < 6.12); the request was still accepted");
        QCOMPARE(after.runtime, std::uint64_t {300'000});
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
        SchedAttr attr {};
        QThread *testThread = QThread::currentThread();
        callOnThread(&onFeedThread, [&] {
            attr = currentAttr();
            onFeedThread.moveToThread(testThread);
        });
        QCOMPARE(attr.runtime, std::uint64_t {std::chrono::nanoseconds(FeedManager::kFeedThreadSlice).count()});
#else
        QVERIFY(!manager.shortSlice());
#endif
    }
};

QTEST_GUILESS_MAIN(TestThreadSlice)
#include "tst_threadslice.moc"
