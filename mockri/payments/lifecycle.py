"""Signals of the payment lifecycle, for the apps that act on it (invoices issues a credit note).
Sent inside the transaction of the change; receivers only queue tasks. Kept apart from
signals.py, whose receivers import the tasks that import services."""

from django.dispatch import Signal

refund_processed = Signal()  # `refund`: the provider has paid it back
