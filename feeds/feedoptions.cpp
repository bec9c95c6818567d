#include "feedoptions.h"

#include <QFile>
#include <QUrl>

namespace tickscope::feedoptions {

std::optional<QNetworkProxy> parseProxy(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0 || trimmed.isEmpty())
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    if (trimmed.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::DefaultProxy;
    if (scheme == QLatin1String("http"))
        type = QNetworkProxy::HttpProxy;
    else if (scheme == QLatin1String("socks5"))
        type = QNetworkProxy::Socks5Proxy;
    if (!url.isValid() || type == QNetworkProxy::DefaultProxy || url.host().isEmpty() || url.port() <= 0
        || (!url.path().isEmpty() && url.path() != QLatin1String("/"))) {
        if (error)
            *error = QStringLiteral("proxy '%1' is not 'system', 'none', http://host:port or socks5://host:port")
                         .arg(text);
        return std::nullopt;
    }
    return QNetworkProxy(type, url.host(), static_cast<quint16>(url.port()), url.userName(), url.password());
}

std::optional<QByteArray> parsePin(const QString &text, QString *error)
{
    QString hex = text.trimmed();
    hex.remove(QLatin1Char(':'));
    const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
    bool allHex = !hex.isEmpty();
    for (const QChar c : hex)
        allHex = allHex && c.isLetterOrNumber() && QStringLiteral("0123456789abcdefABCDEF").contains(c);
    if (!allHex || hex.size() != 64 || bytes.size() != 32) {
        if (error)
            *error = QStringLiteral("certificate pin '%1' is not a SHA-256 fingerprint (64 hex digits)").arg(text);
        return std::nullopt;
    }
    return bytes;
}

std::optional<QList<QSslCertificate>> loadCertificates(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read certificate file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty() || certificates.first().isNull()) {
        if (error)
            *error = QStringLiteral("%1 holds no PEM certificate").arg(path);
        return std::nullopt;
    }
    return certificates;
}

} // namespace tickscope::feedoptions
