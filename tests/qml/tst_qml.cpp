// Runs the tst_*.qml QtQuickTest files of this folder against the app's own QML modules
// (Tickscope, Tickscope.Models), linked in statically like in the app.
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(TickscopePlugin)
Q_IMPORT_QML_PLUGIN(Tickscope_ModelsPlugin)

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // The statically linked modules keep their qmldir under qrc:/<URI>/ (Qt 6.4's default prefix).
        engine->addImportPath(QStringLiteral("qrc:/"));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tickscope_qml, Setup)
#include "tst_qml.moc"
