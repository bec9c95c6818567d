#pragma once

#include <chrono>

namespace tickscope {

/// Asks the OS scheduler to run the calling thread in short time slices, so that it gets a core
/// soon after it wakes even while other threads keep both cores busy.
///
/// Linux 6.12+ (EEVDF) takes a slice per thread for normal-priority threads (`sched_setattr` with
/// `sched_runtime`, no privilege needed): a thread with a shorter slice has an earlier deadline and
/// preempts a running one when it wakes, but gets no more CPU than before. The thread's policy and
/// nice value are kept. Older kernels ignore the slice; other systems are not asked. Returns whether
/// the request was accepted (not whether the kernel honours slices).
bool requestShortSlice(std::chrono::microseconds slice);

/// The slice the kernel reports for the calling thread (Linux 6.12+; zero where it reports none).
std::chrono::microseconds currentSlice();

} // namespace tickscope
