// User-facing feed connection settings: proxies, certificate pins and trusted CA files, with a
// clear message for anything unusable.
#include "fatalwarnings.h"
#include "feedoptions.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tickscope;

class TestFeedOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void proxies_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::newRow("system") << "system" << true << int(QNetworkProxy::DefaultProxy) << "" << 0 << "";
        QTest::newRow("empty is system") << "" << true << int(QNetworkProxy::DefaultProxy) << "" << 0 << "";
        QTest::newRow("none") << "NONE" << true << int(QNetworkProxy::NoProxy) << "" << 0 << "";
        QTest::newRow("http") << "http://proxy.corp:3128" << true << int(QNetworkProxy::HttpProxy) << "proxy.corp"
                              << 3128 << "";
        QTest::newRow("socks5 with user") << "socks5://ann:secret@127.0.0.1:1080" << true
                                          << int(QNetworkProxy::Socks5Proxy) << "127.0.0.1" << 1080 << "ann";
        QTest::newRow("no port") << "http://proxy.corp" << false << 0 << "" << 0 << "";
        QTest::newRow("unknown scheme") << "ftp://proxy.corp:21" << false << 0 << "" << 0 << "";
        QTest::newRow("garbage") << "proxy please" << false << 0 << "" << 0 << "";
        QTest::newRow("path") << "http://proxy.corp:3128/x" << false << 0 << "" << 0 << "";
    }
    void proxies()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QString error;
        const auto proxy = feedoptions::parseProxy(text, &error);
        QCOMPARE(proxy.has_value(), ok);
        if (!ok) {
            QVERIFY(error.contains(text));
            return;
        }
        QFETCH(int, type);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QCOMPARE(int(proxy->type()), type);
        QCOMPARE(proxy->hostName(), host);
        QCOMPARE(int(proxy->port()), port);
        QCOMPARE(proxy->user(), user);
    }

    void pins()
    {
        const QString hex = QStringLiteral("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08");
        QString error;
        const auto plain = feedoptions::parsePin(hex, &error);
        QVERIFY(plain);
        QCOMPARE(plain->size(), 32);
        QCOMPARE(plain->toHex().toUpper(), hex.toLatin1());
        QString colons;
        for (int i = 0; i < hex.size(); i += 2)
            colons += (i ? QStringLiteral(":") : QString()) + hex.mid(i, 2).toLower();
        QCOMPARE(feedoptions::parsePin(colons, &error), plain);
        QVERIFY(!feedoptions::parsePin(hex.left(62), &error)); // too short
        QVERIFY(error.contains(QStringLiteral("64 hex digits")));
        QVERIFY(!feedoptions::parsePin(hex.left(63) + QLatin1Char('g'), &error));
        QVERIFY(!feedoptions::parsePin(QString(), &error));
    }

    void certificateFiles()
    {
        QString error;
        const auto ca = feedoptions::loadCertificates(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/tls/ca.crt"), &error);
        QVERIFY2(ca, qPrintable(error));
        QCOMPARE(ca->size(), 1);
        QVERIFY(ca->first().subjectInfo(QSslCertificate::CommonName).contains(QStringLiteral("Tickscope Test CA")));

        QVERIFY(!feedoptions::loadCertificates(QStringLiteral("/nonexistent/ca.pem"), &error));
        QVERIFY(error.contains(QStringLiteral("cannot read")));
        QTemporaryDir dir;
        QFile junk(dir.filePath(QStringLiteral("junk.pem")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a certificate\n");
        junk.close();
        QVERIFY(!feedoptions::loadCertificates(junk.fileName(), &error));
        QVERIFY(error.contains(QStringLiteral("no PEM certificate")));
    }
};

QTEST_GUILESS_MAIN(TestFeedOptions)
#include "tst_feedoptions.moc"
