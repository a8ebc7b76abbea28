from django.apps import AppConfig


class SimpulConfig(AppConfig):
    name = "simpul"

    def ready(self) -> None:
        from simpul.postgres import watch_connections

        watch_connections()
