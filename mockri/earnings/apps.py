from django.apps import AppConfig


class EarningsConfig(AppConfig):
    name = "mockri.earnings"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 — connects the receivers once the apps are loaded
        from .dashboard import register  # noqa: PLC0415 — the interviewers app's models must be loaded

        register()  # the payout details step of onboarding and the dashboard's panels
