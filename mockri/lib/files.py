from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction


def delete_stored_on_commit(names: Iterable[str]) -> None:
    """Delete these stored files once the current transaction commits: rows that a rollback
    brings back keep their files."""
    names = list(names)

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)
