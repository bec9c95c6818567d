import QtQuick

// An exact decimal string in monospaced digits, aligned on its decimal point: the integer part
// ends at `pointX` and the fraction starts there, whatever the instrument's precision.
Item {
    id: root

    required property string value
    property color color: Theme.text
    property real pointX: width * 0.55
    property int pixelSize: Theme.fontSize
    property bool bold: false

    readonly property int pointIndex: root.value.indexOf(".")
    readonly property string integerPart: root.pointIndex < 0 ? root.value : root.value.substring(0, root.pointIndex)
    readonly property string fractionPart: root.pointIndex < 0 ? "" : root.value.substring(root.pointIndex)

    implicitHeight: Theme.rowHeight
    implicitWidth: 120

    Text {
        anchors.right: parent.left
        anchors.rightMargin: -root.pointX
        anchors.verticalCenter: parent.verticalCenter
        text: root.integerPart
        color: root.color
        font.family: Theme.monoFamily
        font.pixelSize: root.pixelSize
        font.bold: root.bold
    }
    Text {
        x: root.pointX
        anchors.verticalCenter: parent.verticalCenter
        text: root.fractionPart
        color: root.color
        font.family: Theme.monoFamily
        font.pixelSize: root.pixelSize
        font.bold: root.bold
    }
}
