"""The booking's lifecycle signals, and the one map of the work they set going.

Each lifecycle signal is sent inside the transaction of the change it announces, with `booking`
(meeting_ready: with `meeting`). Receivers only queue tasks: django-tasks-db writes a job in the
same transaction, so a change commits together with every job it causes, or, when a receiver
raises, nothing of it commits. The tasks re-read the booking by id and call one service each.
Bookings imports none of the receiving apps (the imports point the other way); this table is
where to look, and tests/bookings/test_signals.py holds it to the receivers connected.

| signal            | receiver (app.function)                 | queues                         |
|-------------------|-----------------------------------------|--------------------------------|
| booking_confirmed | meetings.make_the_meeting               | meeting_create_task            |
| booking_confirmed | notifications.email_a_confirmation      | booking_announce_emails_task * |
| booking_confirmed | notifications.email_a_confirmation      | reminders_plan_task            |
| booking_confirmed | feedback.plan_the_feedback_request      | feedback_request_plan_task     |
| booking_changed   | meetings.move_the_meeting               | meeting_update_task            |
| booking_changed   | notifications.email_a_change            | booking_announce_emails_task * |
| booking_changed   | notifications.email_a_change            | reminders_plan_task            |
| booking_changed   | notifications.email_a_change            | booking_reassigned_emails_task |
| booking_changed   | feedback.plan_the_feedback_request      | feedback_request_plan_task     |
| booking_cancelled | payments.refund_a_cancelled_booking     | refund_for_cancellation_task   |
| booking_cancelled | packs.return_a_credit                   | credit_return_task             |
| booking_cancelled | meetings.cancel_the_meeting             | meeting_cancel_task            |
| booking_cancelled | notifications.email_a_cancellation      | booking_cancelled_emails_task  |
| booking_cancelled | earnings.count_a_late_cancellation      | reliability_review_task        |
| booking_completed | feedback.ask_the_candidate_for_a_rating | rate_interviewer_email_task    |
| booking_completed | earnings.credit_the_interviewer         | earning_credit_task            |
| booking_no_show   | earnings.credit_or_count_a_no_show      | earning_credit_task            |
| booking_no_show   | earnings.credit_or_count_a_no_show      | reliability_review_task        |
| meeting_ready     | notifications.email_the_meeting_link    | meeting_ready_emails_task      |
| meeting_link_missing | notifications.alert_staff_to_a_missing_link | meeting_no_link_emails_task |
| Receipt created   | notifications.email_a_receipt           | receipt_email_task             |
| Refund created    | earnings.take_back_a_refunded_credit    | earning_reverse_refunds_task   |

* runs MEETING_LINK_WAIT later: the announcement waits that long for meeting_ready's link.
meeting_ready (meetings.signals) is sent in the transaction that stores a meeting's new link,
meeting_link_missing in the one that records that no provider could make it;
"Receipt created" is post_save of payments.Receipt, in the transaction recording its payment;
"Refund created" is post_save of payments.Refund, in the transaction requesting it.
payments.pack_payment_captured (packs.grant_the_credits → pack_purchase_grant_task) is sent in
the transaction recording a pack purchase's captured payment.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from mockri.accounts.models import User
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.scheduling.models import AvailabilityOverride, TimeOff, WeeklyAvailability

from .availability_cache import rules_changed
from .open_starts import open_starts_forget_type, open_starts_refresh

# The booking's lifecycle (the table above), each sent inside the change's transaction.
booking_confirmed = Signal()  # a free booking made, or a held one paid
booking_changed = Signal()  # moved to another time or interviewer
booking_cancelled = Signal()  # payments refunds what the booking's refund decision says
booking_completed = Signal()  # the session took place (feedback asks the candidate to rate it)
booking_no_show = Signal()  # one side did not come (earnings credits or counts it)

# Edits that change who can be booked when, wherever they are made (services, the admin).
SCHEDULE_MODELS = [
    InterviewType,
    InterviewerProfile,
    WeeklyAvailability,
    AvailabilityOverride,
    TimeOff,
]


# What an interviewer's profile holds that decides their open starts.
_PROFILE_SCHEDULE_FIELDS = {
    "is_listed",
    "hold",
    "min_notice_minutes",
    "horizon_days",
    "buffer_minutes",
    "max_sessions_per_day",
}


@receiver(post_save)
@receiver(post_delete)
def schedule_model_changed(sender, instance, **kwargs):
    if sender not in SCHEDULE_MODELS:
        return
    rules_changed()
    # The table of open starts follows in the same transaction (bookings/open_starts.py).
    if sender is InterviewType:
        # Only its length moves its interviewers' starts: a price edit must not recompute
        # everyone's. A deleted type's rows go with it (CASCADE).
        if kwargs.get("signal") is post_save and getattr(instance, "_duration_changed", False):
            open_starts_refresh(instance.interviewers.values_list("pk", flat=True))
    elif sender is InterviewerProfile:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or _PROFILE_SCHEDULE_FIELDS & set(update_fields):
            open_starts_refresh([instance.pk])
    else:
        open_starts_refresh([instance.interviewer_id])


@receiver(pre_save, sender=InterviewType)
def interview_type_length_changing(sender, instance, **kwargs):
    if instance.pk is not None:
        before = InterviewType.objects.filter(pk=instance.pk).values_list(
            "duration_minutes", flat=True
        )
        instance._duration_changed = list(before) != [instance.duration_minutes]


@receiver(m2m_changed, sender=InterviewType.interviewers.through)
def interviewers_of_a_type_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    rules_changed()
    if reverse:  # profile.interview_types changed
        open_starts_refresh([instance.pk])
    elif pk_set is not None:  # type.interviewers added or removed
        open_starts_refresh(pk_set)
    else:  # type.interviewers cleared
        open_starts_forget_type(instance.pk)


@receiver(post_save, sender=User)
def interviewer_zone_or_activity_changed(sender, instance, update_fields=None, **kwargs):
    # An interviewer's time zone places their weekly hours; deactivation hides them.
    if instance.is_interviewer and (
        update_fields is None or {"timezone", "is_active"} & set(update_fields)
    ):
        rules_changed()
        open_starts_refresh(
            InterviewerProfile.objects.filter(user=instance).values_list("pk", flat=True)
        )
