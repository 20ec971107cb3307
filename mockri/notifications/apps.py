from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mockri.notifications"

    def ready(self):
        from . import signals  # noqa: F401 -- connects the receivers
