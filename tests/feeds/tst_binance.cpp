#include <QtTest>

class TstBinance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(TstBinance)
#include "tst_binance.moc"
