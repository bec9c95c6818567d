import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Tickscope.Models

// About Tickscope (F1): the version — the same text `tickscope --version` prints, from the CMake
// project version — and the versions of Qt and of the libraries the app was built with, for bug
// reports. Escape or Close dismisses it.
Popup {
    id: dialog

    modal: true
    focus: true
    padding: 16
    width: 380
    background: Rectangle {
        color: Theme.panel
        border.color: Theme.accent
        radius: 6
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("About %1").arg(AppInfo.name)

        Text {
            objectName: "aboutTitle"
            text: AppInfo.name + " " + AppInfo.version
            color: Theme.text
            font.bold: true
            font.pixelSize: Theme.fontSize + 6
            Layout.fillWidth: true
        }
        Text {
            text: qsTr("Live market data dashboard")
            color: Theme.textDim
            font.pixelSize: Theme.fontSize
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        GridLayout {
            objectName: "aboutVersions"
            columns: 2
            columnSpacing: 12
            rowSpacing: 4
            Layout.fillWidth: true
            Layout.topMargin: 6

            Text {
                text: qsTr("Qt")
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize
            }
            Text {
                objectName: "aboutQt"
                // The run-time Qt, and the one it was compiled against when they differ.
                text: AppInfo.qtVersion === AppInfo.qtBuildVersion ? AppInfo.qtVersion : qsTr("%1 (built with %2)").arg(AppInfo.qtVersion).arg(AppInfo.qtBuildVersion)
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFontSize
            }
            Text {
                text: qsTr("protobuf")
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize
            }
            Text {
                objectName: "aboutProtobuf"
                text: AppInfo.protobufVersion
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFontSize
            }
            Text {
                text: qsTr("simdjson")
                color: Theme.textDim
                font.pixelSize: Theme.smallFontSize
            }
            Text {
                objectName: "aboutSimdjson"
                text: AppInfo.simdjsonVersion
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFontSize
            }
        }
        Text {
            text: AppInfo.homepage
            color: Theme.accent
            font.pixelSize: Theme.smallFontSize
            Layout.topMargin: 6
        }
        Button {
            objectName: "aboutClose"
            text: qsTr("Close")
            Layout.alignment: Qt.AlignRight
            onClicked: dialog.close()
        }
    }
}
