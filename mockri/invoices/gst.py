"""India's GST arithmetic and identifiers, with no database: states and their GST codes, GSTIN
checks, and the split of a GST-inclusive amount into taxable value and CGST+SGST or IGST."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The state codes GSTINs and invoices use (CBIC's list), by code.
STATES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
    "97": "Other Territory",
}
STATE_CHOICES = sorted(((code, name) for code, name in STATES.items()), key=lambda c: c[1])

_GSTIN = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin_check_character(first_14: str) -> str:
    """The 15th character of a GSTIN: the Luhn mod 36 check over the first 14."""
    total = 0
    for position, character in enumerate(first_14):
        product = _BASE36.index(character) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return _BASE36[(36 - total % 36) % 36]


def gstin_problem(gstin: str) -> str:
    """Why `gstin` is not a valid GSTIN, or "" when it is (upper case expected)."""
    if not _GSTIN.match(gstin):
        return (
            "A GSTIN has 15 characters: the state code, the PAN, then three more "
            "(e.g. 32ABCDE1234F1Z9)."
        )
    if gstin[:2] not in STATES:
        return f"{gstin[:2]} is not a state code."
    if gstin_check_character(gstin[:14]) != gstin[14]:
        return "That GSTIN's last character does not match the rest: please check for a typo."
    return ""


@dataclass(frozen=True)
class TaxSplit:
    taxable_paise: int
    cgst_paise: int
    sgst_paise: int
    igst_paise: int

    @property
    def total_paise(self) -> int:
        return self.taxable_paise + self.cgst_paise + self.sgst_paise + self.igst_paise

    @property
    def is_intra_state(self) -> bool:
        return self.igst_paise == 0 and self.cgst_paise > 0


def _share(amount_paise: int, rate_percent: Decimal, gross_percent: Decimal) -> int:
    exact = Decimal(amount_paise) * rate_percent / gross_percent
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_split(
    *, total_paise: int, rate_percent: Decimal, supplier_state: str, place_of_supply: str
) -> TaxSplit:
    """Split a GST-inclusive `total_paise` (Mockri's prices include GST): within the supplier's
    state, CGST and SGST at half the rate each; to another state, IGST at the whole rate (IGST
    Act s.7-8). Rounded to the paisa; the taxable value takes what rounding leaves, so the
    parts always add up to the total."""
    gross = Decimal(100) + rate_percent
    if place_of_supply == supplier_state:
        half = _share(total_paise, rate_percent / 2, gross)
        return TaxSplit(total_paise - 2 * half, half, half, 0)
    igst = _share(total_paise, rate_percent, gross)
    return TaxSplit(total_paise - igst, 0, 0, igst)


def financial_year(day) -> str:
    """India's financial year (April to March) of a date, as on invoices: 2026-27."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
