// NumberText at a fractional device pixel ratio (150 %, as on many Windows laptops): every glyph
// looks as the font draws it at a whole device pixel. The atlas used to put every other column of
// glyphs half a device pixel off, and those glyphs ('1', '3', '5', … ) came out blurred and heavier
// than their neighbours. Runs offscreen (Qt Quick's software renderer shows the atlas's pixels 1:1).

#include "fatalwarnings.h"
#include "numbertext.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QQuickWindow>
#include <QtTest>

#include <cmath>

using namespace tickscope;

namespace {

constexpr qreal kScale = 1.5;

/// The bounding box of the pixels brighter than the background (black) in `image`.
QRect inkBox(const QImage &image)
{
    QRect box;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (qGray(image.pixel(x, y)) > 0)
                box |= QRect(x, y, 1, 1);
        }
    }
    return box;
}

QFont monoFont()
{
    QFont font(QStringLiteral("DejaVu Sans Mono"));
    font.setStyleHint(QFont::TypeWriter);
    font.setFixedPitch(true);
    font.setPixelSize(12);
    return font;
}

} // namespace

class TestNumberTextScale : public QObject
{
    Q_OBJECT
public:
    static void initMain() { qputenv("QT_SCALE_FACTOR", QByteArray::number(kScale)); }

private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void everyGlyphAsTheFontDrawsIt_data()
    {
        QTest::addColumn<QString>("character");
        // Glyphs from even and odd columns of the atlas (16 glyphs a row, from ' ').
        for (const char *c : {"0", "1", "2", "3", "5", "7", "8", "9", "."})
            QTest::newRow(c) << QString::fromLatin1(c);
    }

    void everyGlyphAsTheFontDrawsIt()
    {
        QFETCH(QString, character);
        QQuickWindow window;
        window.setColor(Qt::black);
        window.resize(60, 40);
        auto *text = new NumberText(window.contentItem());
        text->setFontFamily(QStringLiteral("DejaVu Sans Mono"));
        text->setPixelSize(12);
        text->setColor(Qt::white);
        text->setPosition(QPointF(10, 10));
        text->setSize(QSizeF(40, 20));
        text->setText(character);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.effectiveDevicePixelRatio(), kScale);
        const QImage shown = window.grabWindow().convertToFormat(QImage::Format_RGB32);
        const QRect shownBox = inkBox(shown);
        QVERIFY(!shownBox.isEmpty());

        // The font's own drawing of the character, its pen on a whole device pixel.
        QImage reference(QSize(40, 30) * kScale, QImage::Format_RGB32);
        reference.setDevicePixelRatio(kScale);
        reference.fill(Qt::black);
        {
            QPainter painter(&reference);
            painter.setFont(monoFont());
            painter.setPen(Qt::white);
            const QFontMetricsF metrics(monoFont());
            // The same vertical phase as the atlas's rows (they start on whole device pixels).
            painter.drawText(
                QPointF(std::round(2 * kScale) / kScale, std::round(2 * kScale) / kScale + metrics.ascent()),
                character);
        }
        const QRect referenceBox = inkBox(reference);
        QCOMPARE(shownBox.size(), referenceBox.size());
        int different = 0;
        for (int y = 0; y < shownBox.height(); ++y) {
            for (int x = 0; x < shownBox.width(); ++x) {
                const int a = qGray(shown.pixel(shownBox.topLeft() + QPoint(x, y)));
                const int b = qGray(reference.pixel(referenceBox.topLeft() + QPoint(x, y)));
                if (std::abs(a - b) > 8)
                    ++different;
            }
        }
        QVERIFY2(different == 0,
                 qPrintable(QStringLiteral("%1 of %2 pixels differ from the font's drawing")
                                .arg(different)
                                .arg(shownBox.width() * shownBox.height())));
    }
};

QTEST_MAIN(TestNumberTextScale)
#include "tst_numbertextscale.moc"
