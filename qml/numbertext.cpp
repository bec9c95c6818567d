#include "numbertext.h"

#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QPainter>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGImageNode>
#include <QSGRendererInterface>
#include <QSGTexture>
#include <QSGTextureMaterial>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace tickscope {

namespace {

// The atlas: printable ASCII, then the few symbols the tables use.
constexpr char16_t kFirstAscii = 0x20;
constexpr int kAsciiGlyphs = 0x7F - kFirstAscii;
constexpr char16_t kSymbols[] = {u'\u25B2', u'\u25BC', u'\u2026'}; // ▲ ▼ …
constexpr int kGlyphs = kAsciiGlyphs + static_cast<int>(std::size(kSymbols));
constexpr int kColumns = 16;
constexpr int kRows = (kGlyphs + kColumns - 1) / kColumns;
constexpr qreal kPad = 2; ///< transparent margin around each glyph's cell (antialiasing, overhang)
constexpr qsizetype kMaxChars = 256; ///< 16-bit indices: 4 vertices per character

} // namespace

struct NumberTextAtlas
{
    QSGTexture *texture = nullptr;
    QSizeF cell; ///< logical pixels, whole device pixels
    qreal pad = 0; ///< where a glyph's pen starts in its cell (kPad on whole device pixels), logical
    QSizeF imageSize; ///< logical pixels
    /// The atlas's pixels (device pixels), kept for Qt Quick's software renderer, which composes
    /// each cell's picture from them.
    QImage image;
    /// Per glyph: the part of its cell with ink, relative to the cell (logical pixels, on device
    /// pixels). Quads cover only that: a software rasteriser pays for every pixel of every quad.
    std::array<QRectF, kGlyphs> ink {};
};

namespace {

using Atlas = NumberTextAtlas;

int glyphIndex(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= kFirstAscii && u < kFirstAscii + kAsciiGlyphs)
        return u - kFirstAscii;
    for (int i = 0; i < static_cast<int>(std::size(kSymbols)); ++i) {
        if (u == kSymbols[i])
            return kAsciiGlyphs + i;
    }
    return u'?' - kFirstAscii;
}

QFont makeFont(const QString &family, int pixelSize, bool bold)
{
    QFont font(family);
    // Where the family is not installed, another monospaced font rather than the default sans.
    font.setStyleHint(QFont::TypeWriter);
    font.setFixedPitch(true);
    font.setPixelSize(std::max(1, pixelSize));
    font.setBold(bold);
    return font;
}

struct AtlasKey
{
    QString family;
    int pixelSize;
    bool bold;
    QRgb color;
    qreal dpr;
    bool operator==(const AtlasKey &other) const
    {
        return family == other.family && pixelSize == other.pixelSize && bold == other.bold && color == other.color
            && dpr == other.dpr;
    }
};

size_t qHash(const AtlasKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.family, key.pixelSize, key.bold, key.color, key.dpr);
}

/// Atlas textures per window, made and used on the window's render thread, released when its scene
/// graph goes away. Few: one per font and colour in use.
class AtlasCache
{
public:
    static AtlasCache &instance()
    {
        static AtlasCache cache;
        return cache;
    }

    /// Shared, not copied: every cell asks for its atlas on every change.
    std::shared_ptr<const Atlas> atlas(QQuickWindow *window, const AtlasKey &key)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_watched.contains(window)) {
            m_watched.insert(window);
            // Released with the scene graph (render thread), and at the latest with the window (Qt
            // Quick's software renderer may not say the former), so a later window at the same
            // address never gets this one's textures.
            QObject::connect(
                window, &QQuickWindow::sceneGraphInvalidated, window, [this, window] { release(window, false); },
                Qt::DirectConnection);
            QObject::connect(window, &QObject::destroyed, [this, window] { release(window, true); });
        }
        auto &atlases = m_windows[window];
        auto it = atlases.find(key);
        if (it == atlases.end())
            it = atlases.insert(key, make(window, key));
        return *it;
    }

