import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// Asks for a name (a watchlist, a layout): Enter submits, Escape cancels. The receiver of
// `submitted` sets `problem` when it refuses the name, or closes the popup.
Popup {
    id: popup

    property string title: ""
    property string placeholder: ""
    /// Text the field starts with (selected, so typing replaces it).
    property string initialText: ""
    property string problem: ""

    signal submitted(string text)

    width: 320
    modal: true
    focus: true
    padding: 10
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }
    onOpened: {
        field.text = popup.initialText;
        field.selectAll();
        field.forceActiveFocus();
        popup.problem = "";
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6
        Text {
            text: popup.title
            color: Theme.textDim
            font.pixelSize: Theme.smallFontSize
        }
        TextField {
            id: field
            objectName: "nameField"
            Layout.fillWidth: true
            color: Theme.text
            placeholderText: popup.placeholder
            placeholderTextColor: Theme.textDim
            Accessible.name: popup.title
            Keys.onReturnPressed: popup.submitted(field.text)
            Keys.onEnterPressed: popup.submitted(field.text)
        }
        Text {
            objectName: "nameProblem"
            visible: popup.problem.length > 0
            text: popup.problem
            color: Theme.down
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            font.pixelSize: Theme.smallFontSize
        }
    }
}
