from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "mockri.operations"
