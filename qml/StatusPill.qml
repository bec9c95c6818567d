import QtQuick
import QtQuick.Controls.Basic
import Tickscope

// One feed's health in the status bar: colour + icon + words (never colour alone), message rate
// and receive→screen latency; the tooltip lists the counters and the last error. A reconnect
// counts down ("Reconnecting in 4 s (attempt 3)") and a stale feed counts up ("Stale 7 s"); the
// clock runs only in those two states. Clicking (or Enter) asks for the feed's details.
Rectangle {
    id: root

    signal activated

    required property string name
    /// What the pill says ("Binance Spot"); `name` is the feed's id.
    required property string displayName
    required property string state
    required property string stateText
    required property real messageRate
    required property real latencyP50Ms
    required property real latencyP99Ms
    required property string integrity
    // Required, so that a model delegate gets them from the model's roles (a delegate that
    // re-declared them would hide these and leave the pill showing zeros).
    required property int reconnects
    required property int gaps
    required property int resyncs
    required property int decodeErrors
    required property int checksumOk
    required property int checksumBad
    required property string lastError
    required property int attempt
    required property real retryAtMs
    required property real staleSinceMs
    /// Wall clock for the countdowns (ms since epoch); tests may set it.
    property real now: Date.now()
    readonly property bool counting: root.state === "Reconnecting" || root.state === "Stale"

    /// The state in words, with the live countdown where there is one.
    readonly property string liveStateText: {
        if (root.state === "Reconnecting" && root.retryAtMs > 0) {
            const seconds = Math.ceil((root.retryAtMs - root.now) / 1000);
            return seconds > 0 ? qsTr("Reconnecting in %1 s (attempt %2)").arg(seconds).arg(root.attempt)
                               : qsTr("Reconnecting… (attempt %1)").arg(root.attempt);
        }
        if (root.state === "Stale" && root.staleSinceMs > 0)
            return qsTr("Stale %1 s").arg(Math.max(0, Math.floor((root.now - root.staleSinceMs) / 1000)));
        return root.stateText;
    }

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
    /// Message rate and latency while live ("1991 msg/s  5.2/11.0 ms"), empty otherwise.
    readonly property string figures: root.severity === "live"
        ? Math.round(root.messageRate) + " msg/s  " + root.latencyP50Ms.toFixed(1) + "/" + root.latencyP99Ms.toFixed(1) + " ms"
        : ""
    readonly property string label: root.displayName + "  " + root.liveStateText + (root.figures.length > 0 ? "  " + root.figures : "")

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
            text: root.displayName + "  " + root.liveStateText
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFontSize
            anchors.verticalCenter: parent.verticalCenter
        }
        // The figures change several times a second: a NumberText rewrites its quads in place,
        // where a Text would replace its glyph nodes and make the renderer rebuild the window's
        // render lists each time.
        NumberText {
            objectName: "pillFigures"
            text: root.figures.length > 0 ? "  " + root.figures : ""
            color: Theme.text
            fontFamily: Theme.monoFamily
            pixelSize: Theme.smallFontSize
            anchors.verticalCenter: parent.verticalCenter
        }
    }

    Timer {
        running: root.counting
        repeat: true
        interval: 250
        triggeredOnStart: true
        onTriggered: root.now = Date.now()
    }

    activeFocusOnTab: true
    Keys.onReturnPressed: root.activated()
    Keys.onEnterPressed: root.activated()
    Keys.onSpacePressed: root.activated()
    TapHandler {
        onTapped: root.activated()
    }
    HoverHandler {
        id: hover
        cursorShape: Qt.PointingHandCursor
    }
    ToolTip.visible: hover.hovered
    ToolTip.text: qsTr("%1 — %2 (click for details)\nbooks: %3\nreconnects %4 · gaps %5 · resyncs %6\nchecksums ok %7 / bad %8 · decode errors %9%10")
        .arg(root.displayName).arg(root.liveStateText).arg(root.integrity)
        .arg(root.reconnects).arg(root.gaps).arg(root.resyncs)
        .arg(root.checksumOk).arg(root.checksumBad).arg(root.decodeErrors)
        .arg(root.lastError.length > 0 ? "\n" + qsTr("last: ") + root.lastError : "")
}
