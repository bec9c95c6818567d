#include "fatalwarnings.h"
#include "orderbook.h"

#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

using namespace tickscope;

using Levels = std::vector<tickscope::Level>;
Q_DECLARE_METATYPE(Levels)
Q_DECLARE_METATYPE(tickscope::BookSide)
Q_DECLARE_METATYPE(tickscope::ApplyResult)
Q_DECLARE_METATYPE(tickscope::BookIntegrity)

namespace tickscope {
// Readable QCOMPARE failures for levels.
char *toString(const Level &level)
{
    return QTest::toString(QByteArray::number(level.price) + '@' + QByteArray::number(level.qty));
}
} // namespace tickscope

namespace {

Levels toLevels(std::span<const Level> levels)
{
    return Levels(levels.begin(), levels.end());
}

BookSnapshot makeSnapshot(const Levels &bids, const Levels &asks, std::uint64_t sequence)
{
    BookSnapshot snapshot;
    snapshot.sequence = sequence;
    snapshot.bids = bids;
    snapshot.asks = asks;
    return snapshot;
}

/// bids 90..98 step 2, asks 100..108 step 2; qty = distance rank + 1; sequence 10.
OrderBook standardBook()
{
    OrderBook book;
    book.applySnapshot(makeSnapshot({{98, 1}, {96, 2}, {94, 3}, {92, 4}, {90, 5}},
                                    {{100, 1}, {102, 2}, {104, 3}, {106, 4}, {108, 5}}, 10));
    return book;
}

const Levels kStandardBids {{90, 5}, {92, 4}, {94, 3}, {96, 2}, {98, 1}};
const Levels kStandardAsks {{108, 5}, {106, 4}, {104, 3}, {102, 2}, {100, 1}};

BookDelta makeDelta(std::uint64_t sequence, std::uint64_t prevSequence, const Levels &bids = {},
                    const Levels &asks = {})
{
    BookDelta delta;
    delta.sequence = sequence;
    delta.prevSequence = prevSequence;
    delta.bids = bids;
    delta.asks = asks;
    return delta;
}

} // namespace

