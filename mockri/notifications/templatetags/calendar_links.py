from django import template

from ..views import google_calendar_link

register = template.Library()


@register.filter
def google_calendar_url(booking) -> str:
    return google_calendar_link(booking)
