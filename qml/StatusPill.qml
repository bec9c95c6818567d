import QtQuick
import QtQuick.Controls

// One feed's health in the status bar: colour + icon + words (never colour alone), message rate
// and receive→screen latency; the tooltip lists the counters and the last error.
Rectangle {
    id: root

    required property string name
    required property string state
    required property string stateText
    required property real messageRate
    required property real latencyP50Ms
    required property real latencyP99Ms
    required property string integrity
    property int reconnects: 0
    property int gaps: 0
    property int resyncs: 0
    property int decodeErrors: 0
    property int checksumOk: 0
    property int checksumBad: 0
    property string lastError: ""

    /// "live", "warning", "error" or "idle": what the colour and icon say.
    readonly property string severity: root.state === "Live" ? "live"
        : root.state === "Failed" ? "error"
        : root.state === "Paused" || root.state === "Idle" ? "idle"
        : "warning"
    readonly property color tone: root.severity === "live" ? Theme.live
        : root.severity === "error" ? Theme.error
        : root.severity === "idle" ? Theme.idle : Theme.warning
    readonly property string icon: root.severity === "live" ? "\u25CF"
        : root.severity === "error" ? "\u2716"
        : root.severity === "idle" ? "\u275A\u275A" : "\u25B2"
    readonly property string label: root.name + "  " + root.stateText
        + (root.severity === "live" ? "  " + Math.round(root.messageRate) + " msg/s  "
           + root.latencyP50Ms.toFixed(1) + "/" + root.latencyP99Ms.toFixed(1) + " ms" : "")

    implicitWidth: content.implicitWidth + 20
    implicitHeight: 22
    radius: 11
    color: Qt.rgba(root.tone.r, root.tone.g, root.tone.b, 0.16)
    border.color: root.tone

    Accessible.role: Accessible.StaticText
    Accessible.name: root.label

    Row {
        id: content
        anchors.centerIn: parent
        spacing: 6
        Text {
            text: root.icon
            color: root.tone
            font.pixelSize: Theme.smallFontSize
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            text: root.label
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFontSize
            anchors.verticalCenter: parent.verticalCenter
        }
    }

    HoverHandler {
        id: hover
    }
    ToolTip.visible: hover.hovered
    ToolTip.text: qsTr("%1 — %2\nbooks: %3\nreconnects %4 · gaps %5 · resyncs %6\nchecksums ok %7 / bad %8 · decode errors %9%10")
        .arg(root.name).arg(root.stateText).arg(root.integrity)
        .arg(root.reconnects).arg(root.gaps).arg(root.resyncs)
        .arg(root.checksumOk).arg(root.checksumBad).arg(root.decodeErrors)
        .arg(root.lastError.length > 0 ? "\n" + qsTr("last: ") + root.lastError : "")
}
