// tickscope-cap decode as a user runs it on recorded venue traffic: the same decoder and book
// engine as live, per-instrument counters, the final book as exact decimal strings, --strict and
// the exit codes for bad input.
#include "fatalwarnings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/exchanges/") + QLatin1String(name);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cap(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(TICKSCOPE_CAP_PATH), arguments);
    Run run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QJsonObject instrument(const QJsonObject &report, const QString &symbol)
{
    for (const QJsonValue &v : report.value(QLatin1String("instruments")).toArray()) {
        if (v.toObject().value(QLatin1String("symbol")).toString() == symbol)
            return v.toObject();
    }
    return {};
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCapTool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { tickscope::test::installFatalWarnings(); }

    void krakenV2DocumentedBook()
    {
        const Run run
            = cap({QStringLiteral("decode"), QStringLiteral("--venue"), QStringLiteral("kraken"),
                   QStringLiteral("--input"), fixture("kraken_v2_doc_samples.jsonl"), QStringLiteral("--depth"),
                   QStringLiteral("3"), QStringLiteral("--json"), QStringLiteral("--strict")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report.value(QLatin1String("decode_errors")).toInt(), 0);
        const QJsonObject matic = instrument(report, QStringLiteral("MATIC/USD"));
        QCOMPARE(matic.value(QLatin1String("venue")).toString(), QStringLiteral("kraken"));
        QCOMPARE(matic.value(QLatin1String("updates")).toInt(), 1);
        QCOMPARE(matic.value(QLatin1String("gaps")).toInt(), 0);
        QCOMPARE(matic.value(QLatin1String("resyncs")).toInt(), 0);
        QCOMPARE(matic.value(QLatin1String("checksum_ok")).toInt(), 2); // 2439117997 and 2114181697
        QCOMPARE(matic.value(QLatin1String("checksum_bad")).toInt(), 0);
        const QJsonArray bids = matic.value(QLatin1String("bids")).toArray();
        QCOMPARE(bids.size(), 3);
        // Best first, exact strings at the pair's precision (4 and 8).
        QCOMPARE(bids.at(0).toArray().at(0).toString(), QStringLiteral("0.5666"));
        QCOMPARE(bids.at(0).toArray().at(1).toString(), QStringLiteral("4831.75496356"));
        QCOMPARE(bids.at(1).toArray().at(0).toString(), QStringLiteral("0.5665"));
        const QJsonArray asks = matic.value(QLatin1String("asks")).toArray();
        QCOMPARE(asks.at(0).toArray().at(0).toString(), QStringLiteral("0.5668"));
        QCOMPARE(asks.at(0).toArray().at(1).toString(), QStringLiteral("4410.79769741"));
    }

    void recordedVenues_data()
    {
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("symbol");
        QTest::addColumn<int>("updates");
        QTest::addColumn<int>("checksumOk");
        QTest::addColumn<QString>("bestBid");
        QTest::addColumn<QString>("bestAsk");
        // Kraken v1: every recorded checksum verifies (289 + 20 + 846 = 1155 updates).
        QTest::newRow("kraken-v1 XBT/CHF")
            << QStringLiteral("kraken-v1") << fixture("kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl")
            << QStringLiteral("XBT/CHF") << 289 << 289 << QStringLiteral("56060.30000")
            << QStringLiteral("56194.20000");
        QTest::newRow("kraken-v1 GRT/ETH")
            << QStringLiteral("kraken-v1") << fixture("kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl")
            << QStringLiteral("GRT/ETH") << 20 << 20 << QStringLiteral("0.000833500") << QStringLiteral("0.000836200");
        QTest::newRow("kraken-v1 XMR/USD")
            << QStringLiteral("kraken-v1") << fixture("kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl")
            << QStringLiteral("XMR/USD") << 846 << 846 << QStringLiteral("353.64000000")
            << QStringLiteral("354.48000000");
        // OKX: every recorded checksum verifies (snapshot + updates: 99 + 93 + 98 = 290).
        QTest::newRow("okx BTC-USD-220527") << QStringLiteral("okx") << fixture("okx_v5_recorded_2022-05-13_all.jsonl")
                                            << QStringLiteral("BTC-USD-220527") << 98 << 99
                                            << QStringLiteral("30229.40000000") << QStringLiteral("30238.80000000");
        QTest::newRow("okx UNI-USD-SWAP") << QStringLiteral("okx") << fixture("okx_v5_recorded_2022-05-13_all.jsonl")
                                          << QStringLiteral("UNI-USD-SWAP") << 92 << 93 << QStringLiteral("5.13700000")
                                          << QStringLiteral("5.14500000");
        QTest::newRow("okx BTC-USDT") << QStringLiteral("okx") << fixture("okx_v5_recorded_2022-05-13_all.jsonl")
                                      << QStringLiteral("BTC-USDT") << 97 << 98 << QStringLiteral("30236.10000000")
                                      << QStringLiteral("30236.20000000");
        // Coinbase: the SKL-GBP snapshot and all its 289 updates.
        QTest::newRow("coinbase SKL-GBP")
            << QStringLiteral("coinbase") << fixture("coinbase_exchange_recorded_2021-04-17.jsonl")
            << QStringLiteral("SKL-GBP") << 289 << 0 << QStringLiteral("0.57470000") << QStringLiteral("0.57680000");
    }

    void recordedVenues()
    {
        QFETCH(QString, venue);
        QFETCH(QString, input);
        QFETCH(QString, symbol);
        const Run run = cap({QStringLiteral("decode"), QStringLiteral("--venue"), venue, QStringLiteral("--input"),
                             input, QStringLiteral("--json"), QStringLiteral("--strict"), QStringLiteral("--depth"),
                             QStringLiteral("5")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report.value(QLatin1String("decode_errors")).toInt(), 0);
        const QJsonObject book = instrument(report, symbol);
        QCOMPARE(book.value(QLatin1String("venue")).toString(), venue);
        QTEST(book.value(QLatin1String("updates")).toInt(), "updates");
        QTEST(book.value(QLatin1String("checksum_ok")).toInt(), "checksumOk");
        QCOMPARE(book.value(QLatin1String("checksum_bad")).toInt(), 0);
        QCOMPARE(book.value(QLatin1String("gaps")).toInt(), 0);
        QCOMPARE(book.value(QLatin1String("resyncs")).toInt(), 0);
        QCOMPARE(book.value(QLatin1String("integrity")).toString(), QStringLiteral("synced"));
        QCOMPARE(book.value(QLatin1String("bids")).toArray().size(), 5);
        QTEST(book.value(QLatin1String("bids")).toArray().at(0).toArray().at(0).toString(), "bestBid");
        QTEST(book.value(QLatin1String("asks")).toArray().at(0).toArray().at(0).toString(), "bestAsk");
    }

    void binanceSyncsWithRestSnapshots()
    {
        const QString stream = fixture("binance_spot_recorded_2021-10-12_combined_stream.jsonl");
        const QString snapshots = fixture("binance_spot_recorded_2021-10-12_rest_depth_snapshots.jsonl");
        Run run = cap({QStringLiteral("decode"), QStringLiteral("--venue"), QStringLiteral("binance"),
                       QStringLiteral("--input"), stream, QStringLiteral("--snapshots"), snapshots,
                       QStringLiteral("--json"), QStringLiteral("--strict")});
        QCOMPARE(run.exitCode, 0);
        QJsonObject report = QJsonDocument::fromJson(run.out).object();
        // Diffs applied after each documented sync (first kept diff has U == lastUpdateId + 1).
        const QList<std::pair<QString, int>> expected {{QStringLiteral("NKNUSDT"), 149},
                                                       {QStringLiteral("BLZETH"), 9},
                                                       {QStringLiteral("LRCBTC"), 13},
                                                       {QStringLiteral("RUNEEUR"), 1}};
        for (const auto &[symbol, updates] : expected) {
            const QJsonObject book = instrument(report, symbol);
            QCOMPARE(book.value(QLatin1String("snapshots")).toInt(), 1);
            QCOMPARE(book.value(QLatin1String("updates")).toInt(), updates);
            QCOMPARE(book.value(QLatin1String("gaps")).toInt(), 0);
            QCOMPARE(book.value(QLatin1String("integrity")).toString(), QStringLiteral("synced"));
        }
        const QJsonObject nkn = instrument(report, QStringLiteral("NKNUSDT"));
        QCOMPARE(nkn.value(QLatin1String("bids")).toArray().at(0).toArray(),
                 (QJsonArray {QStringLiteral("0.35270000"), QStringLiteral("9602.00000000")}));
        QCOMPARE(nkn.value(QLatin1String("asks")).toArray().at(0).toArray(),
                 (QJsonArray {QStringLiteral("0.35310000"), QStringLiteral("152.00000000")}));

        // One diff removed from the middle of NKNUSDT's stream: a gap on that book alone.
        QTemporaryDir dir;
        QList<QByteArray> lines = readAll(stream).split('\n');
        int seen = 0;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (lines[i].startsWith("{\"stream\":\"nknusdt@depth") && ++seen == 60) {
                lines.removeAt(i);
                break;
            }
        }
        QCOMPARE(seen, 60);
        const QString cut = dir.filePath(QStringLiteral("cut.jsonl"));
        QFile out(cut);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines.join('\n'));
        out.close();
        run = cap({QStringLiteral("decode"), QStringLiteral("--venue"), QStringLiteral("binance"),
                   QStringLiteral("--input"), cut, QStringLiteral("--snapshots"), snapshots, QStringLiteral("--json"),
                   QStringLiteral("--strict")});
        QCOMPARE(run.exitCode, 3);
        report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(instrument(report, QStringLiteral("NKNUSDT")).value(QLatin1String("gaps")).toInt(), 1);
        QCOMPARE(instrument(report, QStringLiteral("NKNUSDT")).value(QLatin1String("resyncs")).toInt(), 1);
        for (const char *other : {"BLZETH", "LRCBTC", "RUNEEUR"})
            QCOMPARE(instrument(report, QLatin1String(other)).value(QLatin1String("gaps")).toInt(), 0);
        QVERIFY(run.err.contains("no REST snapshot for NKNUSDT")); // the recording holds one snapshot per symbol
    }

    void textReportAndSymbolFilter()
    {
        const Run run = cap({QStringLiteral("decode"), QStringLiteral("--venue"), QStringLiteral("kraken"),
                             QStringLiteral("--input"), fixture("kraken_v2_doc_samples.jsonl"),
                             QStringLiteral("--symbol"), QStringLiteral("MATIC/USD")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("kraken MATIC/USD  [synced]"));
        QVERIFY(run.out.contains("checksums ok 2 bad 0"));
        QVERIFY(run.out.contains("0.5666"));
        QVERIFY(!run.out.contains("ALGO/USD"));
    }

    void strictFailsOnChecksumMismatch()
    {
        QTemporaryDir dir;
        QByteArray data = readAll(fixture("kraken_v2_doc_samples.jsonl"));
        const QByteArray doc = readAll(fixture("kraken_v2_book_matic_doc_example.json"));
        const QJsonObject example = QJsonDocument::fromJson(doc).object();
        QByteArray update = example.value(QLatin1String("update_message_as_in_doc_raw")).toString().toUtf8();
        update.replace("1098.3947558", "1098.3947559"); // the book no longer matches its checksum
        const QByteArray snapshot = example.value(QLatin1String("snapshot_message_as_in_doc_raw")).toString().toUtf8();
        const QString path = dir.filePath(QStringLiteral("tampered.jsonl"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(snapshot + '\n' + update + '\n');
        out.close();
        const QStringList args {QStringLiteral("decode"),
                                QStringLiteral("--venue"),
                                QStringLiteral("kraken"),
                                QStringLiteral("--input"),
                                path,
                                QStringLiteral("--json")};
        Run run = cap(args);
        QCOMPARE(run.exitCode, 0); // without --strict the report is the answer
        const QJsonObject matic = instrument(QJsonDocument::fromJson(run.out).object(), QStringLiteral("MATIC/USD"));
        QCOMPARE(matic.value(QLatin1String("checksum_ok")).toInt(), 1);
        QCOMPARE(matic.value(QLatin1String("checksum_bad")).toInt(), 1);
        QCOMPARE(matic.value(QLatin1String("resyncs")).toInt(), 1);
        QCOMPARE(matic.value(QLatin1String("integrity")).toString(), QStringLiteral("resyncing"));
        run = cap(args + QStringList {QStringLiteral("--strict")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.err.contains("--strict"));
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString input = fixture("kraken_v2_doc_samples.jsonl");
        QTest::newRow("no command") << QStringList {} << QStringLiteral("usage");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("encode")} << QStringLiteral("unknown command");
        QTest::newRow("no venue") << QStringList {QStringLiteral("decode"), QStringLiteral("--input"), input}
                                  << QStringLiteral("--venue");
        QTest::newRow("unknown venue") << QStringList {QStringLiteral("decode"), QStringLiteral("--venue"),
                                                       QStringLiteral("nasdaq"), QStringLiteral("--input"), input}
                                       << QStringLiteral("unknown venue");
        QTest::newRow("missing file") << QStringList {QStringLiteral("decode"), QStringLiteral("--venue"),
                                                      QStringLiteral("kraken"), QStringLiteral("--input"),
                                                      QStringLiteral("/nonexistent/frames.jsonl")}
                                      << QStringLiteral("cannot read");
        QTest::newRow("bad depth") << QStringList {QStringLiteral("decode"),
                                                   QStringLiteral("--venue"),
                                                   QStringLiteral("kraken"),
                                                   QStringLiteral("--input"),
                                                   input,
                                                   QStringLiteral("--depth"),
                                                   QStringLiteral("ten")}
                                   << QStringLiteral("--depth");
        QTest::newRow("symbol not in file") << QStringList {QStringLiteral("decode"),
                                                            QStringLiteral("--venue"),
                                                            QStringLiteral("kraken"),
                                                            QStringLiteral("--input"),
                                                            input,
                                                            QStringLiteral("--symbol"),
                                                            QStringLiteral("DOGE/USD")}
                                            << QStringLiteral("does not occur");
        QTest::newRow("wrong venue for the file")
            << QStringList {QStringLiteral("decode"), QStringLiteral("--venue"), QStringLiteral("demo"),
                            QStringLiteral("--input"), input}
            << QStringLiteral("no frame");
        QTest::newRow("snapshots for a venue without REST sync") << QStringList {QStringLiteral("decode"),
                                                                                 QStringLiteral("--venue"),
                                                                                 QStringLiteral("kraken"),
                                                                                 QStringLiteral("--input"),
                                                                                 input,
                                                                                 QStringLiteral("--snapshots"),
                                                                                 input}
                                                                 << QStringLiteral("--snapshots");
    }

    void badInputExitsTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = cap(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err + run.out).contains(message), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCapTool)
#include "tst_captool.moc"
