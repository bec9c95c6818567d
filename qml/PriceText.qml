import QtQuick
import Tickscope

// An exact decimal string in monospaced digits, aligned on its decimal point: the integer part
// ends at `pointX` and the fraction starts there, whatever the instrument's precision. One NumberText
// (glyph-atlas text: no layout and no new scene-graph nodes when the price changes), placed by the
// font's fixed advance.
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

    NumberText {
        x: root.pointX - root.integerDigits * advance
        height: root.height
        text: root.text
        color: root.color
        fontFamily: Theme.monoFamily
        pixelSize: root.pixelSize
        bold: root.bold
    }
}
