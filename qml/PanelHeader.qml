import QtQuick
import QtQuick.Layouts

// Title strip of a panel, with room for controls on the right.
Rectangle {
    id: root

    required property string title
    property bool active: false
    default property alias controls: row.data

    implicitHeight: 28
    color: Theme.panelAlt
    border.color: root.active ? Theme.accent : "transparent"

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 6
        spacing: 8

        Text {
            text: root.title
            color: Theme.text
            font.pixelSize: Theme.fontSize
            font.bold: true
            Layout.fillWidth: true
            elide: Text.ElideRight
        }
    }
}
