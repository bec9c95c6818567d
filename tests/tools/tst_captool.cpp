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
