import QtQuick

// One watchlist row. The last price flashes briefly in the direction of its change; a stale badge
// says when the instrument's data is not live (feed down, book resyncing or in a gap).
Rectangle {
    id: row

    required property int index
    required property string symbol
    required property string venue
    required property string last
    required property string changePercent
    required property real changePercentValue
    required property string bid
    required property string ask
    required property string spread
    required property string volume
    required property int tickDirection
    required property bool stale
    required property string integrity
    property var columnWidths: []
    property bool selected: false

    signal clicked

    height: Theme.rowHeight
    color: row.selected ? Theme.selection : (row.index % 2 ? Theme.panelAlt : "transparent") // even rows: the window shows through

    Accessible.role: Accessible.Row
    Accessible.name: row.symbol + " " + row.venue + " " + row.last

    // The flash is a step, not a fade: shown on a change, hidden 300 ms after the last one. A fade
    // would keep the window rendering for 400 ms after every tick of every row.
    Rectangle {
        id: flash
        x: row.columnWidths[0]
        width: row.columnWidths[1]
        height: row.height
        visible: flashTimer.running
        color: Theme.directionColor(row.tickDirection)
        opacity: 0.2
    }
    onLastChanged: flashTimer.restart()
    Timer {
        id: flashTimer
        interval: 300
    }

    Row {
        x: 8
        height: row.height

        Item {
            width: row.columnWidths[0]
            height: row.height
            Text {
                id: symbolText
                anchors.verticalCenter: parent.verticalCenter
                text: row.symbol
                color: Theme.text
                font.pixelSize: Theme.fontSize
                font.bold: row.selected
            }
            Text {
                id: venueText
                anchors.left: symbolText.right
                anchors.leftMargin: 5
                anchors.baseline: symbolText.baseline
                text: row.venue
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize - 1
            }
            Rectangle {
                visible: row.stale
                anchors.left: venueText.right
                anchors.leftMargin: 4
                anchors.verticalCenter: parent.verticalCenter
                width: staleText.implicitWidth + 6
                height: 14
                radius: 3
                color: "transparent"
                border.color: Theme.warning
                Text {
                    id: staleText
                    anchors.centerIn: parent
                    text: row.integrity === "synced" ? qsTr("STALE") : row.integrity.toUpperCase()
                    color: Theme.warning
                    font.pixelSize: 9
                }
            }
        }
        PriceText {
            width: row.columnWidths[1]
            height: row.height
            value: row.last
            pointX: width - 70
            color: Theme.directionColor(row.tickDirection)
        }
        Text {
            width: row.columnWidths[2]
            height: row.height
            verticalAlignment: Text.AlignVCenter
            horizontalAlignment: Text.AlignRight
            text: row.changePercent.length === 0 ? "" : (row.changePercentValue > 0 ? "+" : "") + row.changePercent + "%"
            color: Theme.directionColor(row.changePercentValue > 0 ? 1 : row.changePercentValue < 0 ? -1 : 0)
            textFormat: Text.PlainText
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSize
        }
        PriceText {
            width: row.columnWidths[3]
            height: row.height
            value: row.bid
            pointX: width - 70
            color: Theme.up
        }
        PriceText {
            width: row.columnWidths[4]
            height: row.height
            value: row.ask
            pointX: width - 70
            color: Theme.down
        }
        PriceText {
            width: row.columnWidths[5]
            height: row.height
            value: row.spread
            pointX: width - 64
            color: Theme.textDim
        }
        Text {
            width: row.columnWidths[6]
            height: row.height
            verticalAlignment: Text.AlignVCenter
            horizontalAlignment: Text.AlignRight
            text: row.volume
            elide: Text.ElideLeft
            color: Theme.textDim
            textFormat: Text.PlainText
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSize
        }
    }

    MouseArea {
        anchors.fill: parent
        onClicked: row.clicked()
    }
}
