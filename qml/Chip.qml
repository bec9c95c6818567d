import QtQuick

// A small toggle button that reads well in both themes (interval pickers, "Live").
Rectangle {
    id: chip

    property string text
    property bool checked: false
    signal clicked

    implicitWidth: label.implicitWidth + 14
    implicitHeight: 20
    radius: 4
    color: chip.checked ? Theme.selection : "transparent"
    border.color: chip.checked ? Theme.accent : Theme.border
    Accessible.role: Accessible.Button
    Accessible.checkable: true
    Accessible.checked: chip.checked
    Accessible.onPressAction: chip.clicked()

    Text {
        id: label
        anchors.centerIn: parent
        text: chip.text
        color: chip.checked ? Theme.text : Theme.textDim
        font.pixelSize: Theme.smallFontSize
    }
    TapHandler {
        onTapped: chip.clicked()
    }
}
