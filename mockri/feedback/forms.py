from django import forms

from .enums import HIRE_SIGNAL_MEANINGS, HireSignal, Score, Stars
from .models import COMMENT_MAX_CHARS, STRENGTHS_MAX_CHARS, Feedback

SCORE_PREFIX = "score__"


class ScorecardForm(forms.Form):
    """The interviewer's scorecard: a 1-4 radio group per criterion (given by the interview
    type, or by the scorecard being corrected), the written parts and the hire signal."""

    hire_signal = forms.ChoiceField(
        label="Overall: if this had been the real round, what would you recommend?",
        choices=[(s.value, f"{s.label}: {HIRE_SIGNAL_MEANINGS[s]}") for s in HireSignal],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose an overall hire signal."},
    )
    strengths = forms.CharField(
        label="Strengths",
        max_length=STRENGTHS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What went well, with examples from the session.",
        error_messages={"required": "Please write what the candidate did well."},
    )
    areas_to_improve = forms.CharField(
        label="Areas to improve",
        max_length=STRENGTHS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Concrete next steps the candidate can practise, one per line.",
        error_messages={"required": "Please write what the candidate should work on."},
    )

    def __init__(self, *args, criteria: list[dict], feedback: Feedback | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = {s.criterion: s.score for s in feedback.scores.all()} if feedback else {}
        criterion_fields = {}
        for criterion in criteria:
            criterion_fields[SCORE_PREFIX + criterion["key"]] = forms.TypedChoiceField(
                label=criterion["label"],
                help_text=criterion.get("hint", ""),
                choices=[(s.value, f"{s.value} · {s.label}") for s in Score],
                coerce=int,
                widget=forms.RadioSelect,
                initial=scores.get(criterion["key"]),
                error_messages={"required": f"Please score {criterion['label']}."},
            )
        # The criteria come first, as the interviewer scores them during the session.
        self.fields = {**criterion_fields, **self.fields}
        if feedback is not None:
            for name in ("hire_signal", "strengths", "areas_to_improve"):
                self.fields[name].initial = getattr(feedback, name)

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(SCORE_PREFIX)]

    def scorecard(self) -> dict:
        """The cleaned scorecard, as the services take it."""
        data = self.cleaned_data
        return {
            "scores": {c["key"]: data[SCORE_PREFIX + c["key"]] for c in self.criteria},
            "hire_signal": data["hire_signal"],
            "strengths": data["strengths"],
            "areas_to_improve": data["areas_to_improve"],
        }


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Your rating",
        choices=[(s.value, f"{s.value} – {s.label}") for s in Stars],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a rating from 1 to 5."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Your interviewer sees your rating and comment once your feedback is "
        "written; their public profile shows only the average rating.",
    )
