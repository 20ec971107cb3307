import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .gateways import get_gateway
from .gateways.base import GatewayError, SignatureError
from .webhooks import webhook_event_store

logger = logging.getLogger(__name__)


@csrf_exempt  # the provider signs its requests instead; the signature is checked first
@require_POST
def razorpay_webhook(request):
    """Razorpay's events: the signature over the raw body first, then stored once by event id
    and answered at once; the work runs in a task. 400 only for a bad signature or body."""
    try:
        gateway = get_gateway()
    except GatewayError:
        raise Http404 from None  # payments are not configured here
    try:
        event = gateway.parse_webhook(
            body=request.body,
            signature=request.headers.get("X-Razorpay-Signature", ""),
            event_id=request.headers.get("X-Razorpay-Event-Id", ""),
        )
    except SignatureError:
        logger.warning("Razorpay webhook with a bad signature refused")
        return HttpResponseBadRequest("Bad signature.")
    except GatewayError as error:  # signed, but no event id or not an event
        return HttpResponseBadRequest(error.message)
    webhook_event_store(provider=gateway.name, event=event)
    return HttpResponse("OK")
