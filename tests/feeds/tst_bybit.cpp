#include <QtTest>

class TstBybit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstBybit)
#include "tst_bybit.moc"
