from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What managers and procurement open every day: the health dashboard, the gap page, monthly reports.

    It reads every other app and nothing imports it (data flows assets -> monitoring -> maintenance -> reports).
    """

    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from reports.dashboard import watch_figure_writes

        watch_figure_writes()
