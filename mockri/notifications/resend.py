"""Resend through django-anymail, with Resend's idempotency key on every request.

Anymail's Resend backend has no way to set an HTTP header: `esp_extra` is merged into the JSON
body and `extra_headers` become headers of the email itself, while Resend reads the key only
from the request's `Idempotency-Key` header (INTEGRATIONS.md §4; resend.com/docs "Idempotency
keys": at most 256 characters, remembered for 24 hours, on POST /emails and /emails/batch).
"""

from anymail.backends.resend import EmailBackend as AnymailResendBackend

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 256


class EmailBackend(AnymailResendBackend):
    """Anymail's Resend backend that sends `message.idempotency_key` (set by the outbox) as the
    `Idempotency-Key` header. Resend answers a repeated key with the first request's email id
    and sends nothing, so a send retried after a worker died mid-request arrives once."""

    def build_message_payload(self, message, defaults):
        payload = super().build_message_payload(message, defaults)
        key = getattr(message, "idempotency_key", "")
        if key:
            if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not key.isascii():
                raise ValueError("A Resend idempotency key is at most 256 ASCII characters.")
            payload.headers[IDEMPOTENCY_HEADER] = key
        return payload
