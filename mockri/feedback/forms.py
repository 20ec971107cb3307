from django import forms
from django.utils.html import format_html

from .enums import HIRE_SIGNAL_MEANINGS, HireSignal, Score, Stars
from .models import COMMENT_MAX_CHARS, REPLY_MAX_CHARS, STRENGTHS_MAX_CHARS, Feedback, FocusSkill
from .skills import FOCUS_SKILLS_MAX, LABEL_MAX_CHARS

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
        "written; their public profile shows the average rating.",
    )
    publish = forms.BooleanField(
        label="Publish my comment on the interviewer's profile",
        required=False,
        help_text="Shown with your first name and initial after Mockri staff check it. Untick "
        "to withdraw it at any time.",
    )

    def __init__(self, *args, author_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if author_name:
            # Escaped here: the field template marks help text safe.
            self.fields["publish"].help_text = format_html(
                "Shown as “{}” after Mockri staff check it. Untick to withdraw it at any time.",
                author_name,
            )


def rating_initial(rating) -> dict | None:
    """The rating form's values for an existing rating (publish is ticked while a review of
    it exists)."""
    if rating is None:
        return None
    has_review = hasattr(rating, "review")
    return {"score": rating.score, "comment": rating.comment, "publish": has_review}


class _SkillLabels(forms.MultipleChoiceField):
    """Suggested skills ticked by the interviewer. Any short label is accepted, so a posted
    form never needs the job description read again; the service checks each label."""

    def valid_value(self, value) -> bool:
        return 0 < len(value) <= LABEL_MAX_CHARS


class FocusSkillsForm(forms.Form):
    """Up to three focus skills: ticked from the suggestions, or written."""

    suggested = _SkillLabels(
        label="Suggested from the job description",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, suggestions: list[str], chosen: list[FocusSkill], **kwargs):
        super().__init__(*args, **kwargs)
        chosen_labels = [skill.label for skill in chosen]
        self.fields["suggested"].choices = [(label, label) for label in suggestions]
        suggested = [label for label in chosen_labels if label in suggestions]
        self.fields["suggested"].initial = suggested
        written = [label for label in chosen_labels if label not in suggestions]
        for index in range(FOCUS_SKILLS_MAX):
            self.fields[f"written_{index}"] = forms.CharField(
                label=f"Your own skill {index + 1}",
                required=False,
                max_length=LABEL_MAX_CHARS,
                initial=written[index] if index < len(written) else "",
            )

    def written_fields(self) -> list[forms.BoundField]:
        return [self[f"written_{index}"] for index in range(FOCUS_SKILLS_MAX)]

    def clean(self):
        data = super().clean()
        labels = [*data.get("suggested", []), *self.written(data)]
        if len({label.strip().lower() for label in labels if label.strip()}) > FOCUS_SKILLS_MAX:
            raise forms.ValidationError(
                f"Please choose at most {FOCUS_SKILLS_MAX} focus skills in all."
            )
        return data

    @staticmethod
    def written(data: dict) -> list[str]:
        return [data.get(f"written_{index}", "") for index in range(FOCUS_SKILLS_MAX)]

    def labels(self) -> list[str]:
        return [*self.cleaned_data["suggested"], *self.written(self.cleaned_data)]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply",
        max_length=REPLY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the review on your profile. You can reply once.",
        error_messages={"required": "Please write your reply."},
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", "Publish"), ("decline", "Decline")])
