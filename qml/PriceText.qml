import QtQuick

// An exact decimal string in monospaced digits, aligned on its decimal point: the integer part
// ends at `pointX` and the fraction starts there, whatever the instrument's precision. One Text
// item, placed by the font's fixed advance (two items per price cost twice the layout and nodes
// in tables that change every frame).
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
        x: root.pointX - root.integerPart.length * Theme.monoAdvance * root.pixelSize / Theme.fontSize
        anchors.verticalCenter: parent.verticalCenter
        text: root.value
        textFormat: Text.PlainText
        color: root.color
        font.family: Theme.monoFamily
        font.pixelSize: root.pixelSize
        font.bold: root.bold
    }
}
