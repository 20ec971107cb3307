from django.apps import AppConfig


class PreparationConfig(AppConfig):
    name = "mockri.preparation"