private:
    void release(QQuickWindow *window, bool destroyed)
    {
        QMutexLocker lock(&m_mutex);
        const auto atlases = m_windows.take(window);
        for (const auto &atlas : atlases)
            delete atlas->texture;
        if (destroyed)
            m_watched.remove(window);
    }

    /// The bounding box of the non-transparent pixels of glyph `i`'s cell.
    static QRectF inkRect(const QImage &image, int i, QSizeF cell, qreal dpr)
    {
        const int x0 = static_cast<int>(std::lround((i % kColumns) * cell.width() * dpr));
        const int y0 = static_cast<int>(std::lround((i / kColumns) * cell.height() * dpr));
        const int w = std::min(static_cast<int>(std::lround(cell.width() * dpr)), image.width() - x0);
        const int h = std::min(static_cast<int>(std::lround(cell.height() * dpr)), image.height() - y0);
        int left = w;
        int right = -1;
        int top = h;
        int bottom = -1;
        for (int y = 0; y < h; ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y0 + y)) + x0;
            for (int x = 0; x < w; ++x) {
                if (qAlpha(line[x]) == 0)
                    continue;
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
        if (right < 0)
            return {};
        return QRectF(left / dpr, top / dpr, (right - left + 1) / dpr, (bottom - top + 1) / dpr);
    }

    static std::shared_ptr<const Atlas> make(QQuickWindow *window, const AtlasKey &key)
    {
        const QFont font = makeFont(key.family, key.pixelSize, key.bold);
        const QFontMetricsF metrics(font);
        Atlas atlas;
        // Cells and pads on whole device pixels: at a fractional ratio (1.25, 1.5) every glyph is then
        // drawn at the same sub-pixel phase; otherwise every other column of the atlas came out
        // half a pixel off and its glyphs heavier (a bold-looking '1' in some prices).
        const auto wholeDevicePixels = [&key](qreal logical) { return std::ceil(logical * key.dpr - 1e-6) / key.dpr; };
        atlas.pad = std::round(kPad * key.dpr) / key.dpr;
        atlas.cell = QSizeF(wholeDevicePixels(std::ceil(metrics.horizontalAdvance(u'0')) + 2 * kPad + 1),
                            wholeDevicePixels(std::ceil(metrics.ascent() + metrics.descent()) + 2 * kPad));
        atlas.imageSize = QSizeF(atlas.cell.width() * kColumns, atlas.cell.height() * kRows);
        QImage image((atlas.imageSize * key.dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(key.dpr);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setFont(font);
        painter.setPen(QColor::fromRgba(key.color));
        for (int i = 0; i < kGlyphs; ++i) {
            const QChar c = i < kAsciiGlyphs ? QChar(char16_t(kFirstAscii + i)) : QChar(kSymbols[i - kAsciiGlyphs]);
            const QPointF origin((i % kColumns) * atlas.cell.width() + atlas.pad,
                                 (i / kColumns) * atlas.cell.height() + atlas.pad + metrics.ascent());
            painter.drawText(origin, QString(c));
        }
        painter.end();
        for (int i = 0; i < kGlyphs; ++i)
            atlas.ink[i] = inkRect(image, i, atlas.cell, key.dpr);
        atlas.texture = window->createTextureFromImage(image);
        if (window->rendererInterface()->graphicsApi() == QSGRendererInterface::Software)
            atlas.image = image;
        // Quads start on whole device pixels and the atlas is drawn at the window's device pixel ratio,
        // so texels map 1:1 to pixels (exactly at integer ratios): nearest sampling shows the glyphs
        // as drawn, for one texel fetch per pixel instead of linear's four, which a software
        // rasteriser pays for on every pixel of every frame.
        atlas.texture->setFiltering(QSGTexture::Nearest);
        return std::make_shared<const Atlas>(atlas);
    }

    QMutex m_mutex;
    QHash<QQuickWindow *, QHash<AtlasKey, std::shared_ptr<const Atlas>>> m_windows;
    QSet<QQuickWindow *> m_watched; ///< windows whose release signals are connected
};

} // namespace

NumberText::NumberText(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents);
    updateMetrics();
}

void NumberText::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    updateImplicitWidth();
    update();
    Q_EMIT textChanged();
}

void NumberText::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    update();
    Q_EMIT colorChanged();
}

void NumberText::setFontFamily(const QString &family)
{
    if (family == m_family)
        return;
    m_family = family;
    updateMetrics();
}

void NumberText::setPixelSize(int pixelSize)
{
    if (pixelSize == m_pixelSize)
        return;
    m_pixelSize = pixelSize;
    updateMetrics();
}

void NumberText::setBold(bool bold)
{
    if (bold == m_bold)
        return;
    m_bold = bold;
    updateMetrics();
}

void NumberText::setHorizontalAlignment(int alignment)
{
    if (alignment == m_alignment)
        return;
    m_alignment = alignment;
    update();
    Q_EMIT horizontalAlignmentChanged();
}

void NumberText::setElideLeft(bool on)
{
    if (on == m_elideLeft)
        return;
    m_elideLeft = on;
    update();
    Q_EMIT elideLeftChanged();
}

QString NumberText::shownText() const
{
    QString shown = m_text.left(kMaxChars);
    if (m_elideLeft && m_advance > 0 && widthValid() && shown.size() * m_advance > width() + 0.01) {
        const auto fits = static_cast<qsizetype>(std::floor((width() + 0.01) / m_advance));
        shown = fits <= 0 ? QString() : QChar(kSymbols[2]) + shown.right(fits - 1);
    }
    return shown;
}

