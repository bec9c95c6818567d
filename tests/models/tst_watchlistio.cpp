// Watchlist import and export: JSON and CSV round trips, the CSV spreadsheets really write (BOM,
// CRLF, quotes, blank lines, a header or none, odd case and spaces), bad and duplicate rows skipped
// and reported, unknown instruments kept and reported, formula injection neutralised, and files
// that cannot be used at all (empty, garbage, wrong JSON shape, unreadable).
#include "fatalwarnings.h"
#include "watchlistio.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace tickscope;

namespace {

Watchlist sample()
{
    Watchlist list;
    list.name = QStringLiteral("Majors — ünïcode");
    list.instruments = {{QStringLiteral("binance"), QStringLiteral("BTCUSDT")},
                        {QStringLiteral("kraken"), QStringLiteral("BTC/USD")},
                        {QStringLiteral("coinbase"), QStringLiteral("ETH-USD")},
                        {QStringLiteral("demo"), QStringLiteral("odd, \"quoted\" symbol")},
                        {QStringLiteral("demo"), QStringLiteral("=HYPERLINK(\"http://x\")")},
                        {QStringLiteral("demo"), QStringLiteral("-1+1")},
                        {QStringLiteral("demo"), QStringLiteral("@SUM(A1)")}};
    return list;
}

bool knowsAll(const InstrumentKey &)
{
    return true;
}

} // namespace

