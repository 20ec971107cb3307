from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mockri.catalogue.models import InterviewType
from mockri.lib.tokens import token_digest

from .enums import ApplicationOrder, ApplicationStatus
from .models import InterviewerApplication, Invitation


def applications_queue(
    *,
    status: str = ApplicationStatus.PENDING,
    order: str = ApplicationOrder.NEWEST,
    interview_type: InterviewType | None = None,
) -> QuerySet[InterviewerApplication]:
    """Applications for staff to review: by status, newest or oldest (last submitted) first,
    optionally only those offering `interview_type`."""
    applications = InterviewerApplication.objects.filter(status=status).prefetch_related(
        Prefetch("interview_types", queryset=InterviewType.objects.order_by("position", "name"))
    )
    if interview_type is not None:
        applications = applications.filter(interview_types=interview_type)
    newest_first = order != ApplicationOrder.OLDEST
    return applications.order_by(
        "-updated_at" if newest_first else "updated_at", "-pk" if newest_first else "pk"
    )


def application_get_for_staff(*, user, pk: int) -> InterviewerApplication:
    """An application, for staff only: 404 for anyone else and for an unknown one."""
    if not user.is_staff:
        raise Http404
    application = (
        InterviewerApplication.objects.filter(pk=pk)
        .select_related("decided_by")
        .prefetch_related("interview_types")
        .first()
    )
    if application is None:
        raise Http404
    return application


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link opens; 404 for a link that is not one."""
    invitation = (
        Invitation.objects.filter(token_sha256=token_digest(token))
        .select_related("application")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
