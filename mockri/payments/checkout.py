"""What the payment step shows: Razorpay Standard Checkout's options, UPI first.

UPI is how most Indians pay online, so the checkout opens on a UPI block of its own, with
Razorpay's default blocks (cards, netbanking, wallets) below it (`config.display`: blocks,
sequence, preferences.show_default_blocks; Razorpay's "Configure payment methods" docs). The
offline test gateway's checkout offers the same methods in the same order (CHECKOUT_METHODS).
"""

from .models import Payment

CHECKOUT_DISPLAY = {
    "blocks": {
        "upi": {"name": "Pay by UPI", "instruments": [{"method": "upi"}]},
    },
    "sequence": ["block.upi"],
    "preferences": {"show_default_blocks": True},
}

# (method, label), in the order the checkout shows them: UPI first, then Razorpay's defaults.
CHECKOUT_METHODS: list[tuple[str, str]] = [
    ("upi", "UPI (any UPI app or UPI ID)"),
    ("card", "Card"),
    ("netbanking", "Netbanking"),
    ("wallet", "Wallet"),
]


def checkout_options(*, payment: Payment, key_id: str, description: str, payer) -> dict:
    """The options for `new Razorpay(options)` (the page's script adds the handler). The
    payer's name and email are prefilled: Razorpay is a processor the privacy policy names,
    and it would ask for them anyway. Nothing else about the person is sent."""
    return {
        "key": key_id,
        "amount": payment.amount_paise,
        "currency": payment.currency,
        "order_id": payment.order_ref,
        "name": "Mockri",
        "description": description,
        "prefill": {"name": payer.full_name, "email": payer.email},
        "config": {"display": CHECKOUT_DISPLAY},
    }
