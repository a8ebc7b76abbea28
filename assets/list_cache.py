"""The asset list's JSON pages, kept gzipped per version of the inventory and sent as they are.

An integrator's sync, the offline app and a page refresh ask for the same pages again and again while the
inventory rarely changes; a page costs ~6 ms of CPU to build from the database, ~1 ms from the cache. A page is
kept under the inventory's version, the day (a licence's status is today's), the readers (who see the same
agencies) and the URL as asked, so a cached page only ever goes to someone who would get the same bytes.

Every write of an asset, an agency (its code) or a licence (its dates) sets a new version twice: at once, so
the writer's own next read inside its transaction is fresh, and when it commits, so a page that a concurrent
reader built from the rows before the commit is never read again. The inventory is written through the
models only (imports and stocktakes save each asset), so the signals see every write.
"""

import hashlib
from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from accounts.scoping import readers_key
from simpul.precompressed import send

VERSION_KEY = "assets:list:version"
PAGE_TTL_S = 600


def page_key(request) -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # never written, or evicted: a new version, so nothing cached before it is read
        cache.add(VERSION_KEY, uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    asked = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
    return f"assets:list:{version}:{timezone.localdate()}:{get_language()}:{readers_key(request.user)}:{asked}"


def cached_page(request, build: Callable[[], bytes]):
    return send(request, page_key(request), build, timeout=PAGE_TTL_S)


def inventory_changed() -> None:
    cache.set(VERSION_KEY, uuid4().hex, None)


def _written(sender, using: str, **kwargs) -> None:
    inventory_changed()
    transaction.on_commit(inventory_changed, using=using)


def watch_inventory_writes() -> None:
    """Connect the writes that change what the list shows (AssetsConfig.ready)."""
    from assets.models import Agency, Asset, RadioLicence

    for model in (Asset, Agency, RadioLicence):
        for signal in (post_save, post_delete):
            signal.connect(_written, sender=model, dispatch_uid=f"assets.list_cache.{model._meta.label}")