void NumberText::updateMetrics()
{
    const QFontMetricsF metrics(makeFont(m_family, m_pixelSize, m_bold));
    m_advance = metrics.horizontalAdvance(u'0');
    m_lineHeight = std::ceil(metrics.ascent() + metrics.descent());
    setImplicitHeight(m_lineHeight);
    updateImplicitWidth();
    update();
    Q_EMIT fontChanged();
}

void NumberText::updateImplicitWidth()
{
    setImplicitWidth(std::min(m_text.size(), kMaxChars) * m_advance);
}

void NumberText::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        update();
}

namespace {

/// Calls `emit(target, source)` for each character of `shown` that has ink: where its quad goes in
/// the item and where its glyph is in the atlas (logical pixels, on whole device pixels).
template<typename Emit>
void layoutGlyphs(const QString &shown, const Atlas &atlas, const QRectF &sceneRect, int alignment, qreal advance,
                  qreal lineHeight, qreal dpr, Emit &&emit)
{
    const qreal textWidth = static_cast<qreal>(shown.size()) * advance;
    qreal left = 0;
    if (alignment & Qt::AlignRight)
        left = sceneRect.width() - textWidth;
    else if (alignment & Qt::AlignHCenter)
        left = (sceneRect.width() - textWidth) / 2;
    // Glyphs start on whole device pixels of the window (1:1 with the atlas's texels), whatever the
    // item's own fractional position.
    const auto snapX = [&](qreal v) { return std::round((v + sceneRect.x()) * dpr) / dpr - sceneRect.x(); };
    const auto snapY = [&](qreal v) { return std::round((v + sceneRect.y()) * dpr) / dpr - sceneRect.y(); };
    const qreal top = snapY((sceneRect.height() - lineHeight) / 2) - atlas.pad;
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const int glyph = glyphIndex(shown.at(i));
        const QRectF &ink = atlas.ink[glyph];
        if (ink.isEmpty())
            continue;
        const qreal cellX = snapX(left + static_cast<qreal>(i) * advance) - atlas.pad;
        emit(QRectF(cellX + ink.x(), top + ink.y(), ink.width(), ink.height()),
             ink.translated((glyph % kColumns) * atlas.cell.width(), (glyph / kColumns) * atlas.cell.height()));
    }
}

} // namespace

QSGNode *NumberText::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    QQuickWindow *win = window();
    const qreal dpr = win->effectiveDevicePixelRatio();
    const std::shared_ptr<const Atlas> atlasEntry
        = AtlasCache::instance().atlas(win, AtlasKey {m_family, m_pixelSize, m_bold, m_color.rgba(), dpr});
    const Atlas &atlas = *atlasEntry;
    const QString shown = shownText();
    // The item's rectangle, placed where it is in the window (for pixel snapping).
    const QRectF sceneRect(mapToScene(QPointF(0, 0)), QSizeF(width(), height()));

    if (win->rendererInterface()->graphicsApi() == QSGRendererInterface::Software)
        return updateSoftwareNode(oldNode, shown, atlas, sceneRect, dpr);

    // Hardware (and software OpenGL): one geometry node, one quad per character with ink, rewritten
    // in place; nodes of the same colour share the atlas texture and merge into one batch.
    auto *node = static_cast<QSGGeometryNode *>(oldNode);
    if (!node) {
        node = new QSGGeometryNode;
        auto *geometry
            = new QSGGeometry(QSGGeometry::defaultAttributes_TexturedPoint2D(), 0, 0, QSGGeometry::UnsignedShortType);
        geometry->setDrawingMode(QSGGeometry::DrawTriangles);
        node->setGeometry(geometry);
        node->setFlag(QSGNode::OwnsGeometry);
        auto *material = new QSGTextureMaterial;
        material->setFiltering(QSGTexture::Nearest);
        material->setFlag(QSGMaterial::Blending);
        node->setMaterial(material);
        node->setFlag(QSGNode::OwnsMaterial);
    }
    auto *material = static_cast<QSGTextureMaterial *>(node->material());
    if (material->texture() != atlas.texture) {
        material->setTexture(atlas.texture);
        node->markDirty(QSGNode::DirtyMaterial);
    }

    int quads = 0;
    layoutGlyphs(shown, atlas, sceneRect, m_alignment, m_advance, m_lineHeight, dpr,
                 [&quads](const QRectF &, const QRectF &) { ++quads; });
    QSGGeometry *geometry = node->geometry();
    if (geometry->vertexCount() != quads * 4)
        geometry->allocate(quads * 4, quads * 6);
    QSGGeometry::TexturedPoint2D *v = geometry->vertexDataAsTexturedPoint2D();
    quint16 *index = geometry->indexDataAsUShort();
    const qreal texScaleX = 1.0 / atlas.imageSize.width();
    const qreal texScaleY = 1.0 / atlas.imageSize.height();
    quint16 base = 0;
    layoutGlyphs(
        shown, atlas, sceneRect, m_alignment, m_advance, m_lineHeight, dpr,
        [&](const QRectF &target, const QRectF &source) {
            const auto x0 = static_cast<float>(target.left());
            const auto y0 = static_cast<float>(target.top());
            const auto x1 = static_cast<float>(target.right());
            const auto y1 = static_cast<float>(target.bottom());
            const auto s0 = static_cast<float>(source.left() * texScaleX);
            const auto t0 = static_cast<float>(source.top() * texScaleY);
            const auto s1 = static_cast<float>(source.right() * texScaleX);
            const auto t1 = static_cast<float>(source.bottom() * texScaleY);
            v[0].set(x0, y0, s0, t0);
            v[1].set(x1, y0, s1, t0);
            v[2].set(x0, y1, s0, t1);
            v[3].set(x1, y1, s1, t1);
            const quint16 quad[6]
                = {base, quint16(base + 1), quint16(base + 2), quint16(base + 1), quint16(base + 3), quint16(base + 2)};
            std::copy(std::begin(quad), std::end(quad), index);
            v += 4;
            index += 6;
            base += 4;
        });
    node->markDirty(QSGNode::DirtyGeometry);
    return node;
}

