import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// One feed's details: state in words, endpoint, uptime, the health counters and the recent
// receive→screen latency, with the actions a user needs when a feed misbehaves.
Popup {
    id: popup

    property string name
    property string url
    property string stateName
    property string stateText
    property string lastError
    property string integrity
    property real connectedSinceMs: 0
    property real messageRate: 0
    property real latencyP50Ms: 0
    property real latencyP99Ms: 0
    property int reconnects: 0
    property int gaps: 0
    property int resyncs: 0
    property int checksumOk: 0
    property int checksumBad: 0
    property int decodeErrors: 0
    /// Wall clock for the uptime (ms since epoch).
    property real now: Date.now()

    signal reconnectRequested
    signal pauseRequested
    signal resumeRequested

    readonly property bool paused: popup.stateName === "Paused"
    readonly property string uptime: {
        if (popup.connectedSinceMs <= 0)
            return qsTr("not connected");
        const s = Math.max(0, Math.floor((popup.now - popup.connectedSinceMs) / 1000));
        const h = Math.floor(s / 3600);
        const m = Math.floor(s / 60) % 60;
        return (h > 0 ? h + " h " : "") + (h > 0 || m > 0 ? m + " min " : "") + (s % 60) + " s";
    }

    modal: true
    focus: true
    padding: 14
    width: 420
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }

    Timer {
        running: popup.visible
        repeat: true
        interval: 1000
        triggeredOnStart: true
        onTriggered: popup.now = Date.now()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Feed %1 details").arg(popup.name)

        Text {
            id: heading
            text: popup.name + " — " + popup.stateText
            color: Theme.text
            font.bold: true
            font.pixelSize: Theme.fontSize + 2
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        Text {
            text: popup.url
            color: Theme.textDim
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFontSize
            Layout.fillWidth: true
            elide: Text.ElideMiddle
        }

        GridLayout {
            id: grid
            columns: 2
            columnSpacing: 18
            rowSpacing: 4
            Layout.fillWidth: true

            // Worked out only while the popup shows: the counters change on every frame of a busy
            // feed, and a closed popup has nothing to show.
            readonly property var rows: !popup.visible ? [] : [
                [qsTr("Uptime"), popup.uptime],
                [qsTr("Books"), popup.integrity.length > 0 ? popup.integrity : "—"],
                [qsTr("Messages/s"), Math.round(popup.messageRate).toString()],
                // No samples yet (never live): no figure rather than a made-up 0.0.
                [qsTr("Latency p50 / p99"), popup.latencyP99Ms > 0 ? popup.latencyP50Ms.toFixed(1) + " / " + popup.latencyP99Ms.toFixed(1) + " ms" : "—"],
                [qsTr("Reconnects"), popup.reconnects.toString()],
                [qsTr("Sequence gaps"), popup.gaps.toString()],
                [qsTr("Book resyncs"), popup.resyncs.toString()],
                [qsTr("Checksums ok / bad"), popup.checksumOk + " / " + popup.checksumBad],
                [qsTr("Decode errors"), popup.decodeErrors.toString()],
                [qsTr("Last event"), popup.lastError.length > 0 ? popup.lastError : "—"]
            ]

            Repeater {
                // label, value, label, value, …: one grid cell each. The model is the number of
                // cells, not their texts: while it stays the same the cells stay and only their
                // texts follow the counters (an array model would rebuild every cell on each change).
                model: grid.rows.length * 2
                delegate: Text {
                    id: cellText
                    required property int index
                    readonly property bool isValue: cellText.index % 2 === 1
                    // The delegate reads the grid it is laid out in (qmllint cannot see that a
                    // Repeater's delegate lives in this file's scope).
                    // qmllint disable unqualified
                    text: cellText.index < grid.rows.length * 2 ? grid.rows[Math.floor(cellText.index / 2)][cellText.index % 2] : ""
                    // The labels in the UI font: an empty family would not mean "the default" but whatever the
                    // font matcher makes of no name (a serif face on fontconfig).
                    font.family: cellText.isValue ? Theme.monoFamily : heading.font.family
                    // qmllint enable unqualified
                    color: cellText.isValue ? Theme.text : Theme.textDim
                    font.pixelSize: Theme.fontSize
                    Layout.fillWidth: cellText.isValue
                    wrapMode: Text.Wrap
                }
            }
        }

        RowLayout {
            spacing: 8
            Layout.alignment: Qt.AlignRight
            Button {
                text: qsTr("Reconnect now")
                onClicked: popup.reconnectRequested()
            }
            Button {
                text: popup.paused ? qsTr("Resume") : qsTr("Pause")
                onClicked: popup.paused ? popup.resumeRequested() : popup.pauseRequested()
            }
            Button {
                text: qsTr("Close")
                onClicked: popup.close()
            }
        }
    }
}
