"""Demo data for a developer's machine: a catalogue, six interviewers across time zones, and a
candidate and a staff user to sign in as. Applying it twice changes nothing."""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mockri.accounts.models import ConsentSource, User
from mockri.accounts.services import consent_is_current, consent_record
from mockri.scheduling.models import WeeklyAvailability

from .models import Company, InterviewerProfile, InterviewType, Language, Seniority

DEMO_PASSWORD = "mock-interview-2026"  # noqa: S105 -- published demo login, local data only


def _criterion(key: str, label: str, hint: str) -> dict:
    """One line of a type's scorecard, scored 1 to 4 by the interviewer."""
    return {"key": key, "label": label, "hint": hint}


INTERVIEW_TYPES = [
    {
        "slug": "coding-dsa",
        "name": "Coding / DSA",
        "summary": "Solve two problems live while explaining your approach, as in a real loop.",
        "description": (
            "A live coding round on data structures and algorithms in the language of your "
            "choice. Your interviewer picks problems that match the role and level in your job "
            "description, watches how you clarify, plan, code and test, and scores problem "
            "solving, code quality and communication."
        ),
        "duration_minutes": 60,
        "price_paise": 149_900,
        "position": 1,
        "scorecard_criteria": [
            _criterion(
                "problem_solving",
                "Problem solving",
                "Clarifies, finds an approach, reasons about complexity.",
            ),
            _criterion(
                "code_quality",
                "Code quality",
                "Correct, readable code with sound structure and names.",
            ),
            _criterion(
                "testing",
                "Testing and edge cases",
                "Finds edge cases and checks the code against them.",
            ),
            _criterion("communication", "Communication", "Thinks aloud and takes hints well."),
        ],
    },
    {
        "slug": "system-design",
        "name": "System Design",
        "summary": "Design a real system end to end and defend your trade-offs.",
        "description": (
            "An open-ended design round: requirements, APIs, data model, scaling, consistency "
            "and failure handling. Suited to mid-level and senior engineering roles; your "
            "interviewer steers depth to the level in your job description."
        ),
        "duration_minutes": 60,
        "price_paise": 199_900,
        "position": 2,
        "scorecard_criteria": [
            _criterion(
                "requirements",
                "Requirements and scope",
                "Asks the right questions and sizes the problem.",
            ),
            _criterion(
                "high_level_design",
                "High-level design",
                "Components, APIs and data flow that fit the requirements.",
            ),
            _criterion(
                "design_depth",
                "System design depth",
                "Data model, scaling, consistency and failure handling.",
            ),
            _criterion("trade_offs", "Trade-offs", "Names alternatives and justifies choices."),
            _criterion(
                "communication", "Communication", "Drives the discussion and explains clearly."
            ),
        ],
    },
    {
        "slug": "behavioral",
        "name": "Behavioral",
        "summary": "Practise telling your stories with structure and impact.",
        "description": (
            "Leadership, conflict, failure and ownership questions, answered in the STAR "
            "format. Your interviewer probes follow-ups the way hiring managers do and tells "
            "you which stories land."
        ),
        "duration_minutes": 45,
        "price_paise": 99_900,
        "position": 3,
        "scorecard_criteria": [
            _criterion(
                "structure",
                "Story structure",
                "Situation, task, action and result, in a sensible order and length.",
            ),
            _criterion(
                "ownership", "Ownership and impact", "Their own part and its measurable result."
            ),
            _criterion(
                "collaboration",
                "Collaboration and conflict",
                "Works through disagreement with others.",
            ),
            _criterion("self_awareness", "Self-awareness", "Learns from failure and feedback."),
            _criterion(
                "communication", "Communication", "Concise, confident, answers the question asked."
            ),
        ],
    },
    {
        "slug": "product-management",
        "name": "Product Management",
        "summary": "Product sense, metrics and execution questions from working PMs.",
        "description": (
            "A product manager round: product design, metrics and root-cause questions, "
            "prioritisation and stakeholder scenarios, scored on structure, user insight and "
            "judgement."
        ),
        "duration_minutes": 60,
        "price_paise": 179_900,
        "position": 4,
        "scorecard_criteria": [
            _criterion(
                "product_sense", "Product sense", "Understands users and designs for their problem."
            ),
            _criterion(
                "metrics", "Metrics and analytics", "Chooses and reasons about the right metrics."
            ),
            _criterion(
                "execution", "Prioritisation and execution", "Makes trade-offs and plans delivery."
            ),
            _criterion("communication", "Communication", "Structured, clear and persuasive."),
        ],
    },
    {
        "slug": "career-chat",
        "name": "Career chat",
        "summary": "A free 20-minute conversation about your next role and how to prepare.",
        "description": (
            "Not an interview: a short, friendly call to talk through your target roles, your "
            "resume and which mock interview would help you most."
        ),
        "duration_minutes": 20,
        "price_paise": 0,
        "position": 5,
        "scorecard_criteria": [
            _criterion(
                "goal_clarity",
                "Clarity of goals",
                "Knows the roles and companies they are aiming for.",
            ),
            _criterion(
                "resume", "Resume and story", "The resume and pitch show their strongest work."
            ),
        ],
    },
]

