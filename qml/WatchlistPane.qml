import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickscope.Models

// The watchlist: one row per instrument with last, change %, bid, ask, spread and volume. The
// current row (mouse or arrow keys, PgUp/PgDn) selects the instrument the other panels show.
FocusScope {
    id: root

    property alias view: list

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Watchlist") + "  (" + list.count + ")"
            active: root.activeFocus
        }

        Row {
            Layout.fillWidth: true
            Layout.leftMargin: 8
            height: Theme.rowHeight
            Repeater {
                model: [qsTr("Symbol · venue"), qsTr("Last"), qsTr("Chg %"), qsTr("Bid"), qsTr("Ask"), qsTr("Spread"), qsTr("Volume")]
                delegate: Text {
                    required property string modelData
                    required property int index
                    width: Theme.watchlistColumns[index]
                    height: Theme.rowHeight
                    verticalAlignment: Text.AlignVCenter
                    horizontalAlignment: index === 0 ? Text.AlignLeft : Text.AlignHCenter
                    text: modelData
                    color: Theme.textDim
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }

        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            model: MarketHub.watchlist
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Watchlist")

            onCurrentIndexChanged: {
                const id = MarketHub.watchlist.instrumentAt(currentIndex);
                if (id >= 0)
                    MarketHub.selectedInstrument = id;
            }
            Keys.onPressed: event => {
                const page = Math.max(1, Math.floor(list.height / Theme.rowHeight) - 1);
                if (event.key === Qt.Key_PageDown) {
                    list.currentIndex = Math.min(list.count - 1, list.currentIndex + page);
                    event.accepted = true;
                } else if (event.key === Qt.Key_PageUp) {
                    list.currentIndex = Math.max(0, list.currentIndex - page);
                    event.accepted = true;
                }
            }

            delegate: WatchlistRow {
                width: ListView.view.width
                columnWidths: Theme.watchlistColumns
                selected: ListView.isCurrentItem
                onClicked: {
                    ListView.view.currentIndex = index;
                    ListView.view.forceActiveFocus();
                }
            }
        }
    }
}
