from django import template
from django.utils import timezone

from ..forms import ReportForm
from ..models import NoShowReport, format_paise
from ..selectors import no_show_report_refusal

register = template.Library()


@register.filter
def paise(amount: int | None) -> str:
    """An amount in paise as rupees, negative ones with a minus: {{ entry.amount_paise|paise }}."""
    return format_paise(amount or 0)


@register.inclusion_tag("earnings/includes/no_show_report.html")
def no_show_report(booking, user):
    """The candidate's "my interviewer did not show" button on their booking's page, while the
    report window is open, or the report they made."""
    if booking.candidate_id != user.pk:
        return {"show": False}
    report = NoShowReport.objects.filter(booking=booking).first()
    can_report = report is None and not no_show_report_refusal(
        booking=booking, user=user, now=timezone.now()
    )
    return {
        "show": report is not None or can_report,
        "report": report,
        "booking": booking,
        "form": ReportForm() if can_report else None,
    }
