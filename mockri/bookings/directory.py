"""The interviewer directory (/interviewers/): listed interviewers filtered by company, type,
seniority and language, sorted, each with the next time they are free.

A read that lives with the bookings because "next free" is the slot engine over the bookings
already made (selectors.availabilities_for). Every page runs a fixed number of queries however
many interviewers match: the filtered profiles, their types, companies and languages, one
query per kind of availability row, and one for the reliability badges, for all of them at once.
"""

import dataclasses
import datetime
import hashlib
from collections import defaultdict

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, F, FloatField, When
from django.db.models.functions import Cast

from mockri.catalogue.models import (
    RATINGS_BEFORE_AVERAGE,
    Company,
    InterviewerProfile,
    InterviewType,
    Language,
    Seniority,
)
from mockri.catalogue.selectors import company_find, interview_types_listed, interviewers_for_cards
from mockri.earnings.selectors import reliable_interviewer_ids
from mockri.scheduling.slots import first_open_start

from .availability_cache import schedule_cache_fill, schedule_cache_lookup
from .open_starts import open_starts_first, open_starts_ready
from .selectors import availabilities_for

PER_PAGE = 12
# How far ahead "next free" looks: far enough for a useful answer, near enough to read few rows.
NEXT_FREE_DAYS = 14
FREE_THIS_WEEK_DAYS = 7

SOONEST, SESSIONS, RATING = "soonest", "sessions", "rating"
SORTS = [(SOONEST, "Soonest free"), (SESSIONS, "Most sessions"), (RATING, "Rating")]


class DirectoryFilterForm(forms.Form):
    """The query string of /interviewers/. Each field is checked on its own: a bad value drops
    that filter alone, and the page says so."""

    company = forms.CharField(required=False, max_length=80)
    type = forms.ChoiceField(required=False, label="Interview type")
    seniority = forms.ChoiceField(required=False, choices=[("", "Any level"), *Seniority.choices])
    language = forms.ChoiceField(required=False)
    free = forms.ChoiceField(required=False, choices=[("", "Any time"), ("week", "This week")])
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, data, *, types, languages, companies):
        # Companies are matched by clean_company, which also knows their aliases.
        super().__init__(data)
        self.fields["type"].choices = [("", "Any type"), *((t.slug, t.name) for t in types)]
        self.fields["language"].choices = [
            ("", "Any language"),
            *((lang.slug, lang.name) for lang in languages),
        ]
        self.companies = companies

    def clean_company(self):
        """A company by slug, name or alias ("google india" finds Google)."""
        value = self.cleaned_data["company"].strip()
        if not value:
            return None
        company = company_find(name=value)
        if company is None:
            raise forms.ValidationError(f"No company is called “{value}”.")
        return company

    def filters(self) -> dict:
        """The valid filters, bad ones left out (their errors stay on the form)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


@dataclasses.dataclass
class Card:
    profile: InterviewerProfile
    types: list[InterviewType]
    book_type: InterviewType | None  # the type "Book with" and "next free" are for
    next_free: datetime.datetime | None
    reliable: bool

    @property
    def price_from(self) -> int | None:
        return min((t.price_paise for t in self.types), default=None)


def _types_by_interviewer(ids) -> dict[int, list[InterviewType]]:
    """Each interviewer's active types in catalogue order, in one query."""
    through = InterviewType.interviewers.through
    types: dict[int, list[InterviewType]] = defaultdict(list)
    for row in (
        through.objects.filter(interviewerprofile_id__in=ids, interviewtype__is_active=True)
        .select_related("interviewtype")
        .order_by("interviewtype__position", "interviewtype__name")
    ):
        types[row.interviewerprofile_id].append(row.interviewtype)
    return types


def _next_free(profiles, book_types: dict, *, now) -> dict[int, datetime.datetime | None]:
    """The first open start of each interviewer for their book type within NEXT_FREE_DAYS.

    Like the slot picker's times, kept in the shared cache under the schedule's version and the
    minute (notice periods move on), so it is computed once per change, not once per visitor,
    and by one request at a time.
    """
    wanted = ",".join(f"{p.pk}:{getattr(book_types.get(p.pk), 'pk', '')}" for p in profiles)
    key = f"directory-next-free:{hashlib.sha256(wanted.encode()).hexdigest()}"
    lookup = schedule_cache_lookup(key, now=now)
    return schedule_cache_fill(lookup, lambda: _next_free_computed(profiles, book_types, now=now))


def _next_free_computed(profiles, book_types: dict, *, now) -> dict[int, datetime.datetime | None]:
    until = now + datetime.timedelta(days=NEXT_FREE_DAYS)
    bookable = [p for p in profiles if book_types.get(p.pk)]
    found: dict[int, datetime.datetime | None] = {p.pk: None for p in profiles}
    if open_starts_ready(now=now):
        # The table of open starts: one query however many interviewers match.
        found |= open_starts_first(
            book_types={p.pk: book_types[p.pk].pk for p in bookable}, now=now, until=until
        )
        return found
    for availability in availabilities_for(interviewers=bookable, now=now, until=until):
        duration = datetime.timedelta(
            minutes=book_types[availability.interviewer_id].duration_minutes
        )
        found[availability.interviewer_id] = first_open_start(
            availability, duration=duration, now=now, until=until
        )
    return found


