#include "venuetest.h"

#include <QFile>
#include <QJsonDocument>
#include <QWebSocket>
#include <QtTest>

#include <algorithm>

namespace tickscope::test {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/exchanges/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

QList<QByteArray> fixtureLines(const char *name)
{
    QList<QByteArray> out;
    for (const QByteArray &line : fixture(name).split('\n')) {
        if (!line.trimmed().isEmpty())
            out.append(line.trimmed());
    }
    return out;
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

FeedConfig feedConfig(const QString &name)
{
    FeedConfig config;
    config.name = name;
    config.minPublishInterval = std::chrono::milliseconds(1);
    return config;
}

LoopbackServer::LoopbackServer(const QString &name, QString path)
    : server(name, QWebSocketServer::NonSecureMode)
    , m_path(std::move(path))
{
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [this] {
        client = server.nextPendingConnection();
        client->setParent(this);
        connect(client, &QWebSocket::textMessageReceived, this,
                [this](const QString &text) { requests.append(objectOf(text.toUtf8())); });
    });
}

QUrl LoopbackServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.serverPort()) + m_path);
}

void LoopbackServer::send(const QByteArray &frame)
{
    client->sendTextMessage(QString::fromUtf8(frame));
}

QList<QJsonObject> LoopbackServer::requestsWith(std::initializer_list<std::pair<const char *, QString>> fields) const
{
    const auto stringAt = [](QJsonObject object, const char *path) {
        const QList<QByteArray> keys = QByteArray(path).split('/');
        for (qsizetype i = 0; i + 1 < keys.size(); ++i)
            object = object.value(QLatin1String(keys[i])).toObject();
        return object.value(QLatin1String(keys.last())).toString();
    };
    QList<QJsonObject> out;
    for (const QJsonObject &request : requests) {
        if (std::all_of(fields.begin(), fields.end(),
                        [&](const auto &field) { return stringAt(request, field.first) == field.second; }))
            out.append(request);
    }
    return out;
}

void RecordingSink::onInstruments(const std::vector<Instrument> &list)
{
    instruments = list;
}

void RecordingSink::onSnapshot(const BookSnapshot &snapshot)
{
    snapshots.push_back(snapshot);
}

void RecordingSink::onDelta(const BookDelta &delta)
{
    deltas.push_back(delta);
}

void RecordingSink::onTrade(const Trade &trade)
{
    trades.push_back(trade);
}

void RecordingSink::onTicker(const Ticker &ticker)
{
    tickers.push_back(ticker);
}

void RecordingSink::onStatus(const VenueStatus &status)
{
    statuses.push_back(status);
}

std::size_t RecordingSink::events() const
{
    return snapshots.size() + deltas.size() + trades.size() + tickers.size();
}

} // namespace tickscope::test
