"""Template helpers for deal pages: parties in a role, compact money, qualifiers."""

from decimal import Decimal

from django import template

from ..models import QUALIFIERS

register = template.Library()
QUALIFIER_WORDS = {value: label for value, label in QUALIFIERS if value != "exact"}
SCALES = (
    (Decimal(10) ** 12, "tn"),
    (Decimal(10) ** 9, "bn"),
    (Decimal(10) ** 6, "m"),
    (Decimal(10) ** 3, "k"),
)


@register.filter
def in_role(deal, role: str) -> list:
    """The parties of a deal in one role, from its prefetched roles."""
    return [link.party for link in deal.roles.all() if link.role == role]


@register.filter
def compact_money(value, currency: str = "USD") -> str:
    """1234567890 -> 'USD 1.23 bn'; empty for no value."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    for scale, suffix in SCALES:
        if abs(amount) >= scale:
            return f"{currency} {amount / scale:,.2f} {suffix}"
    return f"{currency} {amount:,.0f}"


@register.filter
def qualified(number, qualifier: str) -> str:
    """A quantity with its qualifier: 'up to 1,000'."""
    if number is None:
        return ""
    word = QUALIFIER_WORDS.get(qualifier or "exact", "")
    return f"{word} {number:,}".strip()


@register.filter
def percent(value) -> str:
    if value is None:
        return ""
    return f"{float(value) * 100:.0f}%"


@register.filter
def is_web_url(value) -> bool:
    """Only http(s) addresses become links: a stored URL is input from elsewhere."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))
