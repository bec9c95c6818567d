#include "threadslice.h"

#if defined(__linux__)
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#endif

namespace tickscope {

#if defined(__linux__) && defined(SYS_sched_setattr)

namespace {

// The kernel's `struct sched_attr` (include/uapi/linux/sched/types.h), first version (48 bytes):
// glibc before 2.41 does not declare it.
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
static_assert(sizeof(SchedAttr) == 48);

} // namespace

bool requestShortSlice(std::chrono::microseconds slice)
{
    const int policy = sched_getscheduler(0);
    if (policy != SCHED_OTHER && policy != SCHED_BATCH)
        return false; // real-time or idle threads are left as they are
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, 0); // this thread's nice value (Linux: per thread)
    if (errno != 0)
        return false;
    SchedAttr attr {};
    attr.size = sizeof attr;
    attr.policy = static_cast<std::uint32_t>(policy);
    attr.nice = nice;
    attr.runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
    return syscall(SYS_sched_setattr, 0, &attr, 0U) == 0;
}

std::chrono::microseconds currentSlice()
{
    SchedAttr attr {};
    if (syscall(SYS_sched_getattr, 0, &attr, static_cast<unsigned>(sizeof attr), 0U) != 0)
        return {};
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds(attr.runtime));
}

#else

bool requestShortSlice(std::chrono::microseconds)
{
    return false;
}

std::chrono::microseconds currentSlice()
{
    return {};
}

#endif

} // namespace tickscope
