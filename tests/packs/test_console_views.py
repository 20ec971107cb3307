"""The console's packs pages: a new pack, a pack's edit page (a sold pack keeps each
purchase's own terms), and stopping a pack's sale, all without the admin."""

import pytest
from django.urls import reverse

from mockri.packs.models import Pack
from mockri.packs.services import pack_purchase_start
from tests.factories import InterviewTypeFactory, PackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff(client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


def edit_page(pack) -> str:
    return reverse("packs:console_edit", kwargs={"pk": pack.pk})


def fields(**changes) -> dict:
    return {
        "name": "Design loop",
        "slug": "",
        "description": "Three system design rounds.",
        "sessions": "3",
        "price_rupees": "2999.50",
        "validity_days": "60",
        **changes,
    }


def test_staff_create_a_pack_in_rupees_with_its_address_made_from_the_name(as_staff, paid_type):
    response = as_staff.post(reverse("packs:console"), fields(interview_types=[paid_type.pk]))

    assert response.status_code == 302
    pack = Pack.objects.get()
    assert (pack.name, pack.slug, pack.sessions, pack.price_paise, pack.validity_days) == (
        "Design loop", "design-loop", 3, 299_950, 60,
    )  # fmt: skip
    assert (pack.is_active, list(pack.interview_types.all())) == (True, [paid_type])
    page = as_staff.get(reverse("packs:console")).content.decode()
    assert "/admin/packs/" not in page
    assert "Each purchase keeps the sessions, price and validity it was sold with" in page


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"interview_types": []}, "This field is required."),
        ({"sessions": "0"}, "A pack grants at least one session."),
        ({"price_rupees": "0.50"}, "Ensure this value is greater than or equal to 1."),
        ({"slug": "taken"}, "Another pack has this address."),
    ],
)
def test_a_pack_that_sells_nothing_or_clashes_is_refused(as_staff, paid_type, change, error):
    PackFactory(name="Taken", slug="taken")

    response = as_staff.post(
        reverse("packs:console"), fields(**{"interview_types": [paid_type.pk], **change})
    )

    assert response.status_code == 422
    assert error in response.content.decode()
    assert Pack.objects.count() == 1


def test_editing_a_sold_pack_changes_new_purchases_only(as_staff, candidate, paid_type):
    pack = PackFactory(name="Design loop", interview_types=[paid_type], price_paise=300_000)
    sold = pack_purchase_start(candidate=candidate, pack=pack)
    page = as_staff.get(edit_page(pack)).content.decode()
    assert 'value="3000.00"' in page
    assert "1 purchase started" in page

    response = as_staff.post(
        edit_page(pack),
        fields(slug=pack.slug, sessions="5", price_rupees="4500", interview_types=[paid_type.pk]),
    )

    assert response.status_code == 302
    pack.refresh_from_db()
    sold.refresh_from_db()
    assert (pack.sessions, pack.price_paise) == (5, 450_000)
    assert (sold.sessions, sold.price_paise) == (3, 300_000)


def test_a_sold_pack_can_gain_interview_types_but_not_lose_them(as_staff, candidate, paid_type):
    other_type = InterviewTypeFactory(name="Behavioural")
    pack = PackFactory(interview_types=[paid_type])
    pack_purchase_start(candidate=candidate, pack=pack)

    taken_away = as_staff.post(
        edit_page(pack), fields(slug=pack.slug, interview_types=[other_type.pk])
    )
    added = as_staff.post(
        edit_page(pack), fields(slug=pack.slug, interview_types=[paid_type.pk, other_type.pk])
    )

    assert taken_away.status_code == 422
    assert "This pack is already sold" in taken_away.content.decode()
    assert added.status_code == 302
    assert set(pack.interview_types.all()) == {paid_type, other_type}


def test_an_unsold_pack_can_change_its_types(as_staff, paid_type):
    other_type = InterviewTypeFactory(name="Behavioural")
    pack = PackFactory(interview_types=[paid_type])

    as_staff.post(edit_page(pack), fields(slug=pack.slug, interview_types=[other_type.pk]))

    assert list(pack.interview_types.all()) == [other_type]


def test_staff_stop_selling_a_pack_and_sell_it_again(as_staff, client, paid_type):
    pack = PackFactory(name="Old loop", slug="old-loop", interview_types=[paid_type])
    sale = reverse("packs:console_sale", kwargs={"pk": pack.pk})

    as_staff.post(sale, follow=True)
    pack.refresh_from_db()
    assert pack.is_active is False
    assert "Old loop" not in client.get(reverse("packs:list")).content.decode()

    as_staff.post(sale)
    pack.refresh_from_db()
    assert pack.is_active is True


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404(client, request, two_factor, paid_type, who):
    pack = PackFactory(interview_types=[paid_type])
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    answers = [
        client.get(edit_page(pack)).status_code,
        client.post(edit_page(pack), fields(interview_types=[paid_type.pk])).status_code,
        client.post(reverse("packs:console_sale", kwargs={"pk": pack.pk})).status_code,
        client.post(reverse("packs:console"), fields(interview_types=[paid_type.pk])).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    pack.refresh_from_db()
    assert (pack.is_active, Pack.objects.count()) == (True, 1)
