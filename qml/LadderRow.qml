import QtQuick
import Tickscope

// One level of the order-book ladder: price, size and cumulative size, with a depth bar whose
// length is the level's share of the shown cumulative size. The best level is highlighted.
LadderRowBase {
    id: row

    required property real depthRatio
    required property bool isBest
    required property bool empty
    property bool ask: false

    height: Theme.rowHeight
    thousandsSeparators: Theme.thousandsSeparators
    Accessible.role: Accessible.Row
    Accessible.name: row.accessibleText

    Rectangle {
        anchors.right: parent.right
        height: parent.height - 2
        anchors.verticalCenter: parent.verticalCenter
        width: row.empty ? 0 : parent.width * row.depthRatio
        color: row.ask ? Theme.downBar : Theme.upBar
    }
    Rectangle {
        anchors.fill: parent
        visible: row.isBest
        color: "transparent"
        border.color: row.ask ? Theme.down : Theme.up
        border.width: 1
    }
    PriceText {
        x: 0
        width: parent.width * 0.36
        height: parent.height
        value: row.price
        pointX: width - 66
        color: row.ask ? Theme.down : Theme.up
        bold: row.isBest
    }
    NumberText {
        x: parent.width * 0.36
        width: parent.width * 0.3
        height: parent.height
        horizontalAlignment: Qt.AlignRight
        text: row.sizeText
        color: Theme.text
        fontFamily: Theme.monoFamily
        pixelSize: Theme.fontSize
    }
    NumberText {
        x: parent.width * 0.66
        width: parent.width * 0.32
        height: parent.height
        horizontalAlignment: Qt.AlignRight
        text: row.cumulativeSizeText
        color: Theme.textDim
        fontFamily: Theme.monoFamily
        pixelSize: Theme.fontSize
    }
}
