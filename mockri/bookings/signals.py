from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from mockri.accounts.models import User
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.scheduling.models import AvailabilityOverride, TimeOff, WeeklyAvailability

from .availability_cache import rules_changed

# The booking's lifecycle, each sent once the change is committed, with `booking` (receivers
# re-read it by id: the instance may predate the change). Other apps
# (payments, meetings, notifications, feedback) act on them; bookings must not import them,
# since the imports point the other way.
booking_confirmed = Signal()  # a free booking made, or a held one paid
booking_changed = Signal()  # moved to another time or interviewer
booking_cancelled = Signal()  # payments refunds what the booking's refund decision says
booking_completed = Signal()  # the session took place (feedback asks the candidate to rate it)

# Edits that change who can be booked when, wherever they are made (services, the admin).
SCHEDULE_MODELS = [
    InterviewType,
    InterviewerProfile,
    WeeklyAvailability,
    AvailabilityOverride,
    TimeOff,
]


@receiver(post_save)
@receiver(post_delete)
def schedule_model_changed(sender, **kwargs):
    if sender in SCHEDULE_MODELS:
        rules_changed()


@receiver(m2m_changed, sender=InterviewType.interviewers.through)
def interviewers_of_a_type_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        rules_changed()


@receiver(post_save, sender=User)
def interviewer_zone_or_activity_changed(sender, instance, update_fields=None, **kwargs):
    # An interviewer's time zone places their weekly hours; deactivation hides them.
    if instance.is_interviewer and (
        update_fields is None or {"timezone", "is_active"} & set(update_fields)
    ):
        rules_changed()
