import pytest

from mockri.lib.money import format_inr


@pytest.mark.parametrize(
    ("paise", "text"),
    [
        (0, "₹0"),
        (99_900, "₹999"),
        (149_900, "₹1,499"),
        (1_234_550, "₹12,345.50"),
        (1_234_567_800, "₹1,23,45,678"),
    ],
)
def test_format_inr_groups_digits_the_indian_way(paise, text):
    assert format_inr(paise) == text
