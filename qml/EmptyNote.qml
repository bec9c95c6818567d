import QtQuick
import Tickscope
import Tickscope.Models

// What a panel with no rows says instead of staying blank: why there is no data (the feed's state,
// MarketHub.dataNote, e.g. "Waiting for demo — Reconnecting (attempt 3): Connection refused") or,
// while the feed is live, that this panel has nothing yet (`idleText`, e.g. "No trades yet").
Text {
    id: root

    required property string idleText

    text: MarketHub.dataNote.length > 0 ? MarketHub.dataNote : root.idleText
    color: Theme.textDim
    font.pixelSize: Theme.fontSize
    wrapMode: Text.Wrap
    horizontalAlignment: Text.AlignHCenter
    Accessible.role: Accessible.StaticText
    Accessible.name: root.text
}
