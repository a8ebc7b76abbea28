"""Which interfaces of an asset are watched: chosen by name or ifIndex from its last walk, by the API and the page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assets.models import Asset
from monitoring.metrics.models import AssetInterfaces
from monitoring.models import ProbeConfig

WATCH_LIMIT = 32


def walked_interfaces(asset: Asset) -> tuple[AssetInterfaces | None, list[dict]]:
    """The last walk, and its interfaces each with "watched"."""
    walked = AssetInterfaces.objects.filter(asset=asset).first()
    watched = set(ProbeConfig.objects.filter(asset=asset).values_list("if_indexes", flat=True).first() or ())
    return walked, [i | {"watched": i["index"] in watched} for i in (walked.interfaces if walked else [])]


def choose_watched(asset: Asset, names: list[str]) -> list[int]:
    """Watch these interfaces (names or ifIndexes) and no others; the indexes kept. ValidationError under "watch"
    (nothing written) for a name the walk did not list, too many, or no walk yet."""
    config = ProbeConfig.objects.filter(asset=asset, snmp=True).first()
    walked = AssetInterfaces.objects.filter(asset=asset).first()
    if config is None or walked is None or not walked.interfaces:
        raise ValidationError({"watch": _("Belum ada daftar antarmuka: aktifkan SNMP dan tunggu penelusuran.")})
    by_name = {i["name"]: i["index"] for i in walked.interfaces}
    by_name |= {str(i["index"]): i["index"] for i in walked.interfaces}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValidationError({"watch": _("Antarmuka tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}})
    indexes = sorted({by_name[name] for name in names})
    if len(indexes) > WATCH_LIMIT:
        raise ValidationError({"watch": _("Paling banyak %(limit)s antarmuka.") % {"limit": WATCH_LIMIT}})
    config.if_indexes = indexes
    config.save(update_fields=["if_indexes"])
    return indexes
