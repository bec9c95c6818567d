import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// The feeds settings on their own, as a popup (FeedsPage with a title and Close); the app shows the
// same page in the Feeds tab of SettingsDialog.
Popup {
    id: page

    width: Math.min(760, parent ? parent.width - 40 : 760)
    height: Math.min(620, parent ? parent.height - 40 : 620)
    modal: true
    focus: true
    padding: 12
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }

    onOpened: feedsPage.focusList()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            Text {
                text: qsTr("Feeds")
                color: Theme.text
                font.pixelSize: Theme.fontSize + 4
                font.bold: true
                Layout.fillWidth: true
            }
            Button {
                text: qsTr("Close")
                onClicked: page.close()
            }
        }
        FeedsPage {
            id: feedsPage
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }
}
