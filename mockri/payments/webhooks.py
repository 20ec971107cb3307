"""Provider events: stored once, then processed in a task by re-reading them as data."""

import dataclasses
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .gateways import base as gateway
from .models import WebhookEvent
from .services import payment_record, refund_record


def webhook_event_store(*, provider: str, event: gateway.WebhookEvent) -> WebhookEvent | None:
    """Keep a verified event and queue its processing; None when it was seen before.

    Side effects: the row and its task are committed together.
    """
    from .tasks import webhook_event_process_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                provider=provider,
                event_id=event.event_id,
                name=event.name,
                data=_to_data(event),
            )
            webhook_event_process_task.enqueue(event_id=stored.pk)
    except IntegrityError:
        return None  # a redelivery
    return stored


def webhook_event_process(stored: WebhookEvent) -> None:
    """Apply a stored event: payments and refunds move forward; other events are kept only."""
    event = _from_data(stored.name, stored.event_id, stored.data)
    outcome = "ignored"
    if event.payment is not None and stored.name.startswith(("payment.", "order.")):
        outcome = "payment recorded" if payment_record(info=event.payment) else "unknown order"
    if event.refund is not None and stored.name.startswith("refund."):
        outcome = "refund recorded" if refund_record(info=event.refund) else "unknown refund"
    WebhookEvent.objects.filter(pk=stored.pk).update(processed_at=timezone.now(), outcome=outcome)


def _to_data(event: gateway.WebhookEvent) -> dict:
    def plain(entity):
        if entity is None:
            return None
        values = dataclasses.asdict(entity)
        return {
            k: v.isoformat() if isinstance(v, datetime.datetime) else v for k, v in values.items()
        }

    return {
        "payment": plain(event.payment),
        "order": plain(event.order),
        "refund": plain(event.refund),
    }


def _from_data(name: str, event_id: str, data: dict) -> gateway.WebhookEvent:
    payment = data.get("payment")
    if payment and payment.get("created_at"):
        payment = {**payment, "created_at": datetime.datetime.fromisoformat(payment["created_at"])}
    return gateway.WebhookEvent(
        event_id=event_id,
        name=name,
        payment=gateway.Payment(**payment) if payment else None,
        order=gateway.Order(**data["order"]) if data.get("order") else None,
        refund=gateway.Refund(**data["refund"]) if data.get("refund") else None,
    )
