"""The staff metrics page, /console/metrics/: figures over the last 7, 30 or 90 days."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking
from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.coupons.services import coupon_apply
from mockri.operations.selectors import ATTENTION_KINDS, DayCount, metrics_period, metrics_summary
from mockri.packs.models import PackPurchase
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment, Refund
from mockri.payments.services import payment_order_for, payment_record
from tests.factories import InterviewerProfileFactory, PackFactory, UserFactory
from tests.fixtures import NOW, past_session

pytestmark = pytest.mark.django_db

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
URL = reverse("operations:metrics")


def ist(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=IST)


def session(*, created_at, **fields) -> Booking:
    booking = past_session(**fields)
    Booking.objects.filter(pk=booking.pk).update(created_at=created_at)
    return booking


def captured(booking, *, at, amount_paise=199_900, status=PaymentStatus.CAPTURED) -> Payment:
    return Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref=f"order_{booking.pk}_{at:%m%d}",
        amount_paise=amount_paise,
        status=status,
        captured_at=at,
    )


def refund(payment, *, at, amount_paise=199_900, status=RefundStatus.PROCESSED) -> Refund:
    made = Refund.objects.create(
        payment=payment,
        idempotency_key=f"refund_{payment.pk}_{at:%m%d}_{status}",
        amount_paise=amount_paise,
        status=status,
    )
    Refund.objects.filter(pk=made.pk).update(created_at=at)
    return made


@pytest.fixture
def history(now, candidate, other_candidate, profile, other_profile, paid_type, free_type):
    """Today is Tuesday 1 December 2026, 09:00 in India. The last 30 days start on 2 November,
    the last 7 on 25 November."""
    paid_type.interviewers.add(other_profile)
    ananya, sarah = profile, other_profile
    done = session(
        candidate=candidate, interviewer=ananya, interview_type=paid_type,
        starts_at=ist(25), created_at=ist(20, 12),
    )  # fmt: skip
    # 00:30 on 21 November in India is still 20 November in UTC: counted on the 21st.
    session(
        candidate=other_candidate, interviewer=ananya, interview_type=free_type,
        starts_at=ist(26), created_at=ist(21, 0, 30),
    )  # fmt: skip
    missed = session(
        candidate=candidate, interviewer=sarah, interview_type=paid_type,
        starts_at=ist(27), created_at=ist(21, 10), status=BookingStatus.NO_SHOW,
    )  # fmt: skip
    Booking.objects.filter(pk=missed.pk).update(no_show_side=NoShowSide.CANDIDATE)
    cancelled = session(
        candidate=candidate, interviewer=ananya, interview_type=paid_type,
        starts_at=ist(28), created_at=ist(22, 9), status=BookingStatus.CANCELLED,
    )  # fmt: skip
    Booking.objects.filter(pk=cancelled.pk).update(refund_decision=RefundDecision.FULL)
    # Cancelled while awaiting payment: never a firm session, so not due.
    session(
        candidate=other_candidate, interviewer=ananya, interview_type=paid_type,
        starts_at=ist(29), created_at=ist(22, 10), status=BookingStatus.CANCELLED,
    )  # fmt: skip
    session(
        candidate=other_candidate, interviewer=sarah, interview_type=paid_type,
        starts_at=ist(30), created_at=ist(22, 11), status=BookingStatus.CONFIRMED,
    )  # fmt: skip
    # Outside the last 30 days, inside the last 90.
    old = session(
        candidate=candidate, interviewer=ananya, interview_type=paid_type,
        starts_at=ist(1, month=10), created_at=ist(25, month=9),
    )  # fmt: skip
    # Today: one confirmed for tomorrow, one hold that ran out unpaid.
    session(
        candidate=candidate, interviewer=ananya, interview_type=free_type,
        starts_at=ist(2, month=12), created_at=NOW, status=BookingStatus.CONFIRMED,
    )  # fmt: skip
    session(
        candidate=other_candidate, interviewer=sarah, interview_type=paid_type,
        starts_at=ist(3, month=12), created_at=NOW, status=BookingStatus.EXPIRED,
    )  # fmt: skip

    paid = captured(done, at=ist(20, 12, 5))
    refund(paid, at=ist(28), amount_paise=50_000, status=RefundStatus.PENDING)  # not processed
    cancelled_payment = captured(cancelled, at=ist(22, 9, 5), status=PaymentStatus.REFUNDED)
    refund(cancelled_payment, at=ist(27))
    captured(old, at=ist(25, 10, month=9))
    Payment.objects.create(
        booking=missed, gateway="test", order_ref="order_failed", amount_paise=199_900,
        status=PaymentStatus.FAILED,
    )  # fmt: skip
    return {"ananya": ananya, "sarah": sarah}


def test_the_period_is_the_last_days_in_india_today_included():
    period = metrics_period(days=7, now=NOW)

    assert period.first_day == datetime.date(2026, 11, 25)
    assert period.last_day == datetime.date(2026, 12, 1)
    assert period.starts_at == datetime.datetime(2026, 11, 24, 18, 30, tzinfo=datetime.UTC)
    assert period.ends_at == NOW


def test_bookings_per_day_are_counted_on_india_days_empty_days_included(history):
    per_day = metrics_summary(days=30).bookings_per_day

    assert len(per_day) == 30
    assert per_day[0] == DayCount(datetime.date(2026, 11, 2), 0)
    assert per_day[-1] == DayCount(datetime.date(2026, 12, 1), 2)
    assert {row.day.day: row.bookings for row in per_day if row.bookings} == {
        20: 1,
        21: 2,
        22: 3,
        1: 2,
    }


def test_revenue_is_payments_captured_less_refunds_processed_in_the_period(history):
    revenue = metrics_summary(days=30).revenue

    assert revenue.captured_paise == 399_800
    assert revenue.refunded_paise == 199_900
    assert revenue.net_display == "₹1,999"


def test_revenue_is_split_between_single_sessions_and_packs(history, candidate, paid_type):
    pack = PackFactory(interview_types=[paid_type], price_paise=300_000)
    purchase = PackPurchase.objects.create(
        candidate=candidate, pack=pack, sessions=3, price_paise=300_000, validity_days=60
    )
    bought = Payment.objects.create(
        pack_purchase=purchase,
        gateway="test",
        order_ref="order_pack",
        amount_paise=300_000,
        status=PaymentStatus.PARTIALLY_REFUNDED,
        captured_at=ist(20),
    )
    refund(bought, at=ist(25), amount_paise=100_000)

    revenue = metrics_summary(days=30).revenue

    assert (revenue.captured_paise, revenue.refunded_paise) == (699_800, 299_900)
    assert (revenue.sessions_captured_paise, revenue.sessions_refunded_paise) == (399_800, 199_900)
    assert (revenue.packs_captured_paise, revenue.packs_refunded_paise) == (300_000, 100_000)
    assert (revenue.sessions_net_display, revenue.packs_net_display) == ("₹1,999", "₹2,000")


def test_revenue_is_negative_when_refunds_of_earlier_payments_outweigh_new_ones(history):
    revenue = metrics_summary(days=7).revenue

    assert (revenue.captured_paise, revenue.refunded_paise) == (0, 199_900)
    assert revenue.net_display == "−₹1,999"


def test_rates_are_of_confirmed_sessions_whose_start_fell_in_the_period(history):
    outcomes = metrics_summary(days=30).outcomes

    assert outcomes.due == 5
    assert (outcomes.completed, outcomes.cancelled, outcomes.no_show) == (2, 1, 1)
    assert (outcomes.no_show_candidate, outcomes.no_show_interviewer) == (1, 0)
    assert outcomes.not_marked == 1
    assert outcomes.cancellation_percent == 20.0
    assert outcomes.no_show_percent == 20.0


def test_rates_over_a_period_with_no_sessions_due_are_not_a_number(db):
    outcomes = metrics_summary(days=7).outcomes

    assert outcomes.due == 0
    assert outcomes.cancellation_percent is None
    assert outcomes.no_show_percent is None


def test_interviewer_load_lists_the_busiest_first(history):
    InterviewerProfileFactory(is_listed=False)  # unlisted and idle: left out
    idle = InterviewerProfileFactory(display_name="Zoya Khan")  # listed and idle: a row of 0

    load = metrics_summary(days=30).interviewer_load

    assert [(p.pk, p.completed, p.no_show, p.not_marked, p.upcoming, p.sessions) for p in load] == [
        (history["ananya"].pk, 2, 0, 0, 1, 3),
        (history["sarah"].pk, 0, 1, 1, 0, 2),
        (idle.pk, 0, 0, 0, 0, 0),
    ]


def test_the_90_day_period_reaches_back_to_september(history):
    metrics = metrics_summary(days=90)

    assert metrics.bookings_total == 9
    assert metrics.revenue.captured_paise == 599_700
    assert metrics.outcomes.due == 6


# The page


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    """Signed in at the tests' fixed "now", so the session is still valid then."""
    two_factor(staff)
    client.force_login(staff)
    return client


