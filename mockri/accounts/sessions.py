"""Sessions in the database, each row carrying its user, so that a signed-in request reads its
session and its user in one query instead of two (issue #13: every signed-in page paid both)."""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
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
        row = super()._get_session_from_db()  # the model's manager joins the user
        self.user_read_with_it = row.user if row is not None else None
        return row


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
