from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mockri.notifications"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 — ready() runs once models load; importing connects the receivers
