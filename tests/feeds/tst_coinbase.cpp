#include <QtTest>

class TstCoinbase : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstCoinbase)
#include "tst_coinbase.moc"
