import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickscope.Models

ApplicationWindow {
    id: root
    width: 1280
    height: 800
    visible: true
    title: qsTr("Tickscope")
    color: "#101418"

    RowLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8

        ListView {
            id: watchlist
            Layout.fillHeight: true
            Layout.preferredWidth: 520
            clip: true
            model: MarketHub.watchlist
            Accessible.name: qsTr("Watchlist")
            delegate: Row {
                required property string symbol
                required property string last
                required property string bid
                required property string ask
                required property string changePercent
                required property int index
                spacing: 12
                Text { width: 120; text: parent.symbol; color: "#e0e6ea"; font.family: "monospace" }
                Text { width: 120; text: parent.last; color: "#e0e6ea"; font.family: "monospace"; horizontalAlignment: Text.AlignRight }
                Text { width: 120; text: parent.bid; color: "#4fc1ff"; font.family: "monospace"; horizontalAlignment: Text.AlignRight }
                Text { width: 120; text: parent.ask; color: "#ffb454"; font.family: "monospace"; horizontalAlignment: Text.AlignRight }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Text { text: MarketHub.selectedSymbol; color: "#e0e6ea"; font.pixelSize: 18 }
            ListView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: MarketHub.asks
                verticalLayoutDirection: ListView.BottomToTop
                delegate: Text {
                    required property string price
                    required property string size
                    text: price + "  " + size
                    color: "#ff6b6b"
                    font.family: "monospace"
                }
            }
            ListView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: MarketHub.bids
                delegate: Text {
                    required property string price
                    required property string size
                    text: price + "  " + size
                    color: "#3ecf8e"
                    font.family: "monospace"
                }
            }
        }
    }
}
