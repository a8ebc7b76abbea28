"""`may_dispatch` for pages of earlier apps (an asset's page) that offer "buat perintah kerja" without
importing maintenance: the rule stays in maintenance.dispatch."""

from django import template

from maintenance.dispatch import may_dispatch as _may_dispatch

register = template.Library()


@register.filter
def may_dispatch(user, agency_id) -> bool:
    return _may_dispatch(user, agency_id)
