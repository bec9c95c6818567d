#include <QtTest>

class TstKrakenV1 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstKrakenV1)
#include "tst_krakenv1.moc"
