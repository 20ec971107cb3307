import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .providers import calcom
from .providers.base import ProviderError, SignatureError
from .webhooks import calcom_webhook_receive

logger = logging.getLogger(__name__)


@csrf_exempt  # Cal.com signs its requests instead; the signature is checked first
@require_POST
def calcom_webhook(request):
    """Cal.com's booking events: the signature over the raw body first, then applied once per
    body. 400 only for a bad signature or body; nothing is changed then."""
    try:
        event = calcom.parse_webhook(
            body=request.body,
            signature=request.headers.get(calcom.SIGNATURE_HEADER, ""),
            secret=settings.CALCOM_WEBHOOK_SECRET,
        )
    except SignatureError:
        logger.warning("Cal.com webhook with a bad signature refused")
        return HttpResponseBadRequest("Bad signature.")
    except ProviderError as error:
        return HttpResponseBadRequest(error.message)
    delivery = calcom_webhook_receive(body=request.body, event=event)
    return HttpResponse("Already received." if delivery is None else "OK")
