#pragma once

#include <QStringList>

namespace tickscope::bench {

/// `tickscope-bench book [--json] [--updates N] [--seed S]`: flat-array OrderBook vs a std::map book.
int runBookBench(const QStringList &args);
/// `tickscope-bench ingest [--seconds S] [--json]`: the whole feed path vs a bare QWebSocket receive loop.
int runIngestBench(const QStringList &args);
/// `tickscope-bench sim [--rate R] [--seconds S] [--json]`: messages/s the demo server really delivers.
int runSimBench(const QStringList &args);
/// `tickscope-bench frame [--rate R] [--seconds S] [--json]`: the real window under load and idle.
int runFrameBench(const QStringList &args);

} // namespace tickscope::bench
