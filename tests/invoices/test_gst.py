import datetime
from decimal import Decimal

import pytest

from mockri.invoices.gst import financial_year, gstin_problem, tax_split


@pytest.mark.parametrize("gstin", ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "32ABCDE1234F1Z9"])
def test_valid_gstins_pass(gstin):
    assert gstin_problem(gstin) == ""


@pytest.mark.parametrize(
    ("gstin", "problem"),
    [
        ("27AAPFU0939F1ZW", "last character does not match"),
        ("27AAPFU0939F1Z", "15 characters"),
        ("27AAPFU0939F1XV", "15 characters"),
        ("99AAPFU0939F1ZV", "99 is not a state code."),
    ],
)
def test_invalid_gstins_say_why(gstin, problem):
    assert problem in gstin_problem(gstin)


def test_within_the_suppliers_state_gst_is_half_central_half_state():
    split = tax_split(
        total_paise=159_920, rate_percent=Decimal(18), supplier_state="32", place_of_supply="32"
    )

    # 159,920 * 9 / 118 = 12,197.29 → 12,197 each; the taxable value takes the rest.
    assert (split.taxable_paise, split.cgst_paise, split.sgst_paise, split.igst_paise) == (
        135_526,
        12_197,
        12_197,
        0,
    )
    assert split.total_paise == 159_920


def test_to_another_state_it_is_integrated_gst():
    split = tax_split(
        total_paise=199_900, rate_percent=Decimal(18), supplier_state="32", place_of_supply="29"
    )

    # 199,900 * 18 / 118 = 30,493.2 → 30,493.
    assert (split.taxable_paise, split.cgst_paise, split.sgst_paise, split.igst_paise) == (
        169_407,
        0,
        0,
        30_493,
    )


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 3, 31), "2025-26"),
        (datetime.date(2026, 4, 1), "2026-27"),
        (datetime.date(2026, 12, 1), "2026-27"),
        (datetime.date(2099, 4, 1), "2099-00"),
    ],
)
def test_the_financial_year_runs_april_to_march(day, year):
    assert financial_year(day) == year
