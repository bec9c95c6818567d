import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope.Models

// The venues and their settings, as a page: which venues run (the demo feed on by default,
// exchanges off until enabled), their endpoints (editable for testnets; a bad URL is refused with
// the reason and the working endpoints stay), their instrument lists (fetched, cached or bundled)
// and the symbols each follows. Every change applies at once and is remembered (in the workspace).
// Shown by FeedsSettings and by the Feeds tab of SettingsDialog.
Item {
    id: feedsPage

    implicitWidth: 720
    implicitHeight: 560

    /// Gives the keyboard to the venue list.
    function focusList() {
        venueList.forceActiveFocus();
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Text {
            text: qsTr("Enable a venue to connect to its public market data. Add its instruments with Ctrl+K.")
            color: Theme.textDim
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        ListView {
            id: venueList
            objectName: "venueList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: MarketHub.venues
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Venues")
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: card
                required property int index
                required property string venueId
                required property string name
                required property bool enabled
                required property string wsUrl
                required property string restUrl
                required property var symbols
                required property string catalogText
                required property string error

                property string problem: ""

                objectName: "venue_" + venueId
                width: ListView.view.width - 12
                height: column.implicitHeight + 16
                radius: 4
                color: ListView.isCurrentItem ? Theme.selection : Theme.panelAlt
                border.color: Theme.border
                Accessible.role: Accessible.ListItem
                Accessible.name: card.name + (card.enabled ? qsTr(", enabled") : qsTr(", disabled"))

                function apply() {
                    card.problem = MarketHub.venues.setEndpoints(card.index, wsField.text, restField.text);
                }

                ColumnLayout {
                    id: column
                    anchors.fill: parent
                    anchors.margins: 8
                    spacing: 4

                    RowLayout {
                        Layout.fillWidth: true
                        Switch {
                            objectName: "enabledSwitch"
                            checked: card.enabled
                            // A light handle, so that "off" reads on the dark track too.
                            palette.window: Theme.textDim
                            palette.light: Theme.text
                            Accessible.name: qsTr("Enable %1").arg(card.name)
                            onToggled: MarketHub.venues.setEnabled(card.index, checked)
                        }
                        Text {
                            text: card.name
                            color: Theme.text
                            font.pixelSize: Theme.fontSize + 1
                            font.bold: true
                        }
                        Text {
                            text: card.catalogText
                            color: Theme.textDim
                            font.pixelSize: Theme.smallFontSize
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Button {
                            visible: card.venueId !== "demo"
                            text: qsTr("Refresh list")
                            Accessible.name: qsTr("Refresh the instrument list of %1").arg(card.name)
                            onClicked: MarketHub.venues.refreshInstruments(card.index)
                        }
                    }
                    GridLayout {
                        visible: card.venueId !== "demo"
                        columns: 2
                        columnSpacing: 8
                        rowSpacing: 4
                        Layout.fillWidth: true
                        Text {
                            text: qsTr("WebSocket")
                            color: Theme.textDim
                            font.pixelSize: Theme.smallFontSize
                        }
                        TextField {
                            id: wsField
                            objectName: "wsField"
                            background: Rectangle {
                                color: Theme.panel
                                border.color: wsField.activeFocus ? Theme.accent : Theme.border
                                radius: 3
                            }
                            text: card.wsUrl
                            color: Theme.text
                            selectByMouse: true
                            Layout.fillWidth: true
                            font.family: Theme.monoFamily
                            font.pixelSize: Theme.smallFontSize
                            Accessible.name: qsTr("%1 WebSocket URL").arg(card.name)
                            onAccepted: card.apply()
                        }
                        Text {
                            text: qsTr("REST")
                            color: Theme.textDim
                            font.pixelSize: Theme.smallFontSize
                        }
                        TextField {
                            id: restField
                            objectName: "restField"
                            background: Rectangle {
                                color: Theme.panel
                                border.color: restField.activeFocus ? Theme.accent : Theme.border
                                radius: 3
                            }
                            text: card.restUrl
                            color: Theme.text
                            selectByMouse: true
                            Layout.fillWidth: true
                            font.family: Theme.monoFamily
                            font.pixelSize: Theme.smallFontSize
                            Accessible.name: qsTr("%1 REST URL").arg(card.name)
                            onAccepted: card.apply()
                        }
                    }
                    RowLayout {
                        visible: card.venueId !== "demo"
                        Layout.fillWidth: true
                        Text {
                            text: card.symbols.length > 0 ? qsTr("Following: %1").arg(card.symbols.join(", ")) : qsTr("Following: nothing yet")
                            color: Theme.textDim
                            font.pixelSize: Theme.smallFontSize
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Button {
                            objectName: "applyButton"
                            text: qsTr("Apply endpoints")
                            onClicked: card.apply()
                        }
                        Button {
                            text: qsTr("Defaults")
                            onClicked: {
                                card.problem = "";
                                MarketHub.venues.resetEndpoints(card.index);
                            }
                        }
                    }
                    Text {
                        objectName: "venueProblem"
                        visible: text.length > 0
                        text: card.problem.length > 0 ? card.problem : card.error
                        color: Theme.down
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }
        }
    }
}
