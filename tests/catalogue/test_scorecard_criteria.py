"""Each interview type says what its scorecard scores; staff edit it in the admin."""

import pytest
from django.core.exceptions import ValidationError

from mockri.catalogue.demo import INTERVIEW_TYPES
from mockri.catalogue.models import validate_scorecard_criteria


def test_every_demo_type_has_valid_criteria():
    for spec in INTERVIEW_TYPES:
        validate_scorecard_criteria(spec["scorecard_criteria"])
        assert spec["scorecard_criteria"], spec["slug"]


def test_the_coding_round_scores_problem_solving_code_quality_and_communication():
    (coding,) = [spec for spec in INTERVIEW_TYPES if spec["slug"] == "coding-dsa"]

    assert {"problem_solving", "code_quality", "communication"} <= {
        criterion["key"] for criterion in coding["scorecard_criteria"]
    }


def test_no_criteria_is_allowed():
    validate_scorecard_criteria([])


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"key": "x"}, "as a list"),
        (["Communication"], "Each criterion is"),
        ([{"key": "Problem Solving", "label": "Problem solving"}], "not a valid key"),
        ([{"key": "a", "label": "A"}, {"key": "a", "label": "B"}], "appears twice"),
        ([{"key": "a", "label": " "}], "needs a label"),
        ([{"key": "a", "label": "A", "hint": "x" * 201}], "up to 200"),
        ([{"key": "a", "label": "A", "weight": 2}], "Each criterion is"),
        ([{"key": f"c{n}", "label": "C"} for n in range(9)], "at most 8"),
    ],
)
def test_bad_criteria_get_a_clear_error(criteria, message):
    with pytest.raises(ValidationError, match=message):
        validate_scorecard_criteria(criteria)
