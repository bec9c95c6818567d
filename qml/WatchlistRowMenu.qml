import QtQuick
import QtQuick.Controls
import Tickscope.Models

// The context menu of a watchlist row: remove it, move it up or down.
Menu {
    id: menu

    property int rowIndex: -1

    signal removeRequested
    signal moveRequested(int to)

    objectName: "rowMenu"
    MenuItem {
        text: qsTr("Remove from list")
        onTriggered: menu.removeRequested()
    }
    MenuItem {
        text: qsTr("Move up")
        enabled: menu.rowIndex > 0
        onTriggered: menu.moveRequested(menu.rowIndex - 1)
    }
    MenuItem {
        text: qsTr("Move down")
        enabled: menu.rowIndex < MarketHub.watchlist.count - 1
        onTriggered: menu.moveRequested(menu.rowIndex + 1)
    }
}
