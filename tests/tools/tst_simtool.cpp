// tickscope-sim as a user runs it: prints its URL, serves the demo protocol there, stops cleanly on
// SIGINT/SIGTERM, and refuses bad options with a clear message.
#include "demo.pb.h"
#include "fatalwarnings.h"

#include <QProcess>
#include <QWebSocket>
#include <QtTest>

#ifdef Q_OS_UNIX
#include <csignal>
#endif

class TestSimTool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { tickscope::test::installFatalWarnings(); }

    void servesUntilSignalled_data()
    {
        QTest::addColumn<int>("signal");
#ifdef Q_OS_UNIX
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
#endif
    }

    void servesUntilSignalled()
    {
#ifndef Q_OS_UNIX
        QSKIP("signals are Unix-only");
#else
        QFETCH(int, signal);
        QProcess sim;
        sim.start(QStringLiteral(TICKSCOPE_SIM_PATH),
                  {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--symbols"), QStringLiteral("60"),
                   QStringLiteral("--rate"), QStringLiteral("3000"), QStringLiteral("--depth"), QStringLiteral("55"),
                   QStringLiteral("--seed"), QStringLiteral("9")});
        QVERIFY(sim.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(sim.canReadLine(), 5000);
        const QUrl url(QString::fromUtf8(sim.readLine()).trimmed());
        QCOMPARE(url.scheme(), QStringLiteral("ws"));
        QVERIFY(url.port() > 0);

        QWebSocket socket;
        int instruments = 0;
        int snapshotLevels = 0;
        int events = 0;
        connect(&socket, &QWebSocket::binaryMessageReceived, this, [&](const QByteArray &frame) {
            tickscope::demo::Envelope e;
            if (!e.ParseFromArray(frame.constData(), static_cast<int>(frame.size())))
                return;
            if (e.has_instruments()) {
                instruments = e.instruments().instruments_size();
                tickscope::demo::Envelope sub;
                sub.mutable_subscribe();
                std::string bytes;
                sub.SerializeToString(&bytes);
                socket.sendBinaryMessage(QByteArray::fromStdString(bytes));
            } else if (e.has_snapshot()) {
                snapshotLevels = e.snapshot().bids_size();
            } else if (e.has_delta() || e.has_trade()) {
                ++events;
            }
        });
        socket.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(events > 100, 10000);
        QCOMPARE(instruments, 60);
        QVERIFY(snapshotLevels >= 55);

        ::kill(static_cast<pid_t>(sim.processId()), signal);
        QVERIFY(sim.waitForFinished(5000));
        QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sim.exitCode(), 0);
        QVERIFY(sim.readAllStandardError().contains("stopped after"));
#endif
    }

    void refusesBadOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("port not a number") << QStringList {QStringLiteral("--port"), QStringLiteral("http")}
                                           << QStringLiteral("--port must be an integer");
        QTest::newRow("port too big") << QStringList {QStringLiteral("--port"), QStringLiteral("70000")}
                                      << QStringLiteral("--port must be an integer from 0 to 65535");
        QTest::newRow("zero rate") << QStringList {QStringLiteral("--rate"), QStringLiteral("0")}
                                   << QStringLiteral("--rate must be an integer from 1");
        QTest::newRow("no symbols") << QStringList {QStringLiteral("--symbols"), QStringLiteral("0")}
                                    << QStringLiteral("--symbols must be");
        QTest::newRow("bad host") << QStringList {QStringLiteral("--host"), QStringLiteral("example.com")}
                                  << QStringLiteral("not an IP address");
        QTest::newRow("stray argument") << QStringList {QStringLiteral("fast")}
                                        << QStringLiteral("unexpected argument");
    }

    void refusesBadOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess sim;
        sim.start(QStringLiteral(TICKSCOPE_SIM_PATH), arguments);
        QVERIFY(sim.waitForFinished(5000));
        QCOMPARE(sim.exitCode(), 2);
        const QString err = QString::fromUtf8(sim.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void portInUseFails()
    {
        QProcess first;
        first.start(QStringLiteral(TICKSCOPE_SIM_PATH), {});
        QVERIFY(first.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(first.canReadLine(), 5000);
        const QUrl url(QString::fromUtf8(first.readLine()).trimmed());
        QProcess second;
        second.start(QStringLiteral(TICKSCOPE_SIM_PATH), {QStringLiteral("--port"), QString::number(url.port())});
        QVERIFY(second.waitForFinished(5000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("cannot listen"));
        first.terminate();
        QVERIFY(first.waitForFinished(5000));
        QCOMPARE(first.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSimTool)
#include "tst_simtool.moc"
