"""Money as people in Indonesia write it, whatever the interface language: "Rp 51.000.000"."""

from django import template

from simpul import formats

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """simpul.formats.rupiah for templates, where a value not given may also arrive as ""."""
    return formats.rupiah(None if value == "" else value)
