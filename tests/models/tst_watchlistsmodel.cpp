// The user's watchlists: rows keyed by venue + symbol (waiting until announced), moving, sorting,
// the named lists with undo, and everything written through to the workspace file.
#include "fatalwarnings.h"
#include "marketcache.h"
#include "watchlistmodel.h"
#include "watchlistsmodel.h"
#include "workspacestore.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tickscope;

namespace {
Instrument instrument(const QString &venue, const QString &symbol)
{
    Instrument i;
    i.venue = venue;
    i.symbol = symbol;
    i.displayName = symbol;
    i.priceScale = 2;
    i.qtyScale = 4;
    return i;
}

InstrumentUpdate quoted(InstrumentId id, std::int64_t last, std::int64_t volume)
{
    InstrumentUpdate u;
    u.reset(id);
    u.integrity = BookIntegrity::Synced;
    u.quote.last = last;
    u.quote.bid = last - 1;
    u.quote.ask = last + 1;
    u.quote.open24h = last;
    u.quote.volume24h = volume;
    return u;
}

QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *text : texts)
        out << QString::fromUtf8(text);
    return out;
}

InstrumentKey demo(const QString &symbol)
{
    return {QStringLiteral("demo"), symbol};
}

QStringList symbols(const WatchlistModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.symbolAt(row);
    return out;
}

QStringList names(const WatchlistsModel &lists)
{
    QStringList out;
    for (int row = 0; row < lists.rowCount(); ++row)
        out << lists.nameAt(row);
    return out;
}

/// A cache, the rows model with a tester, and a workspace store saving into a temporary folder.
struct Fixture
{
    QTemporaryDir dir;
    MarketCache cache;
    WatchlistModel rows {cache};
    QAbstractItemModelTester rowsTester {&rows, QAbstractItemModelTester::FailureReportingMode::QtTest};
    WorkspaceStore store;
    WatchlistsModel lists {store, rows};
    QAbstractItemModelTester listsTester {&lists, QAbstractItemModelTester::FailureReportingMode::QtTest};

    explicit Fixture(const Workspace &start = twoLists())
    {
        rows.setFollowAll(false);
        store.load(dir.path(), start);
    }

    static Workspace twoLists()
    {
        Workspace w;
        w.watchlists = {Watchlist {QStringLiteral("Majors"),
                                   {demo(QStringLiteral("BTC-USD")),
                                    demo(QStringLiteral("ETH-USD")),
                                    {QStringLiteral("binance"), QStringLiteral("BTCUSDT")}},
                                   {},
                                   {},
                                   true},
                        Watchlist {QStringLiteral("Alts"), {demo(QStringLiteral("SOL-USD"))}, {}, {}, true}};
        return w;
    }

    /// Announces instruments (ids in order) with quotes: last = 100 × (position + 1).
    void announce(const QList<Instrument> &instruments, const QList<std::int64_t> &lasts = {})
    {
        DrainBatch batch;
        batch.firstNewId = static_cast<InstrumentId>(cache.instrumentCount());
        for (qsizetype i = 0; i < instruments.size(); ++i) {
            batch.newInstruments.push_back(instruments[i]);
            const std::int64_t last = i < lasts.size() ? lasts[i] : 100 * (i + 1);
            batch.updates.push_back(quoted(batch.firstNewId + static_cast<InstrumentId>(i), last, last * 3));
        }
        cache.apply(batch);
        rows.drained(batch);
    }

    /// The workspace as the next start reads it.
    Workspace saved()
    {
        store.saveNow();
        const WorkspaceLoad load = loadWorkspace(workspacePath(dir.path()), Workspace {});
        return load.workspace;
    }
};
} // namespace

class TestWatchlistsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void rowsWaitUntilTheirInstrumentIsAnnounced()
    {
        Fixture f;
        QCOMPARE(symbols(f.rows), strings({"BTC-USD", "ETH-USD", "BTCUSDT"}));
        for (int row = 0; row < 3; ++row) {
            const QModelIndex at = f.rows.index(row);
            QCOMPARE(f.rows.data(at, WatchlistModel::ResolvedRole).toBool(), false);
            QCOMPARE(f.rows.data(at, WatchlistModel::StaleRole).toBool(), true);
            QCOMPARE(f.rows.data(at, WatchlistModel::IntegrityRole).toString(), QStringLiteral("waiting"));
            QCOMPARE(f.rows.data(at, WatchlistModel::LastRole).toString(), QString());
            QCOMPARE(f.rows.instrumentAt(row), -1);
        }
        QCOMPARE(f.rows.data(f.rows.index(2), WatchlistModel::VenueRole).toString(), QStringLiteral("binance"));

        QSignalSpy changed(&f.rows, &QAbstractItemModel::dataChanged);
        // ETH on demo and BTCUSDT on another venue: only the matching venue resolves a row.
        f.announce({instrument(QStringLiteral("demo"), QStringLiteral("ETH-USD")),
                    instrument(QStringLiteral("kraken"), QStringLiteral("BTCUSDT"))});
        QCOMPARE(f.rows.rowCount(), 3); // nothing appended: the lists say what is shown
        QCOMPARE(f.rows.instrumentAt(1), 0);
        QCOMPARE(f.rows.rowOf(0), 1);
        QCOMPARE(f.rows.data(f.rows.index(1), WatchlistModel::ResolvedRole).toBool(), true);
        QCOMPARE(f.rows.data(f.rows.index(1), WatchlistModel::LastRole).toString(), QStringLiteral("1.00"));
        QCOMPARE(f.rows.instrumentAt(2), -1);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    }

    void theSameSymbolOnTwoVenuesIsTwoRows()
    {
        Fixture f;
        QVERIFY(f.rows.addKey(QStringLiteral("kraken"), QStringLiteral("BTCUSDT")));
        QVERIFY(!f.rows.addKey(QStringLiteral("binance"), QStringLiteral("BTCUSDT"))); // already listed
        QVERIFY(!f.rows.addKey(QString(), QStringLiteral("X")));
        QCOMPARE(f.rows.rowOfKey(QStringLiteral("kraken"), QStringLiteral("BTCUSDT")), 3);
        QCOMPARE(f.rows.rowOfKey(QStringLiteral("binance"), QStringLiteral("BTCUSDT")), 2);
        QCOMPARE(f.saved().watchlists.at(0).instruments.size(), 4);
    }

    void moveRowKeepsTheUsersOrder()
    {
        Fixture f;
        QSignalSpy moved(&f.rows, &QAbstractItemModel::rowsMoved);
        QVERIFY(f.rows.moveRow(0, 2));
        QCOMPARE(symbols(f.rows), strings({"ETH-USD", "BTCUSDT", "BTC-USD"}));
        QVERIFY(f.rows.moveRow(2, 0));
        QVERIFY(f.rows.moveRow(1, 0));
        QCOMPARE(symbols(f.rows), strings({"ETH-USD", "BTC-USD", "BTCUSDT"}));
        QCOMPARE(moved.size(), 3);
        QVERIFY(!f.rows.moveRow(0, 3));
        QVERIFY(!f.rows.moveRow(-1, 0));
        const Workspace saved = f.saved();
        QCOMPARE(saved.watchlists.at(0).instruments,
                 QList<InstrumentKey>({demo(QStringLiteral("ETH-USD")),
                                       demo(QStringLiteral("BTC-USD")),
                                       {QStringLiteral("binance"), QStringLiteral("BTCUSDT")}}));
    }

    void sortingShowsKnownValuesFirstAndKeepsTheUsersOrder()
    {
        Workspace start;
        start.watchlists = {Watchlist {QStringLiteral("All"),
                                       {demo(QStringLiteral("A")), demo(QStringLiteral("B")), demo(QStringLiteral("C")),
                                        demo(QStringLiteral("WAIT"))},
                                       {},
                                       {},
                                       true}};
        Fixture f(start);
        f.announce({instrument(QStringLiteral("demo"), QStringLiteral("A")),
                    instrument(QStringLiteral("demo"), QStringLiteral("B")),
                    instrument(QStringLiteral("demo"), QStringLiteral("C"))},
                   {200, 300, 100});
        QPersistentModelIndex b = f.rows.index(1);
        QSignalSpy layout(&f.rows, &QAbstractItemModel::layoutChanged);
        f.lists.sortBy(QStringLiteral("last"));
        QCOMPARE(symbols(f.rows), strings({"C", "A", "B", "WAIT"}));
        QCOMPARE(b.row(), 2); // persistent indexes follow their rows
        QCOMPARE(layout.size(), 1);
        f.lists.sortBy(QStringLiteral("last"));
        QCOMPARE(f.rows.sortAscending(), false);
        QCOMPARE(symbols(f.rows), strings({"B", "A", "C", "WAIT"})); // unknown still last
        QCOMPARE(f.saved().watchlists.at(0).sortColumn, QStringLiteral("last"));
        QCOMPARE(f.saved().watchlists.at(0).sortAscending, false);
        // The user's own order is kept underneath.
        QCOMPARE(f.rows.keys().first(), demo(QStringLiteral("A")));
        f.lists.sortBy(QStringLiteral("last")); // third click: the user's order again
        QCOMPARE(f.rows.sortColumn(), QString());
        QCOMPARE(symbols(f.rows), strings({"A", "B", "C", "WAIT"}));

        f.lists.sortBy(QStringLiteral("symbol"));
        f.lists.sortBy(QStringLiteral("symbol"));
        QCOMPARE(symbols(f.rows), strings({"WAIT", "C", "B", "A"}));
        // Moving a row by hand makes the shown order the user's and ends the sort.
        QVERIFY(f.rows.moveRow(3, 0));
        QCOMPARE(f.rows.sortColumn(), QString());
        QCOMPARE(symbols(f.rows), strings({"A", "WAIT", "C", "B"}));
        QCOMPARE(f.saved().watchlists.at(0).sortColumn, QString());
        QCOMPARE(f.saved().watchlists.at(0).instruments.at(1), demo(QStringLiteral("WAIT")));

        f.lists.sortBy(QStringLiteral("nonsense"));
        QCOMPARE(f.rows.sortColumn(), QString());
    }

    void liveValuesResortAtMostOncePerSecond()
    {
        Workspace start;
        start.watchlists
            = {Watchlist {QStringLiteral("All"), {demo(QStringLiteral("A")), demo(QStringLiteral("B"))}, {}, {}, true}};
        Fixture f(start);
        f.announce({instrument(QStringLiteral("demo"), QStringLiteral("A")),
                    instrument(QStringLiteral("demo"), QStringLiteral("B"))},
                   {100, 200});
        f.lists.sortBy(QStringLiteral("last"));
        QCOMPARE(symbols(f.rows), strings({"A", "B"}));
        DrainBatch batch;
        batch.updates.push_back(quoted(0, 500, 1));
        f.cache.apply(batch);
        f.rows.drained(batch);
        QCOMPARE(symbols(f.rows), strings({"A", "B"})); // not yet: less than a second
        QCOMPARE(f.rows.data(f.rows.index(0), WatchlistModel::LastRole).toString(), QStringLiteral("5.00"));
        QTest::qWait(1100);
        DrainBatch later;
        later.updates.push_back(quoted(1, 201, 1));
        f.cache.apply(later);
        f.rows.drained(later);
        QCOMPARE(symbols(f.rows), strings({"B", "A"}));
    }

    void listsCreateRenameDuplicateDeleteAndUndo()
    {
        Fixture f;
        QCOMPARE(names(f.lists), strings({"Majors", "Alts"}));
        QCOMPARE(f.lists.currentIndex(), 0);
        QVERIFY(!f.lists.canUndo());

        const int created = f.lists.create(QStringLiteral("Scalps"));
        QCOMPARE(created, 2);
        QCOMPARE(f.lists.currentIndex(), 2);
        QCOMPARE(f.rows.rowCount(), 0);
        QCOMPARE(f.lists.create(QStringLiteral("scalps")), 3); // names are unique
        QCOMPARE(f.lists.nameAt(3), QStringLiteral("scalps 2"));
        QCOMPARE(f.lists.create(), 4);
        QCOMPARE(f.lists.nameAt(4), QStringLiteral("Watchlist"));

        QCOMPARE(f.lists.rename(4, QStringLiteral("  Night  ")), QString());
        QCOMPARE(f.lists.nameAt(4), QStringLiteral("Night"));
        QVERIFY(!f.lists.rename(4, QStringLiteral("majors")).isEmpty()); // taken
        QVERIFY(!f.lists.rename(4, QStringLiteral("   ")).isEmpty());
        QVERIFY(!f.lists.rename(9, QStringLiteral("x")).isEmpty());
        QCOMPARE(f.lists.undoText(), QStringLiteral("Rename “Watchlist” to “Night”"));
        f.lists.undo();
        QCOMPARE(f.lists.nameAt(4), QStringLiteral("Watchlist"));

        QCOMPARE(f.lists.duplicate(0), 1);
        QCOMPARE(names(f.lists), strings({"Majors", "Majors copy", "Alts", "Scalps", "scalps 2", "Watchlist"}));
        QCOMPARE(f.lists.currentIndex(), 1);
        QCOMPARE(symbols(f.rows), strings({"BTC-USD", "ETH-USD", "BTCUSDT"}));

        f.lists.setCurrentIndex(2);
        QCOMPARE(symbols(f.rows), strings({"SOL-USD"}));
        QVERIFY(f.lists.remove(0));
        QCOMPARE(f.lists.currentIndex(), 1); // still "Alts"
        QCOMPARE(f.lists.nameAt(1), QStringLiteral("Alts"));
        QCOMPARE(f.lists.undoText(), QStringLiteral("Delete list “Majors”"));
        QVERIFY(f.lists.remove(1)); // the current one: the one before it shows
        QCOMPARE(f.lists.currentIndex(), 0);
        QCOMPARE(symbols(f.rows), strings({"BTC-USD", "ETH-USD", "BTCUSDT"}));

        f.lists.undo(); // "Alts" is back, and current
        QCOMPARE(f.lists.nameAt(1), QStringLiteral("Alts"));
        QCOMPARE(f.lists.currentIndex(), 1);
        QCOMPARE(symbols(f.rows), strings({"SOL-USD"}));
        f.lists.undo(); // "Majors" is back
        QCOMPARE(names(f.lists), strings({"Majors", "Majors copy", "Alts", "Scalps", "scalps 2", "Watchlist"}));
        QCOMPARE(f.saved().watchlists.size(), 6);
        QCOMPARE(f.saved().currentList, 2);

        // The last list cannot be deleted.
        while (f.lists.count() > 1)
            QVERIFY(f.lists.remove(0));
        QVERIFY(!f.lists.remove(0));
        QVERIFY(!f.lists.remove(5));
    }

    void rowEditsAreUndoable()
    {
        Fixture f;
        QVERIFY(f.rows.removeRow(1));
        QCOMPARE(f.lists.undoText(), QStringLiteral("Remove ETH-USD from “Majors”"));
        QCOMPARE(f.lists.data(f.lists.index(0), WatchlistsModel::CountRole).toInt(), 2);
        QCOMPARE(f.saved().watchlists.at(0).instruments.size(), 2);
        QVERIFY(f.rows.moveRow(0, 1));
        QCOMPARE(f.lists.undoText(), QStringLiteral("Reorder “Majors”"));
        f.lists.undo();
        f.lists.undo();
        QCOMPARE(symbols(f.rows), strings({"BTC-USD", "ETH-USD", "BTCUSDT"}));
        QCOMPARE(f.saved().watchlists.at(0).instruments.size(), 3);
        QVERIFY(!f.lists.canUndo());
    }

    void undoIsBounded()
    {
        Fixture f;
        for (int i = 0; i < WatchlistsModel::kUndoDepth + 10; ++i)
            QCOMPARE(f.lists.rename(0, QStringLiteral("Name %1").arg(i)), QString());
        int undone = 0;
        while (f.lists.canUndo()) {
            f.lists.undo();
            ++undone;
        }
        QCOMPARE(undone, WatchlistsModel::kUndoDepth);
        QCOMPARE(f.lists.nameAt(0), QStringLiteral("Name 9"));
    }

    void columnsAreChosenPerList()
    {
        Fixture f;
        QSignalSpy columns(&f.lists, &WatchlistsModel::columnsChanged);
        f.lists.setColumnVisible(QStringLiteral("volume"), false);
        f.lists.setColumnVisible(QStringLiteral("spread"), false);
        f.lists.setColumnVisible(QStringLiteral("spread"), false); // already hidden
        f.lists.setColumnVisible(QStringLiteral("symbol"), false); // always shown
        QCOMPARE(f.lists.hiddenColumns(), strings({"volume", "spread"}));
        QCOMPARE(columns.size(), 2);
        f.lists.setColumnVisible(QStringLiteral("volume"), true);
        QCOMPARE(f.lists.hiddenColumns(), strings({"spread"}));
        f.lists.setCurrentIndex(1);
        QCOMPARE(f.lists.hiddenColumns(), QStringList());
        QCOMPARE(f.saved().watchlists.at(0).hiddenColumns, strings({"spread"}));
    }

    void importAndExportThroughTheLists()
    {
        Fixture f;
        f.lists.setInstrumentPredicate([](const InstrumentKey &key) { return key.venue == QLatin1String("demo"); });
        const QString csv = f.dir.filePath(QStringLiteral("scalps.csv"));
        QCOMPARE(f.lists.exportFile(0, QUrl::fromLocalFile(csv)), QString());
        QCOMPARE(f.lists.exportFile(7, csv), QStringLiteral("There is no such list."));

        // The same file back: a new list after the others, named after the file, made current,
        // the unknown instrument kept and reported.
        QVariantMap report = f.lists.importFile(QUrl::fromLocalFile(csv));
        QCOMPARE(report.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(names(f.lists), strings({"Majors", "Alts", "scalps"}));
        QCOMPARE(f.lists.currentIndex(), 2);
        QCOMPARE(symbols(f.rows), strings({"BTC-USD", "ETH-USD", "BTCUSDT"}));
        const QStringList problems = report.value(QStringLiteral("problems")).toStringList();
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(QStringLiteral("binance")), qPrintable(problems.first()));
        QVERIFY(report.value(QStringLiteral("message")).toString().contains(QStringLiteral("3 instruments")));
        QCOMPARE(f.saved().watchlists.size(), 3);
        QCOMPARE(f.lists.undoText(), QStringLiteral("Import “scalps”"));

        // Again: the name is made unique. Then a JSON round trip keeps sort and columns.
        f.lists.importFile(csv);
        QCOMPARE(f.lists.nameAt(3), QStringLiteral("scalps 2"));
        f.lists.sortBy(QStringLiteral("symbol"));
        f.lists.setColumnVisible(QStringLiteral("spread"), false);
        const QString json = f.dir.filePath(QStringLiteral("copy.json"));
        QCOMPARE(f.lists.exportFile(3, json), QString());
        report = f.lists.importFile(json);
        QVERIFY(report.value(QStringLiteral("ok")).toBool());
        QCOMPARE(f.lists.nameAt(4), QStringLiteral("scalps 3"));
        QCOMPARE(f.rows.sortColumn(), QStringLiteral("symbol"));
        QCOMPARE(f.lists.hiddenColumns(), strings({"spread"}));

        // A file that is not a watchlist: nothing changes, the message says why.
        QFile junk(f.dir.filePath(QStringLiteral("junk.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{not json");
        junk.close();
        const int lists = f.lists.count();
        report = f.lists.importFile(junk.fileName());
        QCOMPARE(report.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY(report.value(QStringLiteral("message")).toString().startsWith(QStringLiteral("junk.json")));
        QCOMPARE(f.lists.count(), lists);
        report = f.lists.importFile(f.dir.filePath(QStringLiteral("missing.csv")));
        QCOMPARE(report.value(QStringLiteral("ok")).toBool(), false);

        // An import is undone like any change.
        f.lists.undo();
        QCOMPARE(f.lists.count(), 4);
    }

    void listsFollowChangesMadeElsewhere()
    {
        Fixture f;
        QSignalSpy inserted(&f.rows, &QAbstractItemModel::rowsInserted);
        // A venue followed from the feeds page appends to the current list through the store.
        f.store.modify([](Workspace &w) {
            w.watchlists[0].instruments.append({QStringLiteral("okx"), QStringLiteral("ETH-USDT")});
        });
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(f.rows.symbolAt(3), QStringLiteral("ETH-USDT"));
        QCOMPARE(f.lists.data(f.lists.index(0), WatchlistsModel::CountRole).toInt(), 4);
        QVERIFY(!f.lists.canUndo()); // not the user's edit here
        // A list made elsewhere: the tabs start over.
        f.store.modify([](Workspace &w) { w.watchlists.append(Watchlist {QStringLiteral("New"), {}, {}, {}, true}); });
        QCOMPARE(f.lists.rowCount(), 3);
        QCOMPARE(f.lists.nameAt(2), QStringLiteral("New"));
    }

    void everythingSurvivesARestart()
    {
        QTemporaryDir dir;
        {
            MarketCache cache;
            WatchlistModel rows(cache);
            WorkspaceStore store;
            WatchlistsModel lists(store, rows);
            store.load(dir.path(), Fixture::twoLists());
            lists.create(QStringLiteral("Night"));
            rows.addKey(QStringLiteral("okx"), QStringLiteral("BTC-USDT"));
            rows.addKey(QStringLiteral("demo"), QStringLiteral("ETH-USD"));
            rows.moveRow(1, 0);
            lists.sortBy(QStringLiteral("volume"));
            lists.setColumnVisible(QStringLiteral("venue"), false);
            lists.rename(0, QStringLiteral("Big"));
        } // the store saves on destruction
        MarketCache cache;
        WatchlistModel rows(cache);
        WorkspaceStore store;
        WatchlistsModel lists(store, rows);
        store.load(dir.path(), Workspace {});
        QCOMPARE(names(lists), strings({"Big", "Alts", "Night"}));
        QCOMPARE(lists.currentIndex(), 2);
        QCOMPARE(rows.keys(),
                 QList<InstrumentKey>(
                     {demo(QStringLiteral("ETH-USD")), {QStringLiteral("okx"), QStringLiteral("BTC-USDT")}}));
        QCOMPARE(rows.sortColumn(), QStringLiteral("volume"));
        QCOMPARE(lists.hiddenColumns(), strings({"venue"}));
    }
};

QTEST_GUILESS_MAIN(TestWatchlistsModel)
#include "tst_watchlistsmodel.moc"