_EVENINGS = [(day, "18:00", "21:00") for day in range(5)]
_WEEKENDS = [(5, "10:00", "13:00"), (6, "10:00", "13:00")]


@dataclass(frozen=True)
class DemoInterviewer:
    email: str
    full_name: str
    timezone: str
    headline: str
    bio: str
    past_roles: list[dict]
    years_experience: int
    seniority: str
    languages: list[str]
    interview_types: list[str]
    availability: list[tuple[int, str, str]]


INTERVIEWERS = [
    DemoInterviewer(
        email="ananya@mockri.test",
        full_name="Ananya Iyer",
        timezone="Asia/Kolkata",
        headline="Senior software engineer, Google",
        bio="Has run over 300 coding interviews and sat on hiring committees in Bengaluru.",
        past_roles=[
            {"role": "Senior Software Engineer", "company": "Google"},
            {"role": "Software Engineer", "company": "Flipkart"},
        ],
        years_experience=9,
        seniority=Seniority.SENIOR,
        languages=["English", "Hindi", "Tamil"],
        interview_types=["coding-dsa", "system-design"],
        availability=_EVENINGS,
    ),
    DemoInterviewer(
        email="rohan@mockri.test",
        full_name="Rohan Mehta",
        timezone="Asia/Kolkata",
        headline="Engineering manager, payments infrastructure",
        bio="Hires backend engineers and coaches first-time candidates for senior roles.",
        past_roles=[
            {"role": "Engineering Manager", "company": "Razorpay"},
            {"role": "Senior Engineer", "company": "Amazon"},
        ],
        years_experience=12,
        seniority=Seniority.MANAGER,
        languages=["English", "Hindi", "Gujarati"],
        interview_types=["system-design", "behavioral", "career-chat"],
        availability=[(1, "07:00", "09:30"), (3, "07:00", "09:30"), *_WEEKENDS],
    ),
    DemoInterviewer(
        email="priya@mockri.test",
        full_name="Priya Nair",
        timezone="Asia/Kolkata",
        headline="Product manager, consumer apps",
        bio="Has interviewed PM candidates from associate to group PM.",
        past_roles=[
            {"role": "Senior Product Manager", "company": "Swiggy"},
            {"role": "Product Manager", "company": "Zomato"},
        ],
        years_experience=8,
        seniority=Seniority.SENIOR,
        languages=["English", "Malayalam"],
        interview_types=["product-management", "behavioral", "career-chat"],
        availability=[(0, "19:00", "22:00"), (2, "19:00", "22:00"), (5, "09:00", "12:00")],
    ),
    DemoInterviewer(
        email="arjun@mockri.test",
        full_name="Arjun Reddy",
        timezone="Asia/Kolkata",
        headline="Staff engineer, developer tools",
        bio="Designs large distributed systems and loves a good whiteboard argument.",
        past_roles=[
            {"role": "Staff Engineer", "company": "Atlassian"},
            {"role": "Senior Engineer", "company": "Microsoft"},
        ],
        years_experience=14,
        seniority=Seniority.STAFF,
        languages=["English", "Telugu"],
        interview_types=["coding-dsa", "system-design"],
        availability=[(day, "12:30", "14:00") for day in range(5)],
    ),
    DemoInterviewer(
        email="sarah@mockri.test",
        full_name="Sarah Collins",
        timezone="Europe/London",
        headline="Engineering manager, fintech",
        bio="Interviews engineers for London and remote teams; focuses on behaviour and design.",
        past_roles=[
            {"role": "Engineering Manager", "company": "Monzo"},
            {"role": "Tech Lead", "company": "BBC"},
        ],
        years_experience=11,
        seniority=Seniority.MANAGER,
        languages=["English"],
        interview_types=["behavioral", "system-design"],
        availability=[(day, "09:00", "12:00") for day in range(4)],
    ),
    DemoInterviewer(
        email="david@mockri.test",
        full_name="David Kim",
        timezone="America/New_York",
        headline="Senior product manager, payments",
        bio="Runs PM loops in New York and mentors career switchers into product.",
        past_roles=[
            {"role": "Senior Product Manager", "company": "Stripe"},
            {"role": "Product Manager", "company": "Spotify"},
        ],
        years_experience=10,
        seniority=Seniority.SENIOR,
        languages=["English", "Korean"],
        interview_types=["product-management", "career-chat"],
        availability=[(day, "08:00", "10:00") for day in range(5)],
    ),
]