def test_staff_see_the_figures_of_the_last_30_days_by_default(as_staff, history):
    response = as_staff.get(URL)

    assert response.status_code == 200
    assert response.context["metrics"].period.days == 30
    page = response.content.decode()
    assert "₹3,998" in page and "₹1,999" in page
    assert page.count("20%") == 2
    assert '<a href="?days=30" aria-current="page">Last 30 days</a>' in page
    assert '<meter class="metric-bar" min="0" max="3" value="2" aria-hidden="true">' in page
    assert "style=" not in page.split("<main", 1)[1]


def test_staff_choose_the_last_7_days(as_staff, history):
    response = as_staff.get(URL, {"days": "7"})

    assert response.context["metrics"].period.days == 7
    assert "−₹1,999" in response.content.decode()


@pytest.mark.parametrize("days", ["abc", "14", "0", "-7", "7.0", "", "9" * 400])
def test_a_period_not_offered_falls_back_to_30_days(as_staff, days):
    response = as_staff.get(URL, {"days": days})

    assert response.status_code == 200
    assert response.context["metrics"].period.days == 30
    assert ("is not a period we offer" in response.content.decode()) is bool(days)


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404(client, request, two_factor, who):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    assert client.get(URL).status_code == 404


def test_staff_without_two_factor_are_sent_to_set_it_up_first(client, staff):
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_console_navigation_and_the_admin_link_to_the_page(as_staff):
    menu = as_staff.get(URL).content.decode()
    admin = as_staff.get(reverse("admin:index")).content.decode()

    assert f'<a href="{URL}" aria-current="page">Metrics</a>' in menu
    assert f'<a href="{URL}">Metrics</a>' in admin


