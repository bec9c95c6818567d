#include "clipboard.h"

#include <QClipboard>
#include <QGuiApplication>

namespace tickscope {

void Clipboard::setText(const QString &text)
{
    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(text);
    if (clipboard->supportsSelection())
        clipboard->setText(text, QClipboard::Selection);
}

QString Clipboard::text()
{
    return QGuiApplication::clipboard()->text();
}

} // namespace tickscope
