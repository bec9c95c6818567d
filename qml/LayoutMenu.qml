import QtQuick
import QtQuick.Controls.Basic
import Tickscope.Models

// Panes and named layouts: show or hide each pane, switch to a saved layout, save the current
// arrangement under a name, delete a layout.
Menu {
    id: menu

    /// "Save layout as…": the window asks for a name (and writes its split views' sizes first).
    signal saveAsRequested

    delegate: MenuRow {} // the entry that opens "Delete layout"

    Repeater {
        model: [
            {
                key: "watchlist",
                title: qsTr("Watchlist")
            },
            {
                key: "chart",
                title: qsTr("Chart")
            },
            {
                key: "trades",
                title: qsTr("Trades")
            },
            {
                key: "book",
                title: qsTr("Order book")
            }
        ]
        delegate: MenuRow {
            required property var modelData
            objectName: "pane_" + modelData.key
            text: modelData.title
            checkable: true
            checked: MarketHub.workspace.paneShown[modelData.key] !== false
            onTriggered: MarketHub.workspace.setPaneVisible(modelData.key, checked)
        }
    }
    MenuSeparator {}
    Repeater {
        model: MarketHub.workspace.layoutNames
        delegate: MenuRow {
            required property string modelData
            objectName: "layout_" + modelData
            text: qsTr("Layout: %1").arg(modelData)
            onTriggered: MarketHub.workspace.applyLayout(modelData)
        }
    }
    MenuRow {
        objectName: "saveLayoutItem"
        text: qsTr("Save layout as…")
        onTriggered: menu.saveAsRequested()
    }
    Menu {
        id: deleteMenu
        title: qsTr("Delete layout")
        enabled: MarketHub.workspace.layoutNames.length > 0
        Repeater {
            model: MarketHub.workspace.layoutNames
            delegate: MenuRow {
                required property string modelData
                text: modelData
                onTriggered: MarketHub.workspace.deleteLayout(modelData)
            }
        }
    }
}
