import QtQuick
import QtQuick.Layouts
import Tickscope.Models

// Price chart panel of the selected instrument. The candlestick chart itself is not built yet:
// this panel says so instead of showing an empty plot.
FocusScope {
    id: root

    Rectangle {
        anchors.fill: parent
        color: Theme.panel
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Chart") + "  " + MarketHub.selectedSymbol + "  " + MarketHub.selectedName
            active: root.activeFocus
        }
        Text {
            Layout.fillWidth: true
            Layout.fillHeight: true
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            text: qsTr("Candlestick chart: coming next — %1 candles recorded").arg(MarketHub.candles.count)
            color: Theme.textDim
            font.pixelSize: Theme.fontSize
        }
    }
}
