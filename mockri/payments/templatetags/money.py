from django import template

from mockri.lib.money import format_inr

register = template.Library()


@register.filter
def inr(paise: int) -> str:
    """149900 -> '₹1,499'."""
    return format_inr(int(paise or 0))
