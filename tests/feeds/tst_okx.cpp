#include <QtTest>

class TstOkx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstOkx)
#include "tst_okx.moc"
