"""Where a person's data lives. Every app that holds personal data says so in its own
`personal_data.py` module, so an export or an erasure cannot silently forget new data:

    MODELS = [Model, ...]          # the models whose rows about a person this module covers
    def export(*, user, archive) -> dict   # JSON-ready; stored files through archive.add_file
    def erase(*, user, now) -> None        # delete or de-identify; audit rows redacted, kept

`tests/privacy/test_registry.py` fails when a model is neither covered here nor listed in
HOLDS_NO_PERSONAL_DATA with the reason.
"""

import dataclasses
import importlib
import importlib.util
from types import ModuleType

from django.apps import apps


@dataclasses.dataclass
class ExportArchive:
    """The files going into a person's export ZIP, beside the JSON: (name in the ZIP, storage
    name)."""

    files: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def add_file(self, name_in_zip: str, storage_name: str) -> str:
        self.files.append((name_in_zip, storage_name))
        return name_in_zip


def personal_data_modules() -> dict[str, ModuleType]:
    """App label → its personal_data module, in INSTALLED_APPS order."""
    modules = {}
    for app in apps.get_app_configs():
        name = f"{app.name}.personal_data"
        if importlib.util.find_spec(name) is not None:
            modules[app.label] = importlib.import_module(name)
    return modules
