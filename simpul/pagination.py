"""API pagination; its own module because DRF imports it while loading its generic views."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers, with `page_size` chosen by the client up to a bound that keeps a page cheap."""

    page_size_query_param = "page_size"
    max_page_size = 500
