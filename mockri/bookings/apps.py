from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "mockri.bookings"

    def ready(self):
        from . import signals  # noqa: F401 -- connects the receivers
