#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace tickscope {

/// The system clipboard's text for the views (Qt Quick has no clipboard type of its own):
/// `Clipboard.setText(MarketHub.watchlist.rowText(row))`.
class Clipboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    using QObject::QObject;

    /// Puts `text` on the clipboard (and, where the platform has one, the selection buffer).
    Q_INVOKABLE static void setText(const QString &text);
    /// The clipboard's text ("" when it holds none).
    Q_INVOKABLE static QString text();
};

} // namespace tickscope
