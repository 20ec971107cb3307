from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "mockri.packs"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 — ready() runs once models load; importing connects the receivers