def test_the_account_menu_has_no_metrics_link_for_candidates(client, candidate):
    client.force_login(candidate)

    assert URL not in client.get(reverse("bookings:list")).content.decode()


# Queries: a constant number, however many bookings there are.

# The session with its user, two-factor check, the breach banner of the base template; the current
# period's
# six figures and its funnel (2), revenue by type, refunds and feedback times; the previous
# period's bookings per day, revenue (3: captured, refunded, coupon discounts), outcomes, funnel
# (2), revenue by type, refunds and feedback times; the console header's "needs attention" count
# (one query per kind).
QUERIES_PER_PAGE = 3 + 6 + 5 + 10 + len(ATTENTION_KINDS)


def test_the_figures_take_six_queries(history, django_assert_num_queries):
    # Bookings per day, captured, refunded, coupon discounts, outcomes, interviewer load.
    with django_assert_num_queries(6):
        metrics_summary(days=90)


@pytest.mark.parametrize("count", [1, 25])
def test_the_page_makes_the_same_queries_for_1_or_many_bookings(
    as_staff, now, candidate, profile, paid_type, django_assert_num_queries, count
):
    for n in range(count):
        done = session(
            candidate=candidate, interviewer=profile, interview_type=paid_type,
            starts_at=ist(1) + datetime.timedelta(hours=2 * n), created_at=ist(1, month=11),
        )  # fmt: skip
        captured(done, at=ist(1) + datetime.timedelta(hours=n))
    as_staff.get(URL)  # the session and consent checks settle on the first request

    with django_assert_num_queries(QUERIES_PER_PAGE):
        response = as_staff.get(URL, {"days": "90"})

    assert response.context["metrics"].bookings_total == count


def test_days_are_india_s_whatever_the_staff_member_s_own_time_zone(client, two_factor, history):
    london_staff = UserFactory(is_staff=True, timezone="Europe/London")
    two_factor(london_staff)
    client.force_login(london_staff)

    per_day = client.get(URL).context["metrics"].bookings_per_day

    assert {row.day.day: row.bookings for row in per_day if row.bookings}[21] == 2


def test_revenue_shows_the_coupon_discounts_its_captured_payments_are_already_net_of(
    now, candidate, paid_type, profile, book
):
    coupon = Coupon.objects.create(
        code="WELCOME20", kind=CouponKind.PERCENT, percent_off=20, starts_at=now
    )
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    coupon_apply(booking=booking, code=coupon.code)
    gateway = get_gateway()
    payment = payment_order_for(booking=booking, gateway=gateway)
    paid, _, _ = gateway.checkout(payment.order_ref, succeed=True)
    payment_record(info=paid)

    revenue = metrics_summary(days=7).revenue

    assert (revenue.captured_paise, revenue.coupon_discounts_paise) == (159_920, 39_980)
    assert revenue.net_display == "₹1,599.20"
