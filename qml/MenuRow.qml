import QtQuick
import QtQuick.Controls.Basic

// A menu entry one line of text high: the Basic style's menu rows are 40 px (made for touch), which
// made the watchlist's menu taller than a laptop screen's usable height.
MenuItem {
    implicitHeight: Math.round(28 * Theme.scale)
    font.pixelSize: Theme.fontSize
}
