"""The OpenAPI schema says what the server does, in both directions: the error responses every operation
can give (drf-spectacular documents only the success), and the limits of parameters and text that the
server enforces but drf-spectacular does not write down.

Schemathesis with every check holds the two together (tests/test_api_fuzz.py).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "Why the request was refused: `detail` for the request as a whole, or a list of "
        "messages per field (nested as the request body is) for invalid input.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    },
)

NO_NUL = "^[^\\u0000]*$"

WHY = {
    "400": "Invalid input: a message per field or query parameter, or `detail`.",
    "401": "Not logged in: no credentials, or an unknown token.",
    "403": "Logged in, but the role or the agency does not allow this.",
    "404": "Not found, or not visible to you; also a page beyond the last.",
    "406": "A `?format=` this operation does not offer; `detail` names those it does.",
    "409": "Conflicts with the data: still in use by other records, or changed meanwhile.",
    "415": "The body is not in a media type this operation reads (see its request body).",
    "429": "Too many attempts; try again later.",
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF trims text and then refuses it blank: "   " is no name, and the schema says so.
        if (
            direction == "request"
            and type(field) is serializers.CharField
            and field.trim_whitespace
            and not field.allow_blank
            and schema.get("type") == "string"
        ):
            schema["pattern"] = r"\S"
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            _document_limits(parameter)
        registry.register_on_missing(ERROR)
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            responses.setdefault(
                code, {"description": WHY[code], "content": {"application/json": {"schema": ERROR.ref}}}
            )
        return operation

    def _error_codes(self, operation) -> list[str]:
        """Every route answers 406 to a `?format=` it does not offer (simpul.renderers.ContentNegotiation), and
        401 or 403 to a bad token or a session without its CSRF token, the token endpoint included."""
        codes = ["401", "403", "404", "406"]
        writes = self.method not in SAFE_METHODS
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        if writes or has_query or "requestBody" in operation:
            codes.append("400")
        if writes:
            codes.append("409")
        if "requestBody" in operation:
            codes.append("415")
        if self.view.get_throttles():
            codes.append("429")
        return codes


def _document_limits(parameter: dict) -> None:
    if parameter["in"] == "path" and parameter["schema"] == {"type": "string", "pattern": r"^\d+$"}:
        parameter["schema"] = {"type": "integer", "minimum": 0}  # an id in a route of its own (\d+)
    if parameter["in"] != "query":
        return
    if not parameter.get("required"):
        parameter["allowEmptyValue"] = True  # `?to=` means "not given", as an HTML form sends it
    # The filters' and queries' form fields refuse NUL; ordering ignores terms it does not know, NUL too.
    if parameter["schema"] == {"type": "string"} and parameter["name"] != api_settings.ORDERING_PARAM:
        parameter["schema"]["pattern"] = NO_NUL
