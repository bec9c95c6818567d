import QtQuick
import Tickscope

// An exact decimal string in monospaced digits, aligned on its decimal point: the integer part
// ends at `pointX` and the fraction starts there, whatever the instrument's precision. One Text
// item, placed by the font's fixed advance (two items per price cost twice the layout and nodes
// in tables that change every frame).
PriceCell {
    id: root

    property color color: Theme.text
    property real pointX: width * 0.55
    property int pixelSize: Theme.fontSize
    property bool bold: false

    // value, text (with thousands separators when they are on), integerDigits, integerPart() and
    // fractionPart() come from PriceCell (C++: a changing price costs no JavaScript string).
    thousandsSeparators: Theme.thousandsSeparators

    implicitHeight: Theme.rowHeight
    implicitWidth: 120

    Text {
        x: root.pointX - root.integerDigits * Theme.monoAdvance * root.pixelSize / Theme.fontSize
        anchors.verticalCenter: parent.verticalCenter
        text: root.text
        textFormat: Text.PlainText
        color: root.color
        font.family: Theme.monoFamily
        font.pixelSize: root.pixelSize
        font.bold: root.bold
    }
}
