"""Money as people in Indonesia write it, whatever the interface language: "Rp 51.000.000"."""

from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with dots between thousands; nothing known is a dash, never `None`."""
    if value is None or value == "":
        return "-"
    return "Rp " + f"{int(value):,}".replace(",", ".")