def directory_page(*, filters: dict, now: datetime.datetime) -> tuple[list[Card], Paginator, int]:
    """The cards of one page, the paginator and the page number, for valid `filters`."""
    profiles = interviewers_for_cards().select_related("user")
    if company := filters.get("company"):
        profiles = profiles.filter(companies=company)
    if type_slug := filters.get("type"):
        profiles = profiles.filter(interview_types__slug=type_slug, interview_types__is_active=True)
    if seniority := filters.get("seniority"):
        profiles = profiles.filter(seniority=seniority)
    if language := filters.get("language"):
        profiles = profiles.filter(languages__slug=language)
    sort = filters.get("sort", SOONEST)
    by_time = sort == SOONEST or filters.get("free")
    if sort == RATING:
        average = Case(
            When(
                rating_count__gte=RATINGS_BEFORE_AVERAGE,
                then=Cast("rating_total", FloatField()) / Cast("rating_count", FloatField()),
            ),
            output_field=FloatField(),
        )
        profiles = profiles.alias(average=average).order_by(
            F("average").desc(nulls_last=True), "-sessions_given", "display_name", "pk"
        )
    else:
        profiles = profiles.order_by("-sessions_given", "display_name", "pk")

    if by_time:
        # Sorting or filtering by time needs every match's next free time. The order, and the
        # times, are kept in the shared cache under the schedule's version and the minute: a
        # page then reads only its own rows.
        wanted = repr(sorted((k, getattr(v, "slug", v)) for k, v in filters.items() if k != "page"))
        lookup = schedule_cache_lookup(
            f"directory-order:{hashlib.sha256(wanted.encode()).hexdigest()}", now=now
        )
        order, next_free = schedule_cache_fill(
            lookup, lambda: _by_time(profiles, filters, sort=sort, now=now)
        )
        paginator = Paginator(order, PER_PAGE)
        page = paginator.get_page(filters.get("page"))
        rows = {p.pk: p for p in profiles.filter(pk__in=list(page.object_list))}
        page_profiles = [rows[pk] for pk in page.object_list if pk in rows]
        types = _types_by_interviewer([p.pk for p in page_profiles])
        book_types = _book_types(types, filters)
    else:
        paginator = Paginator(profiles, PER_PAGE)
        page = paginator.get_page(filters.get("page"))
        page_profiles = list(page.object_list)
        types = _types_by_interviewer([p.pk for p in page_profiles])
        book_types = _book_types(types, filters)
        next_free = _next_free(page_profiles, book_types, now=now)
    # Read fresh for the page, outside the cached order: a no-show or a late cancellation
    # doesn't bump the schedule's version, so a cached badge could outlive it.
    reliable = reliable_interviewer_ids(page_profiles, now=now)
    cards = [
        Card(p, types.get(p.pk, []), book_types.get(p.pk), next_free.get(p.pk), p.pk in reliable)
        for p in page_profiles
    ]
    return cards, paginator, page.number


def _by_time(profiles, filters: dict, *, sort: str, now) -> tuple[list[int], dict]:
    """Every match's id in the page order, and their next free times: a narrow read of all of
    them, their types, and the slot engine up to each one's first open start."""
    everyone = list(
        profiles.prefetch_related(None).only(
            "pk",
            "display_name",
            "sessions_given",
            "min_notice_minutes",
            "horizon_days",
            "buffer_minutes",
            "max_sessions_per_day",
            "user__timezone",
        )
    )
    book_types = _book_types(_types_by_interviewer([p.pk for p in everyone]), filters)
    next_free = _next_free_computed(everyone, book_types, now=now)
    if filters.get("free"):
        week_end = now + datetime.timedelta(days=FREE_THIS_WEEK_DAYS)
        everyone = [p for p in everyone if next_free[p.pk] and next_free[p.pk] < week_end]
    if sort == SOONEST:
        everyone.sort(key=lambda p: (next_free[p.pk] is None, next_free[p.pk] or now))
    return [p.pk for p in everyone], next_free


def _book_types(types: dict, filters: dict) -> dict[int, InterviewType]:
    """The filtered type, else each interviewer's first type in catalogue order."""
    wanted = filters.get("type")
    return {
        pk: next((t for t in offered if t.slug == wanted), offered[0]) if wanted else offered[0]
        for pk, offered in types.items()
        if offered
    }


def filter_options() -> dict:
    """What the filter form offers: active types, languages and companies."""
    return {
        "types": list(interview_types_listed()),
        "languages": list(Language.objects.all()),
        "companies": list(Company.objects.all()),
    }
