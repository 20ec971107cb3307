import pytest

from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment
from mockri.payments.services import payment_order_for, payment_record


@pytest.fixture
def gst(settings):
    """Invoicing on, as a Kerala business: the settings make run's demo uses."""
    settings.GSTIN = "32ABCDE1234F1Z9"
    settings.OPERATOR_LEGAL_NAME = "Ramees PP"
    settings.OPERATOR_ADDRESS = "1 MG Road, Kochi, Kerala 682001"
    settings.OPERATOR_STATE_CODE = "32"
    settings.GST_SAC_CODE = "999293"
    settings.GST_RATE_PERCENT = 18
    return settings


@pytest.fixture
def pay():
    """Pay for a held booking through the test gateway; returns the captured Payment."""

    def paid(booking) -> Payment:
        gateway = get_gateway()
        payment = payment_order_for(booking=booking, gateway=gateway)
        info, _, _ = gateway.checkout(payment.order_ref, succeed=True)
        payment_record(info=info)
        payment.refresh_from_db()
        return payment

    return paid
