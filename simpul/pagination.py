"""API pagination; its own module because DRF imports it while loading its generic views."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers, with `page_size` chosen by the client up to a bound that keeps a page cheap.

    A `page_size` that is no whole number from 1 to `max_page_size` is a 400 naming it (DRF would silently
    use the default or the bound); a page that does not exist is DRF's 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent, or empty as a form sends it
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Bilangan bulat 1 sampai %(max)d.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"]["minimum"] = 1
        page_size["schema"].update(minimum=1, maximum=self.max_page_size)
        return [page, page_size]
