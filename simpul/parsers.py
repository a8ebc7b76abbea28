"""JSON as the API reads it: a body nested deeper than any Simpul resource, or text that is no Unicode,
is a 400 here, instead of a RecursionError in the decoder or an UnicodeEncodeError when an error echoes it.

A lone UTF-16 surrogate (`"\\ud800"`) is valid JSON syntax but no character: nothing can store, print
or encode it, so it is refused with the place where it was found.
"""

import codecs
import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import get_encoding
from rest_framework.utils import json

# Simpul's deepest resource (a roll call's entries) is three levels deep; a little room for clients.
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnacceptableJSON(ValueError):
    """JSON that parsed but is not acceptable as data; its message says where and why."""


def check_json(data) -> None:
    """Raise UnacceptableJSON when `data` nests deeper than MAX_DEPTH or holds a lone surrogate."""
    pending = [(data, 1, None)]
    while pending:
        value, depth, place = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise UnacceptableJSON(
                    _("Teks di %(path)s bukan Unicode yang sah (surrogate UTF-16 tunggal).") % {"path": _path(place)}
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise UnacceptableJSON(too_deep_message())
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            pending.append((key, depth, place))  # keys are text too
            # (parent, key), spelled out only for an error: a poller's batch has tens of thousands of values.
            pending.append((item, depth + 1, (place, key)))


def _path(place: tuple | None) -> str:
    keys = []
    while place is not None:
        place, key = place
        keys.append(str(key))
    return "/" + "/".join(reversed(keys))


def too_deep_message() -> str:
    return _("JSON bersarang terlalu dalam: paling banyak %(limit)d tingkat.") % {"limit": MAX_DEPTH}


class JSONObject(dict):
    """An object read from a request's JSON body, so its values carry JSON's own types (see StrictJSONMixin)."""


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream), parse_constant=json.strict_constant, object_pairs_hook=JSONObject
            )
        except RecursionError:
            raise ParseError(too_deep_message()) from None
        except ValueError as error:
            raise ParseError(_("JSON tidak sah: %(error)s") % {"error": error}) from None
        try:
            check_json(data)
        except UnacceptableJSON as error:
            raise ParseError(str(error)) from None
        return data
