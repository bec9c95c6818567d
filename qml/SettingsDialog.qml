import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope.Models

// Settings, in three tabs: Feeds (the venues, FeedsPage), Appearance (theme, colour-blind palette,
// UI scale, thousands separators) and Connection (reconnect delays, silence timeout). Every change
// applies at once and is kept in the workspace; there is nothing to confirm. Ctrl+Tab / Ctrl+Shift+Tab
// switch tabs, Tab moves between the controls, Escape closes.
Dialog {
    id: dialog

    /// Tab indices for openTab().
    readonly property int feedsTab: 0
    readonly property int appearanceTab: 1
    readonly property int connectionTab: 2
    property alias currentTab: tabs.currentIndex

    /// Opens the dialog on tab `index`.
    function openTab(index: int) {
        tabs.currentIndex = index;
        open();
    }

    function setScalePercent(percent: real) {
        MarketHub.workspace.uiScale = percent / 100;
        Theme.scale = MarketHub.workspace.uiScale; // the store clamps
    }

    title: qsTr("Settings")
    width: Math.min(780, parent ? parent.width - 40 : 780)
    height: Math.min(640, parent ? parent.height - 40 : 640)
    modal: true
    focus: true
    padding: 12
    standardButtons: Dialog.Close
    // Labels of check boxes and radio buttons, and the button box, drawn for the Theme's panel.
    palette.window: Theme.panel
    palette.windowText: Theme.text
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }
    header: Label {
        text: dialog.title
        color: Theme.text
        font.pixelSize: Theme.fontSize + 4
        font.bold: true
        padding: 12
        bottomPadding: 0
    }

    onOpened: {
        if (tabs.currentIndex === dialog.feedsTab)
            feedsPage.focusList();
        else
            tabs.forceActiveFocus();
    }

    Shortcut {
        sequences: ["Ctrl+Tab"]
        enabled: dialog.opened
        onActivated: tabs.currentIndex = (tabs.currentIndex + 1) % tabs.count
    }
    Shortcut {
        sequences: ["Ctrl+Shift+Tab"]
        enabled: dialog.opened
        onActivated: tabs.currentIndex = (tabs.currentIndex + tabs.count - 1) % tabs.count
    }

    component Caption: Label {
        color: Theme.textDim
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    component FieldLabel: Label {
        color: Theme.text
        font.pixelSize: Theme.fontSize
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Accessible.role: Accessible.Pane
        Accessible.name: qsTr("Settings")

        TabBar {
            id: tabs
            objectName: "settingsTabs"
            Layout.fillWidth: true
            Accessible.name: qsTr("Settings sections")
            // The tab shown in the selection colour, the others dim on the panel colour.
            palette.window: Theme.selection
            palette.windowText: Theme.text
            palette.dark: Theme.panelAlt
            palette.brightText: Theme.textDim
            TabButton {
                objectName: "feedsTabButton"
                text: qsTr("Feeds")
            }
            TabButton {
                objectName: "appearanceTabButton"
                text: qsTr("Appearance")
            }
            TabButton {
                objectName: "connectionTabButton"
                text: qsTr("Connection")
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            FeedsPage {
                id: feedsPage
                objectName: "feedsPage"
            }

            GridLayout {
                objectName: "appearancePage"
                columns: 2
                columnSpacing: 16
                rowSpacing: 10

                FieldLabel {
                    text: qsTr("Theme")
                }
                RowLayout {
                    RadioButton {
                        objectName: "darkRadio"
                        text: qsTr("Dark")
                        checked: MarketHub.workspace.darkTheme
                        Accessible.name: qsTr("Dark theme")
                        onToggled: {
                            MarketHub.workspace.darkTheme = true;
                            Theme.dark = true;
                        }
                    }
                    RadioButton {
                        objectName: "lightRadio"
                        text: qsTr("Light")
                        checked: !MarketHub.workspace.darkTheme
                        Accessible.name: qsTr("Light theme")
                        onToggled: {
                            MarketHub.workspace.darkTheme = false;
                            Theme.dark = false;
                        }
                    }
                }

                FieldLabel {
                    text: qsTr("Colours")
                }
                CheckBox {
                    objectName: "colorBlindCheck"
                    text: qsTr("Colour-blind palette (blue/orange instead of green/red)")
                    checked: MarketHub.workspace.colorBlind
                    Accessible.name: qsTr("Colour-blind palette")
                    onToggled: {
                        MarketHub.workspace.colorBlind = checked;
                        Theme.colorBlind = checked;
                    }
                }

                FieldLabel {
                    text: qsTr("UI scale")
                }
                RowLayout {
                    Slider {
                        id: scaleSlider
                        objectName: "scaleSlider"
                        from: 75
                        to: 200
                        stepSize: 5
                        snapMode: Slider.SnapAlways
                        value: Math.round(MarketHub.workspace.uiScale * 100)
                        Layout.preferredWidth: 220
                        Accessible.name: qsTr("UI scale in percent")
                        onMoved: dialog.setScalePercent(value)
                    }
                    SpinBox {
                        objectName: "scaleSpin"
                        from: 75
                        to: 200
                        stepSize: 5
                        editable: true
                        value: Math.round(MarketHub.workspace.uiScale * 100)
                        textFromValue: (value, locale) => value + " %"
                        valueFromText: (text, locale) => parseInt(text)
                        validator: RegularExpressionValidator {
                            regularExpression: /\s*\d{1,3}\s*%?\s*/
                        }
                        Accessible.name: qsTr("UI scale in percent")
                        onValueModified: dialog.setScalePercent(value)
                    }
                }

                FieldLabel {
                    text: qsTr("Numbers")
                }
                ColumnLayout {
                    CheckBox {
                        objectName: "separatorsCheck"
                        text: qsTr("Thousands separators in prices and sizes")
                        checked: MarketHub.workspace.thousandsSeparators
                        Accessible.name: qsTr("Thousands separators")
                        onToggled: {
                            MarketHub.workspace.thousandsSeparators = checked;
                            Theme.thousandsSeparators = checked;
                        }
                    }
                    Caption {
                        objectName: "separatorsExample"
                        text: qsTr("Example: %1").arg(Theme.number("1234567.89"))
                        font.family: Theme.monoFamily
                    }
                }

                Item {
                    Layout.columnSpan: 2
                    Layout.fillHeight: true
                }
            }

            GridLayout {
                objectName: "connectionPage"
                columns: 3
                columnSpacing: 16
                rowSpacing: 10

                FieldLabel {
                    text: qsTr("First reconnect delay")
                }
                SpinBox {
                    id: baseSpin
                    objectName: "baseSpin"
                    // In hundredths of a second: SpinBox counts in whole numbers.
                    from: Math.round(0.05 * 100)
                    to: 60 * 100
                    stepSize: 5
                    editable: true
                    value: Math.round(MarketHub.workspace.reconnectBaseSeconds * 100)
                    textFromValue: (value, locale) => (value / 100).toFixed(2) + " s"
                    valueFromText: (text, locale) => Math.round(parseFloat(text) * 100)
                    validator: RegularExpressionValidator {
                        regularExpression: /\s*\d{0,2}(\.\d{0,2})?\s*s?\s*/
                    }
                    Accessible.name: qsTr("First reconnect delay in seconds")
                    onValueModified: MarketHub.workspace.reconnectBaseSeconds = value / 100
                }
                Caption {
                    text: qsTr("0.05 – 60 s. A dropped connection is retried after a random delay up to this, doubling each attempt.")
                }

                FieldLabel {
                    text: qsTr("Longest reconnect delay")
                }
                SpinBox {
                    id: capSpin
                    objectName: "capSpin"
                    from: 1
                    to: 3600
                    editable: true
                    value: Math.round(MarketHub.workspace.reconnectCapSeconds)
                    textFromValue: (value, locale) => value + " s"
                    valueFromText: (text, locale) => parseInt(text)
                    validator: RegularExpressionValidator {
                        regularExpression: /\s*\d{1,4}\s*s?\s*/
                    }
                    Accessible.name: qsTr("Longest reconnect delay in seconds")
                    onValueModified: MarketHub.workspace.reconnectCapSeconds = value
                }
                Caption {
                    text: qsTr("1 – 3600 s. The doubling stops here.")
                }

                FieldLabel {
                    text: qsTr("Silence timeout")
                }
                SpinBox {
                    id: silenceSpin
                    objectName: "silenceSpin"
                    from: 1
                    to: 600
                    editable: true
                    value: Math.round(MarketHub.workspace.silenceTimeoutSeconds)
                    textFromValue: (value, locale) => value + " s"
                    valueFromText: (text, locale) => parseInt(text)
                    validator: RegularExpressionValidator {
                        regularExpression: /\s*\d{1,3}\s*s?\s*/
                    }
                    Accessible.name: qsTr("Silence timeout in seconds")
                    onValueModified: MarketHub.workspace.silenceTimeoutSeconds = value
                }
                Caption {
                    text: qsTr("1 – 600 s. A feed without data this long is Stale; twice as long and the connection is replaced. Venues that are quiet by nature keep their own longer timeout.")
                }

                Caption {
                    Layout.columnSpan: 3
                    text: qsTr("Changes apply to the running feeds at once; a paused feed stays paused.")
                }
                Item {
                    Layout.columnSpan: 3
                    Layout.fillHeight: true
                }
            }
        }
    }
}
