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

    /// `value` as shown (with thousands separators when the user wants them).
    readonly property string text: Theme.number(root.value)
    /// Characters before the decimal point (all of them when there is none).
    readonly property int integerDigits: {
        const point = root.text.indexOf(".");
        return point < 0 ? root.text.length : point;
    }

    // The split, for tests and tools; not bound, so a changing price costs one binding, not three.
    function integerPart(): string {
        return root.text.substring(0, root.integerDigits);
    }
    function fractionPart(): string {
        return root.text.substring(root.integerDigits);
    }

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
