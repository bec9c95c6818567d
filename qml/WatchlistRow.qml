import QtQuick
import Tickscope
import Tickscope.Models

// One watchlist row. The last price flashes briefly in the direction of its change; a stale badge
// says when the instrument's data is not live (feed down, book resyncing or in a gap).
WatchlistRowBase {
    id: row

    required property int index
    required property real changePercentValue
    required property int tickDirection
    required property bool stale
    property var columnWidths: Theme.watchlistWidths(MarketHub.lists.columnShown)
    property bool selected: false
    readonly property bool showVenue: Theme.shows(MarketHub.lists.columnShown, "venue")
    /// The colour of the last price: the direction of its latest change.
    readonly property color directionColor: row.tickDirection > 0 ? Theme.up : row.tickDirection < 0 ? Theme.down : Theme.text
    /// The flash: the direction's colour mixed over what the row is drawn on (the selection, an
    /// alternate row or the window itself), from the Theme's pre-mixed colours.
    readonly property color flashColor: row.selected
        ? (row.tickDirection > 0 ? Theme.flashUpSelected : row.tickDirection < 0 ? Theme.flashDownSelected : Theme.flashSameSelected)
        : row.index % 2
            ? (row.tickDirection > 0 ? Theme.flashUpAlt : row.tickDirection < 0 ? Theme.flashDownAlt : Theme.flashSameAlt)
            : (row.tickDirection > 0 ? Theme.flashUp : row.tickDirection < 0 ? Theme.flashDown : Theme.flashSame)
    /// What the row is drawn on where nothing flashes: the selection, an alternate row or the window.
    readonly property color restColor: row.selected ? Theme.selection : row.index % 2 ? Theme.panelAlt : Theme.panel
    /// While dragged: the row it would be dropped on (-1 when not dragged).
    readonly property int dropRow: dragArea.dragging ? Math.max(0, Math.min(MarketHub.watchlist.count - 1, row.index + Math.round(dragArea.dragOffset / row.height))) : -1

    signal clicked
    /// Right-click (after `clicked`, so the row is current when the menu opens).
    signal contextMenuRequested
    /// A drag moved the row from `from` to `to` (the model already has the move).
    signal moved(int from, int to)

    height: Theme.rowHeight
    thousandsSeparators: Theme.thousandsSeparators
    // A dragged row follows the pointer above the others.
    z: dragArea.dragging ? 2 : 0
    transform: Translate {
        y: dragArea.dragging ? dragArea.dragOffset : 0
    }

    Accessible.role: Accessible.Row
    Accessible.name: row.symbol + " " + row.venue + " " + row.last

    // Selection and alternate rows; even rows let the window (the same colour) show through, except
    // while dragged over other rows.
    Rectangle {
        anchors.fill: parent
        visible: row.selected || row.index % 2 === 1 || dragArea.dragging
        color: row.restColor
        border.color: dragArea.dragging ? Theme.accent : "transparent"
    }

    // The flash behind the last price while `flashing` (WatchlistRowBase: from a change until
    // 300 ms after the latest one). Opaque, in a colour already mixed over the row's background: a
    // translucent rectangle would be blended, which a software rasteriser pays for on every pixel
    // of every frame. Between flashes it stays, in the row's own colour: showing and hiding it
    // would make Qt Quick's renderer rebuild its render lists for the whole window in that frame.
    // (While the row is dragged it steps aside for the drag border.)
    Rectangle {
        id: flash
        x: row.columnWidths[0]
        width: row.columnWidths[1]
        height: row.height
        visible: row.flashing || !dragArea.dragging
        color: row.flashing ? row.flashColor : row.restColor
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
                anchors.leftMargin: row.showVenue ? 5 : 0
                anchors.baseline: symbolText.baseline
                text: row.showVenue ? row.venue : ""
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
                    // In sequence but the feed is not live: STALE; out of sync: why.
                    text: row.integrity === "synced" ? qsTr("STALE")
                        : row.integrity === "offline" ? qsTr("OFFLINE")
                        : row.integrity === "resyncing" ? qsTr("RESYNCING")
                        : row.integrity === "gap" ? qsTr("GAP")
                        : row.integrity === "waiting" ? qsTr("WAITING") : row.integrity.toUpperCase()
                    color: Theme.warning
                    font.pixelSize: 9
                }
            }
        }
        PriceText {
            visible: width > 0
            width: row.columnWidths[1]
            height: row.height
            value: row.last
            pointX: width - 70
            color: row.directionColor
        }
        NumberText {
            visible: width > 0
            width: row.columnWidths[2]
            height: row.height
            horizontalAlignment: Qt.AlignRight
            text: row.changePercent.length === 0 ? "" : (row.changePercentValue > 0 ? "+" : "") + row.changePercent + "%"
            color: row.changePercentValue > 0 ? Theme.up : row.changePercentValue < 0 ? Theme.down : Theme.text
            fontFamily: Theme.monoFamily
            pixelSize: Theme.fontSize
        }
        PriceText {
            visible: width > 0
            width: row.columnWidths[3]
            height: row.height
            value: row.bid
            pointX: width - 70
            color: Theme.up
        }
        PriceText {
            visible: width > 0
            width: row.columnWidths[4]
            height: row.height
            value: row.ask
            pointX: width - 70
            color: Theme.down
        }
        PriceText {
            visible: width > 0
            width: row.columnWidths[5]
            height: row.height
            value: row.spread
            pointX: width - 64
            color: Theme.textDim
        }
        NumberText {
            visible: width > 0
            width: row.columnWidths[6]
            height: row.height
            horizontalAlignment: Qt.AlignRight
            text: row.volumeText
            elideLeft: true
            color: Theme.textDim
            fontFamily: Theme.monoFamily
            pixelSize: Theme.fontSize
        }
    }

    // Click selects, right-click opens the row menu, a vertical drag moves the row.
    MouseArea {
        id: dragArea
        property real pressY: 0
        property real dragOffset: 0
        property bool dragging: false
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        preventStealing: true // a drag on a row moves the row; the list scrolls by wheel and scroll bar
        // In the list's coordinates: the row itself moves while dragged.
        onPressed: event => {
            if (event.button === Qt.RightButton) {
                // The menu opens on the press, as desktop context menus do.
                row.clicked();
                row.contextMenuRequested();
                return;
            }
            dragArea.pressY = dragArea.mapToItem(row.parent, event.x, event.y).y;
            dragArea.dragOffset = 0;
            dragArea.dragging = false;
        }
        onPositionChanged: event => {
            const offset = dragArea.mapToItem(row.parent, event.x, event.y).y - dragArea.pressY;
            if (!dragArea.dragging && Math.abs(offset) > 6 && (event.buttons & Qt.LeftButton))
                dragArea.dragging = true;
            if (dragArea.dragging)
                dragArea.dragOffset = offset;
        }
        onReleased: {
            if (!dragArea.dragging)
                return;
            const from = row.index;
            const to = row.dropRow;
            dragArea.dragging = false;
            dragArea.dragOffset = 0;
            if (to !== from && MarketHub.watchlist.moveRow(from, to))
                row.moved(from, to);
        }
        onClicked: event => {
            if (event.button === Qt.LeftButton)
                row.clicked();
        }
    }
}
