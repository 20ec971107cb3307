from django import template

from ..selectors import credit_for_booking

register = template.Library()


@register.inclusion_tag("packs/includes/credit_offer.html", takes_context=True)
def credit_offer(context, booking):
    """On the pay step: pay with a pack credit instead, when the candidate has one for it."""
    return {
        "booking": booking,
        "offer": credit_for_booking(booking=booking),
        "csrf_token": context.get("csrf_token"),
    }
