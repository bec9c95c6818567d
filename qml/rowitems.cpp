#include "rowitems.h"

#include <QTimerEvent>

namespace tickscope {

QString NumberFormat::number(const QString &text, bool thousandsSeparators)
{
    if (!thousandsSeparators)
        return text;
    // Optional sign, then the run of integer digits; everything after stays as it is.
    const qsizetype start = (!text.isEmpty() && (text.front() == u'-' || text.front() == u'+')) ? 1 : 0;
    qsizetype end = start;
    while (end < text.size() && text.at(end).isDigit() && text.at(end).unicode() < 128)
        ++end;
    const qsizetype digits = end - start;
    if (digits <= 3)
        return text;
    QString grouped;
    grouped.reserve(text.size() + digits / 3);
    grouped.append(QStringView(text).left(start));
    const qsizetype head = digits % 3 == 0 ? 3 : digits % 3;
    grouped.append(QStringView(text).mid(start, head));
    for (qsizetype i = start + head; i < end; i += 3) {
        grouped.append(u',');
        grouped.append(QStringView(text).mid(i, 3));
    }
    grouped.append(QStringView(text).mid(end));
    return grouped;
}

int NumberFormat::integerDigits(const QString &text)
{
    const qsizetype point = text.indexOf(u'.');
    return static_cast<int>(point < 0 ? text.size() : point);
}

void PriceCell::setValue(const QString &value)
{
    if (value == m_value)
        return;
    m_value = value;
    Q_EMIT valueChanged();
    refresh();
}

void PriceCell::setThousandsSeparators(bool on)
{
    if (on == m_separators)
        return;
    m_separators = on;
    refresh();
}

void PriceCell::refresh()
{
    QString text = NumberFormat::number(m_value, m_separators);
    const int digits = NumberFormat::integerDigits(text);
    if (text == m_text && digits == m_integerDigits)
        return;
    m_text = std::move(text);
    m_integerDigits = digits;
    Q_EMIT textChanged();
}

namespace {

/// Sets a member and emits its own and the derived texts' change signals.
template<typename Row, typename Value>
void setAndNotify(Row *row, Value &member, const Value &value, void (Row::*changed)())
{
    if (member == value)
        return;
    member = value;
    Q_EMIT(row->*changed)();
    Q_EMIT row->textsChanged();
}

} // namespace

void RowBase::setThousandsSeparators(bool on)
{
    if (on == m_separators)
        return;
    m_separators = on;
    Q_EMIT textsChanged();
}

void WatchlistRowBase::setLast(const QString &last)
{
    if (last == m_last)
        return;
    m_last = last;
    const bool wasFlashing = m_flashTimer.isActive();
    m_flashTimer.start(kFlashMs, this);
    Q_EMIT lastChanged();
    if (!wasFlashing)
        Q_EMIT flashingChanged();
}

void WatchlistRowBase::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_flashTimer.timerId()) {
        RowBase::timerEvent(event);
        return;
    }
    m_flashTimer.stop();
    Q_EMIT flashingChanged();
}

void WatchlistRowBase::setVolume(const QString &volume)
{
    setAndNotify(this, m_volume, volume, &WatchlistRowBase::volumeChanged);
}

void LadderRowBase::setPrice(const QString &price)
{
    setAndNotify(this, m_price, price, &LadderRowBase::priceChanged);
}

QString LadderRowBase::accessibleText() const
{
    if (m_price.isEmpty())
        return {};
    return tr("%1, size %2, total %3").arg(m_price, m_size, m_cumulativeSize);
}

void LadderRowBase::setSize(const QString &size)
{
    setAndNotify(this, m_size, size, &LadderRowBase::sizeChanged);
}

void LadderRowBase::setCumulativeSize(const QString &size)
{
    setAndNotify(this, m_cumulativeSize, size, &LadderRowBase::cumulativeSizeChanged);
}

void TradeRowBase::setPrice(const QString &price)
{
    setAndNotify(this, m_price, price, &TradeRowBase::priceChanged);
}

void TradeRowBase::setSize(const QString &size)
{
    setAndNotify(this, m_size, size, &TradeRowBase::sizeChanged);
}

void TradeRowBase::setIsBuy(bool isBuy)
{
    setAndNotify(this, m_isBuy, isBuy, &TradeRowBase::isBuyChanged);
}

void TradeRowBase::setAfterGap(bool afterGap)
{
    setAndNotify(this, m_afterGap, afterGap, &TradeRowBase::afterGapChanged);
}

QString TradeRowBase::sizeText() const
{
    return (m_isBuy ? QStringLiteral("\u25B2 ") : QStringLiteral("\u25BC ")) + shown(m_size);
}

QString TradeRowBase::accessibleText() const
{
    QString text = (m_isBuy ? tr("buy") : tr("sell")) + u' ' + m_size + QStringLiteral(" @ ") + m_price;
    if (m_afterGap)
        text += u' ' + tr("(trades may be missing before this one)");
    return text;
}

} // namespace tickscope
