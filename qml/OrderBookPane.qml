import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope
import Tickscope.Models

// The order-book ladder of the selected instrument: asks above (best at the bottom), the spread
// row in the middle, bids below (best at the top), with an integrity badge that says whether the
// book can be trusted right now.
FocusScope {
    id: root

    property int depth: 20

    Component.onCompleted: {
        MarketHub.asks.depth = root.depth;
        MarketHub.bids.depth = root.depth;
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Order book") + "  " + MarketHub.selectedSymbol
            active: root.activeFocus

            Rectangle {
                id: badge
                readonly property color tone: MarketHub.selectedIntegrity === "synced" ? Theme.live
                    : MarketHub.selectedIntegrity === "gap" ? Theme.error : Theme.warning
                Layout.preferredWidth: badgeText.implicitWidth + 12
                Layout.preferredHeight: 18
                radius: 9
                color: Qt.rgba(tone.r, tone.g, tone.b, 0.16)
                border.color: tone
                visible: MarketHub.selectedIntegrity.length > 0
                Accessible.role: Accessible.StaticText
                Accessible.name: badgeText.text
                Text {
                    id: badgeText
                    objectName: "bookBadge"
                    anchors.centerIn: parent
                    text: MarketHub.selectedIntegrity === "synced" ? "\u2713 " + qsTr("synced")
                        : MarketHub.selectedIntegrity === "gap" ? "\u2716 " + qsTr("gap")
                        : MarketHub.selectedIntegrity === "stale" ? "\u29D6 " + qsTr("stale")
                        : MarketHub.selectedIntegrity === "offline" ? "\u2298 " + qsTr("offline")
                        : "\u21BB " + qsTr("resyncing")
                    color: badge.tone
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }

        Row {
            Layout.leftMargin: 6
            Layout.topMargin: 4
            spacing: 4
            Text {
                text: qsTr("Group")
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize
                anchors.verticalCenter: parent.verticalCenter
            }
            Repeater {
                model: [1, 10, 100]
                delegate: Chip {
                    required property int modelData
                    text: modelData + "\u00D7"
                    checked: MarketHub.bids.grouping === modelData
                    Accessible.name: qsTr("Group prices by %1 ticks").arg(modelData)
                    onClicked: {
                        MarketHub.bids.grouping = modelData;
                        MarketHub.asks.grouping = modelData;
                    }
                }
            }
        }

        Row {
            Layout.fillWidth: true
            height: Theme.rowHeight
            Repeater {
                model: [qsTr("Price"), qsTr("Size"), qsTr("Total")]
                delegate: Text {
                    required property string modelData
                    required property int index
                    width: index === 0 ? parent.width * 0.36 : index === 1 ? parent.width * 0.3 : parent.width * 0.32
                    height: Theme.rowHeight
                    verticalAlignment: Text.AlignVCenter
                    horizontalAlignment: Text.AlignRight
                    text: modelData
                    color: Theme.textDim
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }

        ListView {
            id: asks
            objectName: "asksView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            interactive: false
            cacheBuffer: 0 // levels below the pane's edge would be updated every frame, never seen
            model: MarketHub.asks
            verticalLayoutDirection: ListView.BottomToTop
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Asks")
            delegate: LadderRow {
                width: ListView.view.width
                ask: true
            }
        }

        Rectangle {
            Layout.fillWidth: true
            // An empty book's middle line says why (it may take two lines in a narrow pane).
            Layout.preferredHeight: bookNote.visible ? Math.max(Theme.rowHeight, bookNote.implicitHeight) + 6
                                                     : Theme.rowHeight + 6
            color: Theme.panelAlt
            Accessible.role: Accessible.StaticText
            Accessible.name: spreadLine.text
            // The numbers change every frame: NumberText rewrites its quads in place, where a Text
            // would replace its glyph nodes, and a node added outside any clip makes Qt Quick's
            // renderer rebuild the whole window's render lists. The words are translated Text.
            Row {
                id: spreadLine
                // Translated once; the line is a plain concatenation (compiled to C++).
                readonly property string lastWord: qsTr("last")
                readonly property string spreadWord: qsTr("spread")
                readonly property string text: MarketHub.selectedLast.length === 0 && MarketHub.selectedSpread.length === 0 ? ""
                    : spreadLine.lastWord + " " + MarketHub.selectedLast + "   " + spreadLine.spreadWord + " " + MarketHub.selectedSpread
                readonly property color tone: MarketHub.selectedTickDirection > 0 ? Theme.up
                    : MarketHub.selectedTickDirection < 0 ? Theme.down : Theme.text
                anchors.centerIn: parent
                visible: spreadLine.text.length > 0
                spacing: lastValue.advance
                // Words in a fixed colour (a Text whose colour changes is rebuilt too), numbers in
                // the direction's colour.
                component Word: Text {
                    anchors.verticalCenter: parent.verticalCenter
                    color: Theme.textDim
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSize
                    font.bold: true
                }
                component Figure: NumberText {
                    anchors.verticalCenter: parent.verticalCenter
                    fontFamily: Theme.monoFamily
                    pixelSize: Theme.fontSize
                    bold: true
                }
                Word {
                    text: spreadLine.lastWord
                }
                Figure {
                    id: lastValue
                    objectName: "spreadLast"
                    text: MarketHub.selectedLast
                    color: spreadLine.tone
                }
                Word {
                    leftPadding: 2 * lastValue.advance
                    text: spreadLine.spreadWord
                }
                Figure {
                    objectName: "spreadValue"
                    text: MarketHub.selectedSpread
                    color: spreadLine.tone
                }
            }
            EmptyNote {
                id: bookNote
                objectName: "bookNote"
                // The row count is fixed; `empty` says whether any row holds a level.
                visible: MarketHub.asks.empty && MarketHub.bids.empty
                idleText: MarketHub.selectedIntegrity === "resyncing" ? qsTr("Resyncing: waiting for a snapshot of the book")
                    : qsTr("No order book yet")
                anchors.centerIn: parent
                width: parent.width - 16
            }
        }

        ListView {
            id: bids
            objectName: "bidsView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            interactive: false
            cacheBuffer: 0 // levels below the pane's edge would be updated every frame, never seen
            model: MarketHub.bids
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Bids")
            delegate: LadderRow {
                width: ListView.view.width
            }
        }
    }

    // Right-click on a level: copy its price, size or total, exact as shown. One area over the
    // pane (left clicks pass through) rather than one per row.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.RightButton
        onPressed: mouse => {
            for (const view of [asks, bids]) {
                const at = mapToItem(view, mouse.x, mouse.y);
                if (at.x < 0 || at.y < 0 || at.x >= view.width || at.y >= view.height)
                    continue;
                const row = view.itemAt(at.x + view.contentX, at.y + view.contentY) as LadderRow;
                if (!row || row.empty)
                    return;
                levelMenu.price = row.price;
                levelMenu.size = row.size;
                levelMenu.total = row.cumulativeSize;
                levelMenu.popup();
                return;
            }
        }
    }
    Menu {
        id: levelMenu
        objectName: "levelMenu"
        property string price
        property string size
        property string total
        MenuRow {
            text: qsTr("Copy price %1").arg(levelMenu.price)
            onTriggered: Clipboard.setText(levelMenu.price)
        }
        MenuRow {
            text: qsTr("Copy size %1").arg(levelMenu.size)
            onTriggered: Clipboard.setText(levelMenu.size)
        }
        MenuRow {
            text: qsTr("Copy total %1").arg(levelMenu.total)
            onTriggered: Clipboard.setText(levelMenu.total)
        }
    }
}
