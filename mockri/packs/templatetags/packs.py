from django import template

from ..selectors import credit_for_booking, credits_of_booking

register = template.Library()


@register.inclusion_tag("packs/includes/credit_offer.html", takes_context=True)
def credit_offer(context, booking):
    """On the pay step: pay with a pack credit instead, when the candidate has one for it."""
    return {
        "booking": booking,
        "offer": credit_for_booking(booking=booking),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("packs/includes/credit_panel.html")
def credit_panel(booking, role):
    """On a booking's page (candidate and staff): the pack credit that paid for it, and whether
    it came back."""
    return {"entries": credits_of_booking(booking=booking), "role": role}