# Staff curate these in the admin; aliases fold other spellings into one filter value.
COMPANY_ALIASES = {"Google": ["Google India", "Alphabet"], "Amazon": ["AWS", "Amazon India"]}

DEMO_CANDIDATE = {"email": "candidate@mockri.test", "full_name": "Kavya Sharma"}
DEMO_STAFF = {"email": "staff@mockri.test", "full_name": "Mockri Staff"}


def _ensure_user(*, email: str, full_name: str, **flags) -> User:
    """Create the user with the demo password once; afterwards only fix changed fields, so a
    second run neither rehashes the password nor touches an unchanged row.

    Demo people are as if they had signed up: address verified, current policy accepted.
    """
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **flags)
    _ensure_row(
        EmailAddress,
        lookup={"user": user, "email": email},
        values={"verified": True, "primary": True},
    )
    if not consent_is_current(user=user):
        consent_record(user=user, source=ConsentSource.SIGNUP_FORM)
    wanted = {"full_name": full_name, **flags}
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, wanted[name])
        user.save(update_fields=changed)
    return user


def _ensure_row(model, *, lookup: dict, values: dict):
    """update_or_create that writes nothing when the row already holds these values."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row


def _ensure_company(name: str) -> Company:
    aliases = "\n".join(COMPANY_ALIASES.get(name, []))
    return _ensure_row(
        Company, lookup={"name": name}, values={"slug": slugify(name), "aliases": aliases}
    )


def _ensure_links(related, rows: list) -> None:
    """Set a many-to-many relation only when it differs, so a second run writes nothing."""
    if set(related.values_list("pk", flat=True)) != {row.pk for row in rows}:
        related.set(rows)


def _ensure_availability(profile: InterviewerProfile, windows: list[tuple[int, str, str]]) -> None:
    wanted = {
        (day, datetime.time.fromisoformat(start), datetime.time.fromisoformat(end))
        for day, start, end in windows
    }
    existing = {
        (rule.weekday, rule.start_time, rule.end_time): rule
        for rule in profile.weekly_availability.all()
    }
    for key, rule in existing.items():
        if key not in wanted:
            rule.delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(interviewer=profile, weekday=day, start_time=start, end_time=end)
        for day, start, end in sorted(wanted - existing.keys())
    )


@transaction.atomic
def seed_demo() -> list[tuple[str, str]]:
    """Create or update the demo data. Returns (role, email) for every demo login."""
    types = {
        spec["slug"]: _ensure_row(
            InterviewType,
            lookup={"slug": spec["slug"]},
            values={key: value for key, value in spec.items() if key != "slug"},
        )
        for spec in INTERVIEW_TYPES
    }
    logins = []
    for spec in INTERVIEWERS:
        user = _ensure_user(
            email=spec.email, full_name=spec.full_name, timezone=spec.timezone, is_interviewer=True
        )
        profile = _ensure_row(
            InterviewerProfile,
            lookup={"user": user},
            values={
                "slug": spec.full_name.split()[0].lower(),
                "display_name": spec.full_name,
                "headline": spec.headline,
                "bio": spec.bio,
                "past_roles": spec.past_roles,
                "seniority": spec.seniority,
                "years_experience": spec.years_experience,
                "is_listed": True,
            },
        )
        wanted_types = {types[slug].pk for slug in spec.interview_types}
        if set(profile.interview_types.values_list("pk", flat=True)) != wanted_types:
            profile.interview_types.set(wanted_types)
        _ensure_links(profile.companies, [_ensure_company(r["company"]) for r in spec.past_roles])
        _ensure_links(
            profile.languages,
            [
                _ensure_row(Language, lookup={"name": name}, values={"slug": slugify(name)})
                for name in spec.languages
            ],
        )
        _ensure_availability(profile, spec.availability)
        if profile.went_live_at is None:  # demo interviewers have completed onboarding
            profile.went_live_at = timezone.now()
            profile.save(update_fields=["went_live_at"])
        logins.append((f"interviewer ({spec.timezone})", spec.email))

    _ensure_user(**DEMO_CANDIDATE)
    _ensure_user(**DEMO_STAFF, is_staff=True, is_superuser=True)
    return [("candidate", DEMO_CANDIDATE["email"]), ("staff", DEMO_STAFF["email"]), *logins]
