import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope.Models

// Ctrl+K: type-ahead over every instrument (symbol, base, quote, name; venue and kind shown),
// arrows to move, Enter to add the instrument to the current watchlist and show it in every panel,
// Escape to close. Usable without a mouse. Instruments of enabled venues that are not followed yet
// are listed after the followed ones ("+ follow"): Enter follows them too (their feed restarts with
// the new symbol); their row waits until the feed delivers them.
Popup {
    id: popup

    signal chosen(int instrumentId)

    property var results: []

    width: 460
    height: 360
    modal: true
    focus: true
    padding: 8
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }

    onOpened: {
        field.text = "";
        popup.problem = "";
        popup.results = MarketHub.searchInstruments("", 50);
        resultList.currentIndex = 0;
        field.forceActiveFocus();
    }

    property string problem: ""

    /// Adds the current result to the current watchlist (following it on its venue if needed) and
    /// shows it in every panel, as soon as its feed delivers it.
    function accept() {
        if (resultList.currentIndex < 0 || resultList.currentIndex >= popup.results.length)
            return;
        const result = popup.results[resultList.currentIndex];
        popup.problem = MarketHub.addToWatchlist(result.venue, result.symbol);
        if (popup.problem.length > 0)
            return;
        popup.chosen(result.id);
        popup.close();
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        TextField {
            id: field
            Layout.fillWidth: true
            placeholderText: qsTr("Search symbol, asset or name…")
            color: Theme.text
            placeholderTextColor: Theme.textDim
            font.pixelSize: Theme.fontSize + 1
            Accessible.name: qsTr("Symbol search")
            background: Rectangle {
                color: Theme.panelAlt
                border.color: Theme.border
                radius: 4
            }
            onTextChanged: {
                popup.results = MarketHub.searchInstruments(text, 50);
                resultList.currentIndex = 0;
            }
            Keys.onDownPressed: resultList.incrementCurrentIndex()
            Keys.onUpPressed: resultList.decrementCurrentIndex()
            Keys.onReturnPressed: popup.accept()
            Keys.onEnterPressed: popup.accept()
        }

        ListView {
            id: resultList
            objectName: "resultList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: popup.results
            highlightMoveDuration: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching instruments")

            MouseArea {
                anchors.fill: parent
                onClicked: mouse => {
                    const row = resultList.indexAt(mouse.x + resultList.contentX, mouse.y + resultList.contentY);
                    if (row >= 0) {
                        resultList.currentIndex = row;
                        popup.accept();
                    }
                }
            }

            delegate: Rectangle {
                id: result
                required property var modelData
                width: ListView.view.width
                height: 24
                color: ListView.isCurrentItem ? Theme.selection : "transparent"
                Accessible.role: Accessible.ListItem
                Accessible.name: result.modelData.symbol + " " + result.modelData.name

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    anchors.rightMargin: 6
                    Text {
                        text: result.modelData.symbol
                        color: Theme.text
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize
                        Layout.preferredWidth: 120
                    }
                    Text {
                        text: result.modelData.name
                        color: Theme.textDim
                        font.pixelSize: Theme.smallFontSize
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Text {
                        text: result.modelData.venue + " · " + result.modelData.kind
                        color: Theme.textDim
                        font.pixelSize: Theme.smallFontSize
                    }
                    Text {
                        visible: !result.modelData.followed
                        text: qsTr("+ follow")
                        color: Theme.accent
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
        }

        Text {
            objectName: "searchProblem"
            visible: popup.problem.length > 0
            text: popup.problem
            color: Theme.down
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            font.pixelSize: Theme.smallFontSize
        }
    }
}