class TestWatchlistIo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void formatFromExtension()
    {
        QCOMPARE(watchlistFormatFor(QStringLiteral("/tmp/a.csv")), WatchlistFormat::Csv);
        QCOMPARE(watchlistFormatFor(QStringLiteral("/tmp/A.CSV")), WatchlistFormat::Csv);
        QCOMPARE(watchlistFormatFor(QStringLiteral("/tmp/a.json")), WatchlistFormat::Json);
        QCOMPARE(watchlistFormatFor(QStringLiteral("/tmp/a")), WatchlistFormat::Json);
    }

    void jsonRoundTrip()
    {
        Watchlist list = sample();
        list.hiddenColumns = {QStringLiteral("volume")};
        list.sortColumn = QStringLiteral("changePercent");
        list.sortAscending = false;
        const QByteArray data = exportWatchlist(list, WatchlistFormat::Json);
        const QJsonObject json = QJsonDocument::fromJson(data).object();
        QCOMPARE(json.value(QLatin1String("name")).toString(), list.name);
        QCOMPARE(json.value(QLatin1String("instruments")).toArray().size(), list.instruments.size());
        const WatchlistImport back = importWatchlist(data, WatchlistFormat::Json, knowsAll, QStringLiteral("x"));
        QVERIFY2(back.ok(), qPrintable(back.error));
        QVERIFY(back.problems.isEmpty());
        QVERIFY(back.list == list);
        // Without view settings the file holds only name and instruments.
        const QJsonObject plain = QJsonDocument::fromJson(exportWatchlist(sample(), WatchlistFormat::Json)).object();
        QCOMPARE(plain.keys(), (QStringList {QStringLiteral("instruments"), QStringLiteral("name")}));
    }

    void csvRoundTrip()
    {
        const Watchlist list = sample();
        const QByteArray data = exportWatchlist(list, WatchlistFormat::Csv);
        const QList<QByteArray> lines = data.split('\n');
        QCOMPARE(lines.first(), QByteArray("venue,symbol\r"));
        QVERIFY(data.contains("demo,\"odd, \"\"quoted\"\" symbol\"\r\n"));
        const WatchlistImport back = importWatchlist(data, WatchlistFormat::Csv, knowsAll, QStringLiteral("Mine"));
        QVERIFY2(back.ok(), qPrintable(back.error));
        QVERIFY2(back.problems.isEmpty(), qPrintable(back.problems.join(u'\n')));
        QCOMPARE(back.list.name, QStringLiteral("Mine"));
        QCOMPARE(back.list.instruments, list.instruments);
    }

    void formulaInjectionNeutralised()
    {
        const QByteArray data = exportWatchlist(sample(), WatchlistFormat::Csv);
        // Every cell a spreadsheet would evaluate starts with a quote mark instead.
        for (const QByteArray &line : data.split('\n')) {
            for (QByteArray cell : line.trimmed().split(',')) {
                if (cell.startsWith('"'))
                    cell = cell.mid(1);
                QVERIFY2(cell.isEmpty() || !QByteArray("=+-@").contains(cell.front()), line.constData());
            }
        }
        QVERIFY(data.contains("demo,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"));
        QVERIFY(data.contains("demo,'-1+1\r\n"));
        QVERIFY(data.contains("demo,'@SUM(A1)\r\n"));
        // A quote mark before anything else is the symbol's own.
        Watchlist quoted;
        quoted.instruments = {{QStringLiteral("demo"), QStringLiteral("'ABC")}};
        const WatchlistImport back = importWatchlist(exportWatchlist(quoted, WatchlistFormat::Csv),
                                                     WatchlistFormat::Csv, knowsAll, QStringLiteral("q"));
        QCOMPARE(back.list.instruments, quoted.instruments);
    }

    void csvAsSpreadsheetsWriteIt_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("header, LF") << QByteArray("venue,symbol\nbinance,BTCUSDT\nkraken,BTC/USD\n");
        QTest::newRow("no header, CRLF, no final newline") << QByteArray("binance,BTCUSDT\r\nkraken,BTC/USD");
        QTest::newRow("BOM, header in capitals") << QByteArray("\xEF\xBB\xBFVenue,Symbol\r\nbinance,BTCUSDT\r\n"
                                                               "kraken,BTC/USD\r\n");
        QTest::newRow("blank lines, spaces, venue case")
            << QByteArray("\n  Binance , BTCUSDT \n\n\r\nKRAKEN,BTC/USD\n\n");
        QTest::newRow("quoted fields, trailing comma") << QByteArray("\"venue\",\"symbol\"\n\"binance\",\"BTCUSDT\",\n"
                                                                     " \"kraken\" ,\"BTC/USD\"\n");
    }
    void csvAsSpreadsheetsWriteIt()
    {
        QFETCH(QByteArray, data);
        const WatchlistImport result = importWatchlist(data, WatchlistFormat::Csv, knowsAll, QStringLiteral("L"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY2(result.problems.isEmpty(), qPrintable(result.problems.join(u'\n')));
        const QList<InstrumentKey> expected {{QStringLiteral("binance"), QStringLiteral("BTCUSDT")},
                                             {QStringLiteral("kraken"), QStringLiteral("BTC/USD")}};
        QCOMPARE(result.list.instruments, expected);
    }

    void badAndDuplicateRowsReported()
    {
        const QByteArray data = "venue,symbol\n"
                                "binance,BTCUSDT\n" // line 2
                                "just-one-field\n" // 3
                                "kraken,BTC/USD,extra\n" // 4
                                ",ETHUSDT\n" // 5
                                "BINANCE, BTCUSDT\n" // 6: the same as line 2
                                "\"okx\",\"multi\nline\"\n" // 7-8: a quoted line break
                                "coinbase,ETH-USD\n"; // 9
        const WatchlistImport result = importWatchlist(data, WatchlistFormat::Csv, knowsAll, QStringLiteral("L"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.list.instruments,
                 (QList<InstrumentKey> {{QStringLiteral("binance"), QStringLiteral("BTCUSDT")},
                                        {QStringLiteral("okx"), QStringLiteral("multi\nline")},
                                        {QStringLiteral("coinbase"), QStringLiteral("ETH-USD")}}));
        QCOMPARE(result.problems,
                 (QStringList {QStringLiteral("line 3: expected venue,symbol"),
                               QStringLiteral("line 4: expected venue,symbol"),
                               QStringLiteral("line 5: expected venue,symbol"),
                               QStringLiteral("line 6: binance:BTCUSDT is listed twice (skipped)")}));
    }

    void unknownInstrumentsKeptAndReported()
    {
        const QByteArray data = "binance,BTCUSDT\nkraken,FOO/BAR\ncoinbase,ETH-USD\n";
        const auto known = [](const InstrumentKey &key) { return key.symbol != QLatin1String("FOO/BAR"); };
        const WatchlistImport result = importWatchlist(data, WatchlistFormat::Csv, known, QStringLiteral("L"));
        QVERIFY(result.ok());
        QCOMPARE(result.list.instruments.size(), 3);
        QCOMPARE(result.list.instruments[1], (InstrumentKey {QStringLiteral("kraken"), QStringLiteral("FOO/BAR")}));
        QCOMPARE(result.problems, QStringList {QStringLiteral("line 2: unknown instrument kraken:FOO/BAR")});

        const QByteArray json = R"({"name":"J","instruments":[{"venue":"Kraken","symbol":"FOO/BAR"},
                                   {"venue":"binance"},{"venue":"binance","symbol":"BTCUSDT"}]})";
        const WatchlistImport fromJson = importWatchlist(json, WatchlistFormat::Json, known, QStringLiteral("L"));
        QVERIFY(fromJson.ok());
        QCOMPARE(fromJson.list.name, QStringLiteral("J"));
        QCOMPARE(fromJson.list.instruments.size(), 2);
        QCOMPARE(fromJson.problems,
                 (QStringList {QStringLiteral("entry 1: unknown instrument kraken:FOO/BAR"),
                               QStringLiteral("entry 2: expected {\"venue\", \"symbol\"}")}));
        // No predicate: everything is taken as known.
        QVERIFY(importWatchlist(data, WatchlistFormat::Csv, {}, QStringLiteral("L")).problems.isEmpty());
    }

    void unusableFiles_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("error");
        const int csv = static_cast<int>(WatchlistFormat::Csv);
        const int json = static_cast<int>(WatchlistFormat::Json);
        QTest::newRow("empty csv") << QByteArray() << csv << QStringLiteral("empty");
        QTest::newRow("BOM and blank lines")
            << QByteArray("\xEF\xBB\xBF\r\n\r\n  \n") << csv << QStringLiteral("empty");
        QTest::newRow("empty json") << QByteArray("   ") << json << QStringLiteral("empty");
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << csv
                                << QStringLiteral("not a text file");
        QTest::newRow("not UTF-8") << QByteArray("binance,\xff\xfe\n") << csv << QStringLiteral("UTF-8");
        QTest::newRow("csv of garbage") << QByteArray("hello\nworld\n") << csv << QStringLiteral("no line");
        QTest::newRow("not json") << QByteArray("{\"name\": ") << json << QStringLiteral("not valid JSON");
        QTest::newRow("json array") << QByteArray("[1,2]") << json << QStringLiteral("not an object");
        QTest::newRow("no instruments") << QByteArray("{\"name\":\"x\"}") << json << QStringLiteral("instruments");
        QTest::newRow("instruments not a list")
            << QByteArray("{\"instruments\":{\"venue\":\"demo\"}}") << json << QStringLiteral("instruments");
        QTest::newRow("no usable entry") << QByteArray("{\"instruments\":[1,\"x\"]}") << json
                                         << QStringLiteral("no entry");
    }
    void unusableFiles()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, format);
        QFETCH(QString, error);
        const WatchlistImport result
            = importWatchlist(data, static_cast<WatchlistFormat>(format), knowsAll, QStringLiteral("L"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(error), qPrintable(result.error));
    }

    void emptyListsAreFine()
    {
        Watchlist empty;
        empty.name = QStringLiteral("Nothing yet");
        for (WatchlistFormat format : {WatchlistFormat::Json, WatchlistFormat::Csv}) {
            const WatchlistImport back
                = importWatchlist(exportWatchlist(empty, format), format, knowsAll, QStringLiteral("Nothing yet"));
            QVERIFY2(back.ok(), qPrintable(back.error));
            QVERIFY(back.list == empty);
        }
    }

    void files()
    {
        QTemporaryDir dir;
        const Watchlist list = sample();
        QString error;
        const QString csvPath = dir.filePath(QStringLiteral("My list.csv"));
        QVERIFY2(exportWatchlistFile(list, csvPath, &error), qPrintable(error));
        WatchlistImport back = importWatchlistFile(csvPath, knowsAll);
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(back.list.name, QStringLiteral("My list")); // named after the file
        QCOMPARE(back.list.instruments, list.instruments);

        const QString jsonPath = dir.filePath(QStringLiteral("other.json"));
        QVERIFY2(exportWatchlistFile(list, jsonPath, &error), qPrintable(error));
        back = importWatchlistFile(jsonPath, knowsAll);
        QVERIFY(back.list == list); // the name inside the file wins

        // Unreadable: missing, a directory, a file without read permission.
        back = importWatchlistFile(dir.filePath(QStringLiteral("missing.csv")), knowsAll);
        QVERIFY(!back.ok());
        QVERIFY2(back.error.contains(QLatin1String("cannot be read")), qPrintable(back.error));
        QVERIFY(!importWatchlistFile(dir.path(), knowsAll).ok());
        QFile locked(csvPath);
        QVERIFY(locked.setPermissions(QFileDevice::WriteOwner));
        if (!locked.open(QIODevice::ReadOnly)) // root reads anything
            QVERIFY(!importWatchlistFile(csvPath, knowsAll).ok());
        locked.close();

        // Writing where there is no folder fails with a reason; nothing is left behind.
        QVERIFY(!exportWatchlistFile(list, dir.filePath(QStringLiteral("no/such/folder/x.csv")), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWatchlistIo)
#include "tst_watchlistio.moc"
