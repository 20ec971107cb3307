from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.tokens import token_digest

from .enums import ApplicationOrder, ApplicationStatus
from .models import InterviewerApplication, Invitation, ProfileChange, StatusChange


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


def profile_get_own(*, user) -> InterviewerProfile:
    """The signed-in interviewer's own profile; 404 for anyone without one."""
    if not user.is_authenticated or not user.is_interviewer:
        raise Http404
    profile = InterviewerProfile.objects.filter(user=user).select_related("user").first()
    if profile is None:
        raise Http404
    return profile


def interviewers_for_staff() -> QuerySet[InterviewerProfile]:
    """Every interviewer profile with its account and open spot-checks, for the console list:
    two queries however many."""
    return (
        InterviewerProfile.objects.select_related("user")
        .annotate(open_checks=Count("spot_checks", filter=Q(spot_checks__reviewed_at__isnull=True)))
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("by"))
        )
        .order_by("display_name", "pk")
    )


def interviewer_get_for_staff(*, user, pk: int) -> InterviewerProfile:
    if not user.is_staff:
        raise Http404
    profile = InterviewerProfile.objects.filter(pk=pk).select_related("user").first()
    if profile is None:
        raise Http404
    return profile


def spot_checks_open() -> QuerySet[ProfileChange]:
    """Changes to what candidates see that no staff member has looked at yet, oldest first."""
    return ProfileChange.objects.filter(reviewed_at__isnull=True).select_related("profile")


def spot_check_get_for_staff(*, user, pk: int) -> ProfileChange:
    if not user.is_staff:
        raise Http404
    change = ProfileChange.objects.filter(pk=pk).first()
    if change is None:
        raise Http404
    return change