namespace {

/// A cell on Qt Quick's software renderer: one image node showing the cell's text, composed from
/// the atlas. The node holds the picture's texture (the image node only shows it).
class SoftwareCellNode : public QSGNode
{
public:
    std::unique_ptr<QSGTexture> texture;
    QSGImageNode *image = nullptr;
};

} // namespace

QSGNode *NumberText::updateSoftwareNode(QSGNode *oldNode, const QString &shown, const NumberTextAtlas &atlas,
                                        const QRectF &sceneRect, qreal dpr)
{
    // Qt Quick's software renderer draws no custom geometry, and its cost grows with the number of
    // nodes (it works out dirty and covered regions node by node): one image node per cell, its
    // picture drawn from the atlas on every change, not one node per character.
    QQuickWindow *win = window();
    auto *root = static_cast<SoftwareCellNode *>(oldNode);
    if (!root) {
        root = new SoftwareCellNode;
        root->image = win->createImageNode();
        root->image->setOwnsTexture(false);
        root->image->setFiltering(QSGTexture::Linear); // 1:1 at whole device pixel ratios; smooth otherwise
        // The renderer asks every image node's texture about transparency: a 1×1 placeholder until
        // there is a picture.
        QImage placeholder(1, 1, QImage::Format_ARGB32_Premultiplied);
        placeholder.fill(Qt::transparent);
        root->texture.reset(win->createTextureFromImage(placeholder));
        root->image->setTexture(root->texture.get());
        root->appendChildNode(root->image);
    }
    QRectF bounds;
    layoutGlyphs(shown, atlas, sceneRect, m_alignment, m_advance, m_lineHeight, dpr,
                 [&bounds](const QRectF &target, const QRectF &) { bounds |= target; });
    const QSize pixels(static_cast<int>(std::ceil(bounds.width() * dpr - 0.01)),
                       static_cast<int>(std::ceil(bounds.height() * dpr - 0.01)));
    if (pixels.isEmpty() || atlas.image.isNull()) {
        root->image->setRect(QRectF()); // nothing to show; the node stays
        return root;
    }
    // Both images at the window's device pixel ratio: glyphs are copied 1:1 in device pixels.
    QImage picture(pixels, QImage::Format_ARGB32_Premultiplied);
    picture.setDevicePixelRatio(dpr);
    picture.fill(Qt::transparent);
    {
        QPainter painter(&picture);
        layoutGlyphs(shown, atlas, sceneRect, m_alignment, m_advance, m_lineHeight, dpr,
                     [&](const QRectF &target, const QRectF &source) {
                         painter.drawImage(target.topLeft() - bounds.topLeft(), atlas.image,
                                           QRectF(source.topLeft() * dpr, source.size() * dpr));
                     });
    }
    std::unique_ptr<QSGTexture> texture(win->createTextureFromImage(picture));
    root->image->setTexture(texture.get());
    root->image->setRect(QRectF(bounds.topLeft(), QSizeF(pixels) / dpr));
    root->image->setSourceRect(QRectF(QPointF(0, 0), QSizeF(pixels)));
    root->texture = std::move(texture); // the previous picture goes now that the node shows this one
    return root;
}

} // namespace tickscope
