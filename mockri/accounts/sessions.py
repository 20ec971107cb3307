"""Sessions in the database, each row carrying its user, so that a signed-in request reads its
session and its user in one query instead of two (issue #13: every signed-in page paid both)."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.db.models.expressions import Col
from django.utils import timezone
from django.utils.crypto import constant_time_compare


class SessionStore(DatabaseSessionStore):
    user_read_with_it = None  # the row's user, read in the session's query

    @classmethod
    def get_model_class(cls):
        from .models import Session  # noqa: PLC0415 — models import this store

        return Session

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = session_user_id(data)
        return row

    def _get_session_from_db(self):
        """Django's read (the unexpired row; else None, and no key), with the row's user."""
        using = router.db_for_read(self.model)
        query = _session_with_user_query(using)
        with connections[using].cursor() as cursor:
            cursor.execute(query.sql, [self.session_key, timezone.now()])
            found = cursor.fetchone()
        if found is None:
            self._session_key = None
            return None
        session_data, user_id, *user_values = found
        row = self.model(session_key=self.session_key, session_data=session_data, user_id=user_id)
        if user_id is not None:
            self.user_read_with_it = row.user = query.user(user_values)
        return row


@dataclass(frozen=True)
class _SessionWithUserQuery:
    """The SQL that reads a session's row with its user's, written once per process from the
    models: the ORM compiled the same join afresh on every signed-in request, about half of
    such a request's CPU (issue #13)."""

    sql: str
    using: str
    user_model: type
    user_attnames: list[str]
    converters: list[tuple[int, list, Col]]  # what the ORM applies (SQLite keeps times as text)

    def user(self, values: list):
        connection = connections[self.using]
        for position, converters, column in self.converters:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.user_model.from_db(self.using, self.user_attnames, values)


@functools.cache
def _session_with_user_query(using: str) -> _SessionWithUserQuery:
    from .models import Session  # noqa: PLC0415 — models import this store

    connection = connections[using]
    quote = connection.ops.quote_name
    user_model = Session.user.field.related_model
    user_fields = user_model._meta.concrete_fields
    user_columns = ", ".join(f"u.{quote(field.column)}" for field in user_fields)
    user_id = quote(Session.user.field.column)
    # Names from the models, quoted; the values are parameters.
    sql = (
        f"SELECT s.{quote('session_data')}, s.{user_id}, {user_columns}"  # noqa: S608
        f" FROM {quote(Session._meta.db_table)} s LEFT JOIN {quote(user_model._meta.db_table)} u"
        f" ON u.{quote(user_model._meta.pk.column)} = s.{user_id}"
        f" WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
    )
    converters = []
    for position, field in enumerate(user_fields):
        column = field.get_col(user_model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return _SessionWithUserQuery(
        sql=sql,
        using=using,
        user_model=user_model,
        user_attnames=[field.attname for field in user_fields],
        converters=converters,
    )


def session_user_id(data: dict) -> int | None:
    """The id of the user a session's data says is signed in, if any."""
    try:
        return int(data[auth.SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


def session_user(request):
    """django.contrib.auth.get_user's answer, from the user read with the session when the
    session is theirs and nothing is unusual; anything else goes through Django's own."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)  # loads the session, and its user with it
    user = getattr(session, "user_read_with_it", None)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    if (
        user is not None
        and user_id == str(user.pk)
        and backend_path in settings.AUTHENTICATION_BACKENDS
    ):
        backend = auth.load_backend(backend_path)
        if (
            isinstance(backend, ModelBackend)
            and type(backend).get_user is ModelBackend.get_user  # the user by id, if allowed
            and backend.user_can_authenticate(user)
            and constant_time_compare(
                session.get(auth.HASH_SESSION_KEY) or "", user.get_session_auth_hash()
            )
        ):
            return user
    # No session, another user's row, a password changed or a rotated secret: Django decides.
    return auth.get_user(request)
