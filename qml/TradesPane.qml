import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope
import Tickscope.Models

// The trades tape of the selected instrument: newest on top, aggressor side by colour and arrow.
FocusScope {
    id: root

    property alias view: tape

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Trades") + "  " + MarketHub.selectedSymbol
            active: root.activeFocus

            // While paused: how many trades arrived meanwhile, and the way back to the live tape.
            Chip {
                objectName: "resumeTape"
                visible: MarketHub.trades.paused
                checked: true
                text: MarketHub.trades.missed === 1 ? qsTr("Paused: 1 new trade · Home")
                    : qsTr("Paused: %1 new trades · Home").arg(MarketHub.trades.missed)
                Accessible.name: text
                onClicked: tape.positionViewAtBeginning()
            }
        }

        ListView {
            id: tape
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            model: MarketHub.trades
            keyNavigationEnabled: false // Keys.onPressed below: the keys scroll
            // No current row: a current row would follow its trade down as new ones arrive at the
            // top, and after a reset the view would scroll to where it had got to.
            currentIndex: -1
            reuseItems: true // new trades arrive every frame: recycle rows instead of creating them
            cacheBuffer: 0 // rows kept off screen would move and update every frame too
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Trades")
            // The tape has no current row to move: the keys scroll it, a row or a page at a time.
            function scrollRows(rows: int) {
                const bottom = tape.originY + Math.max(0, tape.contentHeight - tape.height);
                tape.contentY = Math.max(tape.originY, Math.min(bottom, tape.contentY + rows * Theme.rowHeight));
            }
            Keys.onPressed: event => {
                const page = Math.max(1, Math.floor(tape.height / Theme.rowHeight) - 1);
                if (event.key === Qt.Key_Down)
                    tape.scrollRows(1);
                else if (event.key === Qt.Key_Up)
                    tape.scrollRows(-1);
                else if (event.key === Qt.Key_PageDown)
                    tape.scrollRows(page);
                else if (event.key === Qt.Key_PageUp)
                    tape.scrollRows(-page);
                else if (event.key === Qt.Key_Home)
                    tape.positionViewAtBeginning();
                else if (event.key === Qt.Key_End)
                    tape.positionViewAtEnd();
                else
                    return;
                event.accepted = true;
            }

            // Scrolled back to read older trades, or a print's menu open: the rows hold still until
            // the view is back at the top and the menu closed (the print under the pointer stays
            // where it was clicked). Delayed: resuming resets the model, and that runs after the
            // scroll that caused it, not in the middle of the view's own scrolling.
            Binding {
                target: MarketHub.trades
                property: "paused"
                value: !tape.atYBeginning || tradeMenu.opened
                delayed: true
            }

            delegate: TradeRowBase {
                id: trade
                width: ListView.view.width
                height: Theme.rowHeight
                Accessible.role: Accessible.Row
                Accessible.name: trade.accessibleText
                thousandsSeparators: Theme.thousandsSeparators

                // Below this print (older trades) the stream had a gap: a reconnect or a lost message.
                Rectangle {
                    visible: trade.afterGap
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: Theme.warning
                }
                Text {
                    visible: trade.afterGap
                    anchors.right: parent.right
                    anchors.rightMargin: 4
                    anchors.bottom: parent.bottom
                    anchors.bottomMargin: -4
                    text: qsTr("gap")
                    color: Theme.warning
                    font.pixelSize: 9
                }

                NumberText {
                    x: 8
                    width: parent.width * 0.3
                    height: parent.height
                    text: trade.timeText
                    color: Theme.textDim
                    fontFamily: Theme.monoFamily
                    pixelSize: Theme.fontSize
                }
                PriceText {
                    x: parent.width * 0.3
                    width: parent.width * 0.38
                    height: parent.height
                    value: trade.price
                    pointX: width - 66
                    color: trade.isBuy ? Theme.up : Theme.down
                }
                NumberText {
                    x: parent.width * 0.68
                    width: parent.width * 0.3
                    height: parent.height
                    horizontalAlignment: Qt.AlignRight
                    text: trade.sizeText
                    color: trade.isBuy ? Theme.up : Theme.down
                    fontFamily: Theme.monoFamily
                    pixelSize: Theme.fontSize
                }
            }

            EmptyNote {
                objectName: "tradesNote"
                visible: tape.count === 0
                idleText: qsTr("No trades yet")
                anchors.centerIn: parent
                width: parent.width - 24
            }
        }
    }

    // Right-click on a print: copy its price, size or the whole line (time, side, price, size).
    // One area over the tape (left clicks and the wheel pass through).
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.RightButton
        onPressed: mouse => {
            const at = mapToItem(tape, mouse.x, mouse.y);
            const trade = tape.itemAt(at.x + tape.contentX, at.y + tape.contentY) as TradeRowBase;
            if (!trade)
                return;
            tradeMenu.price = trade.price;
            tradeMenu.size = trade.size;
            tradeMenu.line = [trade.timeText, trade.isBuy ? qsTr("buy") : qsTr("sell"), trade.price, trade.size].join("\t");
            tradeMenu.popup();
        }
    }
    Menu {
        id: tradeMenu
        objectName: "tradeMenu"
        property string price
        property string size
        property string line
        MenuRow {
            text: qsTr("Copy price %1").arg(tradeMenu.price)
            onTriggered: Clipboard.setText(tradeMenu.price)
        }
        MenuRow {
            text: qsTr("Copy size %1").arg(tradeMenu.size)
            onTriggered: Clipboard.setText(tradeMenu.size)
        }
        MenuRow {
            text: qsTr("Copy whole trade")
            onTriggered: Clipboard.setText(tradeMenu.line)
        }
    }
}
