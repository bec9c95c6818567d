import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Templates as T
import QtQuick.Layouts
import Qt.labs.settings
import Tickscope.Models

// The main window: watchlist | chart over trades | order book, status bar below. Pane sizes and
// the window geometry are remembered between runs.
ApplicationWindow {
    id: window

    width: 1500
    height: 860
    minimumWidth: 1000 // the three columns of panes at their minimum widths
    minimumHeight: 560
    visible: true
    title: qsTr("Tickscope") + (MarketHub.selectedSymbol.length > 0 ? " — " + MarketHub.selectedSymbol : "")
    // Panels draw on the window's own colour rather than on full-size background rectangles: on
    // software OpenGL every covered pixel costs, every frame.
    color: Theme.panel
    // The controls of dialogs, menus and tooltips (Qt Quick Controls' Basic style) take their colours
    // from the palette: the theme's, so that they follow dark/light instead of the platform's light
    // default. Items and popups inherit it from the window.
    palette.window: Theme.panel
    palette.windowText: Theme.text
    palette.base: Theme.window
    palette.alternateBase: Theme.panelAlt
    palette.text: Theme.text
    palette.placeholderText: Theme.textDim
    palette.button: Theme.control
    palette.buttonText: Theme.text
    palette.brightText: Theme.onAccent
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.onAccent
    palette.light: Theme.panelAlt
    palette.midlight: Theme.border
    palette.mid: Theme.controlBorder
    palette.dark: Theme.accent // checked buttons, a switch that is on, slider fill
    palette.shadow: "#000000"
    palette.toolTipBase: Theme.panelAlt
    palette.toolTipText: Theme.text
    palette.link: Theme.accent

    Settings {
        id: settings
        category: "window"
        property alias x: window.x
        property alias y: window.y
        property alias width: window.width
        property alias height: window.height
    }

    Component.onCompleted: {
        Theme.dark = MarketHub.workspace.darkTheme;
        Theme.colorBlind = MarketHub.workspace.colorBlind;
        Theme.scale = MarketHub.workspace.uiScale;
        Theme.thousandsSeparators = MarketHub.workspace.thousandsSeparators;
        if (MarketHub.workspace.splitState)
            split.restoreState(MarketHub.workspace.splitState);
        if (MarketHub.workspace.centerState)
            center.restoreState(MarketHub.workspace.centerState);
        window.fitPanes();
        watchlist.view.forceActiveFocus();
    }
    onClosing: window.rememberPanes()

    /// Writes the split views' current sizes into the workspace.
    function rememberPanes() {
        MarketHub.workspace.splitState = split.saveState();
        MarketHub.workspace.centerState = center.saveState();
    }
    function paneShown(pane: string): bool {
        return MarketHub.workspace.paneShown[pane] !== false;
    }
    Connections {
        target: MarketHub.workspace
        function onLayoutApplied() {
            if (MarketHub.workspace.splitState)
                split.restoreState(MarketHub.workspace.splitState);
            if (MarketHub.workspace.centerState)
                center.restoreState(MarketHub.workspace.centerState);
            window.fitPanes();
        }
    }

    /// SplitView gives the side panes their preferred widths and the chart/trades column what is
    /// left, even when that is less than its minimum (or nothing, with the book pushed out of the
    /// window). When the window is too narrow for the preferred widths, the watchlist gives up width
    /// first, then the book, down to their minimums.
    function fitPanes() {
        const handle = 6; // the Basic style's split handle
        const shownWatchlist = watchlist.visible;
        const shownBook = book.visible;
        const panes = (shownWatchlist ? 1 : 0) + (center.visible ? 1 : 0) + (shownBook ? 1 : 0);
        let excess = (shownWatchlist ? watchlist.SplitView.preferredWidth : 0)
            + (center.visible ? center.SplitView.minimumWidth : 0)
            + (shownBook ? book.SplitView.preferredWidth : 0) + Math.max(0, panes - 1) * handle - split.width;
        if (excess > 0 && shownWatchlist) {
            const give = Math.min(excess, watchlist.SplitView.preferredWidth - watchlist.SplitView.minimumWidth);
            if (give > 0) {
                watchlist.SplitView.preferredWidth -= give;
                excess -= give;
            }
        }
        if (excess > 0 && shownBook) {
            const give = Math.min(excess, book.SplitView.preferredWidth - book.SplitView.minimumWidth);
            if (give > 0)
                book.SplitView.preferredWidth -= give;
        }
    }
    onWidthChanged: window.fitPanes()

    Shortcut {
        sequence: "Ctrl+Q"
        onActivated: Qt.quit()
    }
    Shortcut {
        sequence: "Ctrl+K"
        onActivated: search.open()
    }
    SymbolSearch {
        id: search
        x: (window.width - width) / 2
        y: 60
        onClosed: watchlist.view.forceActiveFocus()
    }
    NamePopup {
        id: saveLayoutPopup
        objectName: "saveLayoutPopup"
        parent: T.Overlay.overlay
        x: Math.round((parent.width - width) / 2)
        y: Math.round((parent.height - height) / 2)
        title: qsTr("Save the current layout as")
        placeholder: qsTr("e.g. Scalping")
        onSubmitted: text => {
            window.rememberPanes();
            problem = MarketHub.workspace.saveLayout(text);
            if (problem.length === 0)
                close();
        }
    }
    Shortcut {
        sequence: "Ctrl+Z"
        onActivated: MarketHub.lists.undo()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }
    SettingsDialog {
        id: settingsDialog
        objectName: "settingsDialog"
        parent: T.Overlay.overlay
        x: Math.round((parent.width - width) / 2)
        y: Math.round((parent.height - height) / 2)
    }
    Shortcut {
        sequence: "F1"
        onActivated: about.open()
    }
    AboutDialog {
        id: about
        objectName: "aboutDialog"
        parent: T.Overlay.overlay
        x: Math.round((parent.width - width) / 2)
        y: Math.round((parent.height - height) / 2)
    }
    Shortcut {
        sequence: "Ctrl+1"
        onActivated: watchlist.view.forceActiveFocus()
    }
    Shortcut {
        sequence: "Ctrl+2"
        onActivated: book.forceActiveFocus()
    }
    Shortcut {
        sequence: "Ctrl+3"
        onActivated: chart.forceActiveFocus()
    }
    Shortcut {
        sequence: "Ctrl+4"
        onActivated: trades.view.forceActiveFocus()
    }
    Shortcut {
        sequence: "Ctrl+T"
        onActivated: {
            Theme.dark = !Theme.dark;
            MarketHub.workspace.darkTheme = Theme.dark;
        }
    }
    Shortcut {
        sequence: "Ctrl+B"
        onActivated: {
            Theme.colorBlind = !Theme.colorBlind;
            MarketHub.workspace.colorBlind = Theme.colorBlind;
        }
    }

    // A workspace file that could not be used: said once, plainly, until dismissed.
    header: Rectangle {
        objectName: "workspaceBanner"
        visible: MarketHub.workspace.loadMessage.length > 0
        height: visible ? bannerRow.implicitHeight + 12 : 0
        color: Theme.panelAlt
        border.color: Theme.warning
        Accessible.role: Accessible.AlertMessage
        Accessible.name: MarketHub.workspace.loadMessage

        RowLayout {
            id: bannerRow
            anchors.fill: parent
            anchors.margins: 6
            spacing: 8
            Label {
                text: "\u26a0"
                color: Theme.warning
            }
            Label {
                Layout.fillWidth: true
                text: MarketHub.workspace.loadMessage
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Button {
                text: qsTr("Dismiss")
                onClicked: MarketHub.workspace.dismissLoadMessage()
            }
        }
    }

    SplitView {
        id: split
        anchors.fill: parent
        orientation: Qt.Horizontal
        // Saved when the user lets go of a handle (the workspace debounces the write).
        onResizingChanged: if (!resizing)
            MarketHub.workspace.splitState = saveState()

        WatchlistPane {
            id: watchlist
            objectName: "watchlistPane"
            visible: window.paneShown("watchlist")
            SplitView.preferredWidth: 800
            SplitView.minimumWidth: 300
        }

        SplitView {
            id: center
            orientation: Qt.Vertical
            visible: window.paneShown("chart") || window.paneShown("trades")
            onResizingChanged: if (!resizing)
                MarketHub.workspace.centerState = saveState()
            SplitView.fillWidth: true
            // The trades tape's time, price and size columns side by side without overlapping.
            SplitView.minimumWidth: 340

            ChartPane {
                id: chart
                visible: window.paneShown("chart")
                SplitView.fillHeight: true
                SplitView.minimumHeight: 160
            }
            TradesPane {
                id: trades
                objectName: "tradesPane"
                visible: window.paneShown("trades")
                SplitView.preferredHeight: 300
                SplitView.minimumHeight: 100
            }
        }

        OrderBookPane {
            id: book
            objectName: "bookPane"
            visible: window.paneShown("book")
            SplitView.preferredWidth: 330
            // A six-digit price with eight decimals still fits its column (the ladder's columns are
            // shares of the width).
            SplitView.minimumWidth: 330
        }
    }

    footer: Rectangle {
        implicitHeight: 30
        color: Theme.panelAlt

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 8

            Repeater {
                model: MarketHub.feeds
                delegate: StatusPill {
                    id: pill
                    required property int feedIndex
                    required property string url
                    required property real connectedSinceMs
                    objectName: "statusPill"

                    onActivated: details.open()

                    FeedDetails {
                        id: details
                        objectName: "feedDetails"
                        parent: T.Overlay.overlay
                        x: Math.round((parent.width - width) / 2)
                        y: Math.round((parent.height - height) / 2)
                        name: pill.displayName
                        url: pill.url
                        stateName: pill.state
                        stateText: pill.liveStateText
                        lastError: pill.lastError
                        integrity: pill.integrity
                        connectedSinceMs: pill.connectedSinceMs
                        messageRate: pill.messageRate
                        latencyP50Ms: pill.latencyP50Ms
                        latencyP99Ms: pill.latencyP99Ms
                        reconnects: pill.reconnects
                        gaps: pill.gaps
                        resyncs: pill.resyncs
                        checksumOk: pill.checksumOk
                        checksumBad: pill.checksumBad
                        decodeErrors: pill.decodeErrors
                        onReconnectRequested: MarketHub.reconnectFeed(pill.feedIndex)
                        onPauseRequested: MarketHub.pauseFeed(pill.feedIndex)
                        onResumeRequested: MarketHub.resumeFeed(pill.feedIndex)
                    }
                }
            }
            Button {
                id: settingsButton
                objectName: "settingsButton"
                text: qsTr("Settings…")
                font.pixelSize: Theme.smallFontSize
                padding: 4
                leftPadding: 8
                rightPadding: 8
                Accessible.name: qsTr("Settings: feeds, appearance, connection")
                onClicked: settingsDialog.open()
                contentItem: Text {
                    text: settingsButton.text
                    font: settingsButton.font
                    color: Theme.text
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    radius: 4
                    color: settingsButton.hovered ? Theme.selection : "transparent"
                    border.color: Theme.border
                }
            }
            Button {
                id: layoutButton
                objectName: "layoutButton"
                text: qsTr("Layout ▾")
                font.pixelSize: Theme.smallFontSize
                padding: 4
                leftPadding: 8
                rightPadding: 8
                Accessible.name: qsTr("Panes and named layouts")
                onClicked: layoutMenu.popup(layoutButton, 0, -layoutMenu.implicitHeight)
                contentItem: Text {
                    text: layoutButton.text
                    font: layoutButton.font
                    color: Theme.text
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    radius: 4
                    color: layoutButton.hovered ? Theme.selection : "transparent"
                    border.color: Theme.border
                }
                LayoutMenu {
                    id: layoutMenu
                    objectName: "layoutMenu"
                    onSaveAsRequested: saveLayoutPopup.open()
                }
            }
            Text {
                // Right-aligned in what the pills leave; in a narrow window its end is elided.
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                elide: Text.ElideRight
                text: qsTr("F1 about · Ctrl+K search · Ctrl+, settings · Ctrl+Z undo · Ctrl+1…4 panels · Ctrl+T theme · Ctrl+B colour-blind palette · Ctrl+Q quit")
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize
            }
        }
    }
}
