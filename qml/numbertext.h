#pragma once

#include <QColor>
#include <QQuickItem>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace tickscope {

struct NumberTextAtlas;

/// One line of monospaced text drawn from a glyph atlas: the numeric cells of the tables (prices,
/// sizes, change %, volume, trade times), which change every frame.
///
/// A Text item lays its string out again (itemise, shape, break) on every change, and its scene
/// graph node throws its glyph nodes away and makes new ones, which makes the renderer rebuild every
/// batch of the window. This item keeps one geometry node and rewrites its quads: each character is
/// a quad at `index × advance`, textured from an atlas holding printable ASCII and ▲ ▼ … rendered
/// once per font, colour and device pixel ratio. Other characters are drawn as '?'.
///
/// The text is centred vertically in the item's height and aligned left, right or centre in its
/// width; `elideLeft` replaces the leading characters with '…' when the text is wider than the item.
class NumberText : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    Q_PROPERTY(QString fontFamily READ fontFamily WRITE setFontFamily NOTIFY fontChanged)
    Q_PROPERTY(int pixelSize READ pixelSize WRITE setPixelSize NOTIFY fontChanged)
    Q_PROPERTY(bool bold READ bold WRITE setBold NOTIFY fontChanged)
    /// Qt.AlignLeft (default), Qt.AlignRight or Qt.AlignHCenter.
    Q_PROPERTY(
        int horizontalAlignment READ horizontalAlignment WRITE setHorizontalAlignment NOTIFY horizontalAlignmentChanged)
    Q_PROPERTY(bool elideLeft READ elideLeft WRITE setElideLeft NOTIFY elideLeftChanged)
    /// Width of one character.
    Q_PROPERTY(qreal advance READ advance NOTIFY fontChanged)
public:
    explicit NumberText(QQuickItem *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    QColor color() const { return m_color; }
    void setColor(const QColor &color);
    QString fontFamily() const { return m_family; }
    void setFontFamily(const QString &family);
    int pixelSize() const { return m_pixelSize; }
    void setPixelSize(int pixelSize);
    bool bold() const { return m_bold; }
    void setBold(bool bold);
    int horizontalAlignment() const { return m_alignment; }
    void setHorizontalAlignment(int alignment);
    bool elideLeft() const { return m_elideLeft; }
    void setElideLeft(bool on);
    qreal advance() const { return m_advance; }

    /// The characters as drawn (after eliding), for tests.
    Q_INVOKABLE QString shownText() const;

Q_SIGNALS:
    void textChanged();
    void colorChanged();
    void fontChanged();
    void horizontalAlignmentChanged();
    void elideLeftChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    /// The software renderer's node tree (`atlas` is the cache's entry for this item's style).
    QSGNode *updateSoftwareNode(QSGNode *oldNode, const QString &shown, const NumberTextAtlas &atlas,
                                const QRectF &sceneRect, qreal dpr);
    void updateMetrics();
    void updateImplicitWidth();

    QString m_text;
    QColor m_color = Qt::black;
    QString m_family;
    int m_pixelSize = 12;
    bool m_bold = false;
    int m_alignment = Qt::AlignLeft;
    bool m_elideLeft = false;
    qreal m_advance = 0;
    qreal m_lineHeight = 0;
};

} // namespace tickscope