class TestOrderBook : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void initialState()
    {
        OrderBook book;
        QCOMPARE(book.integrity(), BookIntegrity::Resyncing);
        QCOMPARE(book.sequence(), quint64(0));
        QVERIFY(book.empty());
        QVERIFY(!book.crossed());
        QCOMPARE(book.best(BookSide::Bid), Level {});
        QCOMPARE(book.best(BookSide::Ask), Level {});
        QCOMPARE(book.applyDelta(makeDelta(1, 0, {{1, 1}})), ApplyResult::NotSynced);
        QVERIFY(book.empty());
    }

    void snapshot_data()
    {
        QTest::addColumn<Levels>("bids");
        QTest::addColumn<Levels>("asks");
        QTest::addColumn<Levels>("expectedBids");
        QTest::addColumn<Levels>("expectedAsks");

        const Levels bids {{90, 5}, {92, 4}, {94, 3}};
        const Levels asks {{104, 3}, {102, 2}, {100, 1}};
        QTest::newRow("best first") << Levels {{94, 3}, {92, 4}, {90, 5}} << Levels {{100, 1}, {102, 2}, {104, 3}}
                                    << bids << asks;
        QTest::newRow("storage order") << bids << asks << bids << asks;
        QTest::newRow("shuffled") << Levels {{92, 4}, {94, 3}, {90, 5}} << Levels {{102, 2}, {100, 1}, {104, 3}} << bids
                                  << asks;
        QTest::newRow("zero qty dropped") << Levels {{92, 4}, {93, 0}, {94, 3}, {90, 5}, {80, 0}}
                                          << Levels {{99, 0}, {100, 1}, {102, 2}, {104, 3}} << bids << asks;
        QTest::newRow("zero qty dropped sorted") << Levels {{94, 3}, {93, 0}, {92, 4}, {90, 5}}
                                                 << Levels {{104, 3}, {103, 0}, {102, 2}, {100, 1}} << bids << asks;
        QTest::newRow("duplicates last wins") << Levels {{92, 7}, {94, 3}, {90, 5}, {92, 4}}
                                              << Levels {{100, 9}, {102, 2}, {100, 1}, {104, 3}} << bids << asks;
        QTest::newRow("adjacent duplicates last wins")
            << Levels {{94, 3}, {92, 7}, {92, 4}, {90, 5}} << Levels {{100, 1}, {102, 2}, {104, 9}, {104, 3}} << bids
            << asks;
        QTest::newRow("duplicate removed by zero")
            << Levels {{94, 3}, {92, 4}, {90, 5}, {95, 1}, {95, 0}} << asks << bids << asks;
        QTest::newRow("empty") << Levels {} << Levels {} << Levels {} << Levels {};
        QTest::newRow("one side") << bids << Levels {} << bids << Levels {};
        QTest::newRow("all zero") << Levels {{94, 0}, {92, 0}} << Levels {{100, 0}} << Levels {} << Levels {};
    }
    void snapshot()
    {
        QFETCH(Levels, bids);
        QFETCH(Levels, asks);
        QFETCH(Levels, expectedBids);
        QFETCH(Levels, expectedAsks);

        OrderBook book = standardBook(); // a snapshot replaces everything that was there
        book.applySnapshot(makeSnapshot(bids, asks, 42));
        QCOMPARE(toLevels(book.levels(BookSide::Bid)), expectedBids);
        QCOMPARE(toLevels(book.levels(BookSide::Ask)), expectedAsks);
        QCOMPARE(book.depth(BookSide::Bid), expectedBids.size());
        QCOMPARE(book.depth(BookSide::Ask), expectedAsks.size());
        QCOMPARE(book.sequence(), quint64(42));
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.empty(), expectedBids.empty() && expectedAsks.empty());
        QCOMPARE(book.best(BookSide::Bid), expectedBids.empty() ? Level {} : expectedBids.back());
        QCOMPARE(book.best(BookSide::Ask), expectedAsks.empty() ? Level {} : expectedAsks.back());
    }

    void delta_data()
    {
        QTest::addColumn<BookSide>("side");
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("qty");
        QTest::addColumn<Levels>("expected");

        const BookSide bid = BookSide::Bid;
        const BookSide ask = BookSide::Ask;
        QTest::newRow("bid insert best") << bid << qint64(99) << qint64(7)
                                         << Levels {{90, 5}, {92, 4}, {94, 3}, {96, 2}, {98, 1}, {99, 7}};
        QTest::newRow("bid insert middle")
            << bid << qint64(93) << qint64(7) << Levels {{90, 5}, {92, 4}, {93, 7}, {94, 3}, {96, 2}, {98, 1}};
        QTest::newRow("bid insert worst")
            << bid << qint64(80) << qint64(7) << Levels {{80, 7}, {90, 5}, {92, 4}, {94, 3}, {96, 2}, {98, 1}};
        QTest::newRow("bid update best") << bid << qint64(98) << qint64(7)
                                         << Levels {{90, 5}, {92, 4}, {94, 3}, {96, 2}, {98, 7}};
        QTest::newRow("bid update middle")
            << bid << qint64(94) << qint64(7) << Levels {{90, 5}, {92, 4}, {94, 7}, {96, 2}, {98, 1}};
        QTest::newRow("bid update worst")
            << bid << qint64(90) << qint64(7) << Levels {{90, 7}, {92, 4}, {94, 3}, {96, 2}, {98, 1}};
        QTest::newRow("bid remove best") << bid << qint64(98) << qint64(0)
                                         << Levels {{90, 5}, {92, 4}, {94, 3}, {96, 2}};
        QTest::newRow("bid remove middle")
            << bid << qint64(94) << qint64(0) << Levels {{90, 5}, {92, 4}, {96, 2}, {98, 1}};
        QTest::newRow("bid remove worst")
            << bid << qint64(90) << qint64(0) << Levels {{92, 4}, {94, 3}, {96, 2}, {98, 1}};
        QTest::newRow("bid remove absent middle") << bid << qint64(95) << qint64(0) << kStandardBids;
        QTest::newRow("bid remove absent above best") << bid << qint64(99) << qint64(0) << kStandardBids;
        QTest::newRow("bid remove absent below worst") << bid << qint64(1) << qint64(0) << kStandardBids;

        QTest::newRow("ask insert best") << ask << qint64(99) << qint64(7)
                                         << Levels {{108, 5}, {106, 4}, {104, 3}, {102, 2}, {100, 1}, {99, 7}};
        QTest::newRow("ask insert middle")
            << ask << qint64(105) << qint64(7) << Levels {{108, 5}, {106, 4}, {105, 7}, {104, 3}, {102, 2}, {100, 1}};
        QTest::newRow("ask insert worst")
            << ask << qint64(200) << qint64(7) << Levels {{200, 7}, {108, 5}, {106, 4}, {104, 3}, {102, 2}, {100, 1}};
        QTest::newRow("ask update best") << ask << qint64(100) << qint64(7)
                                         << Levels {{108, 5}, {106, 4}, {104, 3}, {102, 2}, {100, 7}};
        QTest::newRow("ask update middle")
            << ask << qint64(104) << qint64(7) << Levels {{108, 5}, {106, 4}, {104, 7}, {102, 2}, {100, 1}};
        QTest::newRow("ask update worst")
            << ask << qint64(108) << qint64(7) << Levels {{108, 7}, {106, 4}, {104, 3}, {102, 2}, {100, 1}};
        QTest::newRow("ask remove best") << ask << qint64(100) << qint64(0)
                                         << Levels {{108, 5}, {106, 4}, {104, 3}, {102, 2}};
        QTest::newRow("ask remove middle")
            << ask << qint64(104) << qint64(0) << Levels {{108, 5}, {106, 4}, {102, 2}, {100, 1}};
        QTest::newRow("ask remove worst")
            << ask << qint64(108) << qint64(0) << Levels {{106, 4}, {104, 3}, {102, 2}, {100, 1}};
        QTest::newRow("ask remove absent middle") << ask << qint64(103) << qint64(0) << kStandardAsks;
        QTest::newRow("ask remove absent below best") << ask << qint64(99) << qint64(0) << kStandardAsks;
        QTest::newRow("ask remove absent above worst") << ask << qint64(500) << qint64(0) << kStandardAsks;
    }
    void delta()
    {
        QFETCH(BookSide, side);
        QFETCH(qint64, price);
        QFETCH(qint64, qty);
        QFETCH(Levels, expected);
        const BookSide other = side == BookSide::Bid ? BookSide::Ask : BookSide::Bid;
        const Levels otherExpected = side == BookSide::Bid ? kStandardAsks : kStandardBids;

        // Through applyDelta…
        OrderBook book = standardBook();
        const Levels change {{price, qty}};
        const BookDelta delta = side == BookSide::Bid ? makeDelta(11, 0, change) : makeDelta(11, 0, {}, change);
        QCOMPARE(book.applyDelta(delta), ApplyResult::Applied);
        QCOMPARE(toLevels(book.levels(side)), expected);
        QCOMPARE(toLevels(book.levels(other)), otherExpected);
        QCOMPARE(book.sequence(), quint64(11));
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.quantityAt(side, price), qty);

        // …and through setLevel, which skips the sequence logic.
        OrderBook direct = standardBook();
        direct.setLevel(side, price, qty);
        QCOMPARE(toLevels(direct.levels(side)), expected);
        QCOMPARE(toLevels(direct.levels(other)), otherExpected);
        QCOMPARE(direct.sequence(), quint64(10));
    }

    void deltaSeveralLevels()
    {
        OrderBook book = standardBook();
        // Applied in order: the second entry for 96 wins, removal then re-add of 98 leaves it.
        const BookDelta delta
            = makeDelta(11, 0, {{96, 9}, {98, 0}, {96, 8}, {98, 3}, {91, 1}}, {{100, 0}, {101, 6}, {108, 0}});
        QCOMPARE(book.applyDelta(delta), ApplyResult::Applied);
        QCOMPARE(toLevels(book.levels(BookSide::Bid)), (Levels {{90, 5}, {91, 1}, {92, 4}, {94, 3}, {96, 8}, {98, 3}}));
        QCOMPARE(toLevels(book.levels(BookSide::Ask)), (Levels {{106, 4}, {104, 3}, {102, 2}, {101, 6}}));
    }

    // Deep enough that the search takes both paths: the window near the touch and the binary search
    // behind it. Every price from beyond the worst level to beyond the best, present or not, set or removed.
    void deepBookEveryPosition_data()
    {
        QTest::addColumn<BookSide>("side");
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("qty");
        for (qint64 price = 0; price <= 84; ++price) {
            for (qint64 qty : {qint64(0), qint64(7)}) {
                QTest::addRow("bid %lld qty %lld", price, qty) << BookSide::Bid << price << qty;
                QTest::addRow("ask %lld qty %lld", 100 + price, qty) << BookSide::Ask << (100 + price) << qty;
            }
        }
    }
    void deepBookEveryPosition()
    {
        QFETCH(BookSide, side);
        QFETCH(qint64, price);
        QFETCH(qint64, qty);

        // 41 levels per side on even prices: bids 2..82, asks 102..182 (qty = price, to tell them apart).
        Levels bids;
        Levels asks;
        std::map<std::int64_t, std::int64_t> expected;
        for (qint64 p = 2; p <= 82; p += 2) {
            const qint64 own = side == BookSide::Bid ? p : 100 + p;
            bids.push_back({p, p});
            asks.push_back({100 + p, 100 + p});
            expected[own] = own;
        }
        OrderBook book;
        book.applySnapshot(makeSnapshot(bids, asks, 1));
        book.setLevel(side, price, qty);
        if (qty == 0)
            expected.erase(price);
        else
            expected[price] = qty;

        Levels want;
        for (const auto &[p, q] : expected)
            want.push_back({p, q});
        if (side == BookSide::Ask)
            std::reverse(want.begin(), want.end()); // storage order: worst first
        QCOMPARE(toLevels(book.levels(side)), want);
        QCOMPARE(book.quantityAt(side, price), qty);
        QCOMPARE(book.depth(side == BookSide::Bid ? BookSide::Ask : BookSide::Bid), std::size_t(41));
    }

    void sequence_data()
    {
        QTest::addColumn<quint64>("sequence");
        QTest::addColumn<quint64>("prevSequence");
        QTest::addColumn<ApplyResult>("result");
        QTest::addColumn<BookIntegrity>("integrity");
        QTest::addColumn<quint64>("bookSequence");

        // The book is at sequence 10.
        QTest::newRow("next") << quint64(11) << quint64(0) << ApplyResult::Applied << BookIntegrity::Synced
                              << quint64(11);
        QTest::newRow("stale same") << quint64(10) << quint64(0) << ApplyResult::Stale << BookIntegrity::Synced
                                    << quint64(10);
        QTest::newRow("stale older") << quint64(3) << quint64(0) << ApplyResult::Stale << BookIntegrity::Synced
                                     << quint64(10);
        QTest::newRow("gap") << quint64(12) << quint64(0) << ApplyResult::Gap << BookIntegrity::Gap << quint64(10);
        QTest::newRow("gap far") << quint64(1000) << quint64(0) << ApplyResult::Gap << BookIntegrity::Gap
                                 << quint64(10);
        QTest::newRow("prev matches") << quint64(15) << quint64(10) << ApplyResult::Applied << BookIntegrity::Synced
                                      << quint64(15);
        QTest::newRow("prev matches next")
            << quint64(11) << quint64(10) << ApplyResult::Applied << BookIntegrity::Synced << quint64(11);
        QTest::newRow("prev behind") << quint64(15) << quint64(9) << ApplyResult::Gap << BookIntegrity::Gap
                                     << quint64(10);
        QTest::newRow("prev ahead") << quint64(15) << quint64(12) << ApplyResult::Gap << BookIntegrity::Gap
                                    << quint64(10);
        QTest::newRow("prev stale same") << quint64(10) << quint64(8) << ApplyResult::Stale << BookIntegrity::Synced
                                         << quint64(10);
        QTest::newRow("prev stale older")
            << quint64(9) << quint64(8) << ApplyResult::Stale << BookIntegrity::Synced << quint64(10);
        QTest::newRow("no sequence") << quint64(0) << quint64(0) << ApplyResult::Applied << BookIntegrity::Synced
                                     << quint64(10);
        QTest::newRow("no sequence with prev")
            << quint64(0) << quint64(3) << ApplyResult::Applied << BookIntegrity::Synced << quint64(10);
    }
    void sequence()
    {
        QFETCH(quint64, sequence);
        QFETCH(quint64, prevSequence);
        QFETCH(ApplyResult, result);
        QFETCH(BookIntegrity, integrity);
        QFETCH(quint64, bookSequence);

        OrderBook book = standardBook();
        QCOMPARE(book.applyDelta(makeDelta(sequence, prevSequence, {{97, 7}}, {{101, 7}})), result);
        QCOMPARE(book.integrity(), integrity);
        QCOMPARE(book.sequence(), bookSequence);
        const bool applied = result == ApplyResult::Applied;
        QCOMPARE(book.quantityAt(BookSide::Bid, 97), applied ? 7 : 0);
        QCOMPARE(book.quantityAt(BookSide::Ask, 101), applied ? 7 : 0);
        if (!applied) {
            QCOMPARE(toLevels(book.levels(BookSide::Bid)), kStandardBids);
            QCOMPARE(toLevels(book.levels(BookSide::Ask)), kStandardAsks);
        }
    }

    void notSyncedUntilSnapshot_data()
    {
        QTest::addColumn<int>("how");
        QTest::newRow("gap delta") << 0;
        QTest::newRow("markGap") << 1;
        QTest::newRow("markResyncing") << 2;
        QTest::newRow("clear") << 3;
    }
    void notSyncedUntilSnapshot()
    {
        QFETCH(int, how);
        OrderBook book = standardBook();
        switch (how) {
        case 0:
            QCOMPARE(book.applyDelta(makeDelta(20, 0, {{97, 1}})), ApplyResult::Gap);
            QCOMPARE(book.integrity(), BookIntegrity::Gap);
            break;
        case 1:
            book.markGap();
            QCOMPARE(book.integrity(), BookIntegrity::Gap);
            break;
        case 2:
            book.markResyncing();
            QCOMPARE(book.integrity(), BookIntegrity::Resyncing);
            break;
        case 3:
            book.clear();
            QCOMPARE(book.integrity(), BookIntegrity::Resyncing);
            QVERIFY(book.empty());
            QCOMPARE(book.sequence(), quint64(0));
            break;
        }
        const BookIntegrity stuck = book.integrity();
        const Levels bids = toLevels(book.levels(BookSide::Bid));
        // Whatever the sequence, nothing applies until a snapshot arrives.
        for (const BookDelta &delta : {makeDelta(11, 0, {{97, 1}}), makeDelta(21, 0, {{97, 1}}),
                                       makeDelta(0, 0, {{97, 1}}), makeDelta(30, 10, {{97, 1}})}) {
            QCOMPARE(book.applyDelta(delta), ApplyResult::NotSynced);
            QCOMPARE(book.integrity(), stuck);
            QCOMPARE(toLevels(book.levels(BookSide::Bid)), bids);
        }

        book.applySnapshot(makeSnapshot({{50, 1}}, {{60, 1}}, 100));
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.applyDelta(makeDelta(100, 0, {{51, 1}})), ApplyResult::Stale);
        QCOMPARE(book.applyDelta(makeDelta(101, 0, {{51, 2}})), ApplyResult::Applied);
        QCOMPARE(toLevels(book.levels(BookSide::Bid)), (Levels {{50, 1}, {51, 2}}));
        QCOMPARE(book.sequence(), quint64(101));
    }

    void crossedSnapshot_data()
    {
        QTest::addColumn<Levels>("bids");
        QTest::addColumn<Levels>("asks");
        QTest::addColumn<bool>("crossed");
        QTest::newRow("crossed") << Levels {{101, 1}, {99, 1}} << Levels {{100, 1}, {102, 1}} << true;
        QTest::newRow("locked") << Levels {{100, 1}} << Levels {{100, 1}} << true;
        QTest::newRow("one tick apart") << Levels {{99, 1}} << Levels {{100, 1}} << false;
        QTest::newRow("crossing level has qty 0") << Levels {{101, 0}, {99, 1}} << Levels {{100, 1}} << false;
        QTest::newRow("no asks") << Levels {{101, 1}} << Levels {} << false;
    }
    void crossedSnapshot()
    {
        QFETCH(Levels, bids);
        QFETCH(Levels, asks);
        QFETCH(bool, crossed);
        OrderBook book;
        book.applySnapshot(makeSnapshot(bids, asks, 5));
        QCOMPARE(book.crossed(), crossed);
        QCOMPARE(book.integrity(), crossed ? BookIntegrity::Gap : BookIntegrity::Synced);
        QCOMPARE(book.sequence(), quint64(5));
        QCOMPARE(book.applyDelta(makeDelta(6, 0, {{1, 1}})), crossed ? ApplyResult::NotSynced : ApplyResult::Applied);
    }

    void crossedDelta_data()
    {
        QTest::addColumn<Levels>("bids");
        QTest::addColumn<Levels>("asks");
        QTest::newRow("bid through ask") << Levels {{101, 1}} << Levels {};
        QTest::newRow("bid locks ask") << Levels {{100, 1}} << Levels {};
        QTest::newRow("ask through bid") << Levels {} << Levels {{97, 1}};
        QTest::newRow("both") << Levels {{99, 1}} << Levels {{99, 2}};
    }
    void crossedDelta()
    {
        QFETCH(Levels, bids);
        QFETCH(Levels, asks);
        OrderBook book = standardBook();
        QCOMPARE(book.applyDelta(makeDelta(11, 0, bids, asks)), ApplyResult::Crossed);
        QVERIFY(book.crossed());
        QCOMPARE(book.integrity(), BookIntegrity::Gap);
        QCOMPARE(book.sequence(), quint64(11)); // applied, just untrustworthy
        for (const Level &level : bids)
            QCOMPARE(book.quantityAt(BookSide::Bid, level.price), level.qty);
        for (const Level &level : asks)
            QCOMPARE(book.quantityAt(BookSide::Ask, level.price), level.qty);
        QCOMPARE(book.applyDelta(makeDelta(12, 0, {}, {{200, 1}})), ApplyResult::NotSynced);
    }

    void uncrossingDeltaIsApplied()
    {
        OrderBook book = standardBook();
        // Removing the best ask and adding a bid above the old best ask in one delta is fine.
        QCOMPARE(book.applyDelta(makeDelta(11, 0, {{101, 1}}, {{100, 0}})), ApplyResult::Applied);
        QVERIFY(!book.crossed());
        QCOMPARE(book.best(BookSide::Bid), (Level {101, 1}));
        QCOMPARE(book.best(BookSide::Ask), (Level {102, 2}));
    }

    void top_data()
    {
        QTest::addColumn<BookSide>("side");
        QTest::addColumn<int>("n");
        QTest::addColumn<Levels>("expected");

        QTest::newRow("bid 0") << BookSide::Bid << 0 << Levels {};
        QTest::newRow("bid 1") << BookSide::Bid << 1 << Levels {{98, 1}};
        QTest::newRow("bid 3") << BookSide::Bid << 3 << Levels {{98, 1}, {96, 2}, {94, 3}};
        QTest::newRow("bid depth") << BookSide::Bid << 5 << Levels {{98, 1}, {96, 2}, {94, 3}, {92, 4}, {90, 5}};
        QTest::newRow("bid more than depth")
            << BookSide::Bid << 50 << Levels {{98, 1}, {96, 2}, {94, 3}, {92, 4}, {90, 5}};
        QTest::newRow("ask 0") << BookSide::Ask << 0 << Levels {};
        QTest::newRow("ask 1") << BookSide::Ask << 1 << Levels {{100, 1}};
        QTest::newRow("ask 3") << BookSide::Ask << 3 << Levels {{100, 1}, {102, 2}, {104, 3}};
        QTest::newRow("ask more than depth")
            << BookSide::Ask << 6 << Levels {{100, 1}, {102, 2}, {104, 3}, {106, 4}, {108, 5}};
    }
    void top()
    {
        QFETCH(BookSide, side);
        QFETCH(int, n);
        QFETCH(Levels, expected);
        const OrderBook book = standardBook();
        Levels out {{1, 1}, {2, 2}}; // stale content must go
        book.top(side, static_cast<std::size_t>(n), out);
        QCOMPARE(out, expected);

        const OrderBook empty;
        empty.top(side, static_cast<std::size_t>(n), out);
        QVERIFY(out.empty());
    }

    void quantityAt_data()
    {
        QTest::addColumn<BookSide>("side");
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("qty");
        QTest::newRow("bid best") << BookSide::Bid << qint64(98) << qint64(1);
        QTest::newRow("bid worst") << BookSide::Bid << qint64(90) << qint64(5);
        QTest::newRow("bid middle") << BookSide::Bid << qint64(94) << qint64(3);
        QTest::newRow("bid gap") << BookSide::Bid << qint64(95) << qint64(0);
        QTest::newRow("bid above") << BookSide::Bid << qint64(100) << qint64(0);
        QTest::newRow("bid below") << BookSide::Bid << qint64(-5) << qint64(0);
        QTest::newRow("ask best") << BookSide::Ask << qint64(100) << qint64(1);
        QTest::newRow("ask worst") << BookSide::Ask << qint64(108) << qint64(5);
        QTest::newRow("ask gap") << BookSide::Ask << qint64(101) << qint64(0);
        QTest::newRow("ask on bid price") << BookSide::Ask << qint64(98) << qint64(0);
    }
    void quantityAt()
    {
        QFETCH(BookSide, side);
        QFETCH(qint64, price);
        QFETCH(qint64, qty);
        QCOMPARE(standardBook().quantityAt(side, price), qty);
    }

    void truncate_data()
    {
        QTest::addColumn<int>("depth");
        QTest::addColumn<Levels>("bids");
        QTest::addColumn<Levels>("asks");
        QTest::newRow("0") << 0 << Levels {} << Levels {};
        QTest::newRow("1") << 1 << Levels {{98, 1}} << Levels {{100, 1}};
        QTest::newRow("2") << 2 << Levels {{96, 2}, {98, 1}} << Levels {{102, 2}, {100, 1}};
        QTest::newRow("depth") << 5 << kStandardBids << kStandardAsks;
        QTest::newRow("more than depth") << 100 << kStandardBids << kStandardAsks;
    }
    void truncate()
    {
        QFETCH(int, depth);
        QFETCH(Levels, bids);
        QFETCH(Levels, asks);
        OrderBook book = standardBook();
        book.truncate(static_cast<std::size_t>(depth));
        QCOMPARE(toLevels(book.levels(BookSide::Bid)), bids);
        QCOMPARE(toLevels(book.levels(BookSide::Ask)), asks);
        QCOMPARE(book.integrity(), BookIntegrity::Synced);
        QCOMPARE(book.sequence(), quint64(10));
    }

    void setSequence()
    {
        OrderBook book = standardBook();
        book.setSequence(500);
        QCOMPARE(book.sequence(), quint64(500));
        QCOMPARE(book.applyDelta(makeDelta(501, 0, {{97, 1}})), ApplyResult::Applied);
    }

    void integrityTexts()
    {
        std::set<QString> texts;
        for (BookIntegrity integrity : {BookIntegrity::Resyncing, BookIntegrity::Synced, BookIntegrity::Gap}) {
            QVERIFY(!bookIntegrityText(integrity).isEmpty());
            texts.insert(bookIntegrityText(integrity));
        }
        QCOMPARE(texts.size(), std::size_t(3));
    }

    void randomAgainstMap_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("spread"); // how far from the mid levels land; small = dense book
        QTest::newRow("dense") << quint64(7) << 20;
        QTest::newRow("wide") << quint64(20240601) << 400;
    }
    void randomAgainstMap()
    {
        QFETCH(quint64, seed);
        QFETCH(int, spread);

        std::mt19937_64 rng(seed);
        std::map<std::int64_t, std::int64_t, std::greater<>> refBids; // best first
        std::map<std::int64_t, std::int64_t> refAsks; // best first
        std::int64_t mid = 1'000'000;

        OrderBook book;
        book.applySnapshot(makeSnapshot({}, {}, 1));
        BookDelta delta;
        Levels topOut;

        const auto compareAll = [&](int step) {
            const Levels bids = toLevels(book.levels(BookSide::Bid));
            const Levels asks = toLevels(book.levels(BookSide::Ask));
            const Levels expectedBids = [&] {
                Levels levels;
                for (auto it = refBids.rbegin(); it != refBids.rend(); ++it)
                    levels.push_back({it->first, it->second});
                return levels;
            }();
            const Levels expectedAsks = [&] {
                Levels levels;
                for (auto it = refAsks.rbegin(); it != refAsks.rend(); ++it)
                    levels.push_back({it->first, it->second});
                return levels;
            }();
            if (bids != expectedBids || asks != expectedAsks)
                return QStringLiteral("books differ after step %1").arg(step);
            book.top(BookSide::Bid, 10, topOut);
            auto bit = refBids.begin();
            for (const Level &level : topOut) {
                if (bit == refBids.end() || level != Level {bit->first, bit->second})
                    return QStringLiteral("bid top differs after step %1").arg(step);
                ++bit;
            }
            if (topOut.size() != std::min<std::size_t>(10, refBids.size()))
                return QStringLiteral("bid top size differs after step %1").arg(step);
            return QString();
        };

        const int steps = 100'000;
        std::uniform_int_distribution<int> levelCount(0, 3);
        std::geometric_distribution<int> distance(5.0 / spread);
        std::uniform_int_distribution<std::int64_t> qtyDist(1, 1000);
        for (int step = 0; step < steps; ++step) {
            if (step % 500 == 0)
                mid += std::uniform_int_distribution<int>(-5, 5)(rng);
            delta.clear();
            delta.sequence = book.sequence() + 1;
            // Keep the book uncrossed: a mid move pulls the levels it overtook, as a venue would.
            for (auto it = refBids.begin(); it != refBids.end() && it->first >= mid; ++it)
                delta.bids.push_back({it->first, 0});
            for (auto it = refAsks.begin(); it != refAsks.end() && it->first <= mid; ++it)
                delta.asks.push_back({it->first, 0});
            for (int i = levelCount(rng); i > 0; --i) {
                const bool remove = rng() % 10 < 3;
                delta.bids.push_back({mid - 1 - distance(rng), remove ? 0 : qtyDist(rng)});
            }
            for (int i = levelCount(rng); i > 0; --i) {
                const bool remove = rng() % 10 < 3;
                delta.asks.push_back({mid + 1 + distance(rng), remove ? 0 : qtyDist(rng)});
            }
            for (const Level &level : delta.bids) {
                if (level.qty == 0)
                    refBids.erase(level.price);
                else
                    refBids[level.price] = level.qty;
            }
            for (const Level &level : delta.asks) {
                if (level.qty == 0)
                    refAsks.erase(level.price);
                else
                    refAsks[level.price] = level.qty;
            }

            const ApplyResult result = book.applyDelta(delta);
            if (result != ApplyResult::Applied)
                QFAIL(qPrintable(QStringLiteral("step %1 not applied").arg(step)));
            if (step % 997 == 0) {
                const QString problem = compareAll(step);
                QVERIFY2(problem.isEmpty(), qPrintable(problem));
                const std::int64_t probe = mid - 1 - distance(rng);
                const auto found = refBids.find(probe);
                QCOMPARE(book.quantityAt(BookSide::Bid, probe), found == refBids.end() ? 0 : found->second);
            }
        }
        const QString problem = compareAll(steps);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(book.sequence(), quint64(steps + 1));
        QVERIFY(book.depth(BookSide::Bid) > 5);
        QVERIFY(book.depth(BookSide::Ask) > 5);
        QCOMPARE(book.best(BookSide::Ask), (Level {refAsks.begin()->first, refAsks.begin()->second}));
    }
};

QTEST_GUILESS_MAIN(TestOrderBook)
#include "tst_orderbook.moc"
