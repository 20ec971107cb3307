import datetime
import uuid

from django import forms

from mockri.lib.dates import BoundedDateTimeField

from .enums import FileKind, NoShowSide
from .services import NewFile
from .uploads import JOB_DESCRIPTION_TYPES, RESUME_TYPES, check_upload

JOB_DESCRIPTION_MAX_CHARS = 20_000


class BookingForm(forms.Form):
    """The details step: what the interviewer needs to tailor the session."""

    starts_at = BoundedDateTimeField(widget=forms.HiddenInput)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    job_description_text = forms.CharField(
        label="Paste the job description",
        required=False,
        max_length=JOB_DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    job_description_file = forms.FileField(
        label="…or upload it",
        required=False,
        help_text="PDF, Word (DOCX) or plain text, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt"}),
    )
    resume = forms.FileField(
        label="Your resume",
        help_text=(
            "PDF or Word (DOCX), up to 5 MB. Only your interviewer and Mockri staff can open it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    target_company = forms.CharField(label="Target company", required=False, max_length=120)
    focus_areas = forms.CharField(
        label="Anything to focus on?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: graphs and DP, or leadership stories.",
    )

    def __init__(self, *args, starts_at: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if starts_at:
                self.initial.setdefault("starts_at", starts_at)

    def submitted_start(self) -> datetime.datetime | None:
        """The posted start, even when other fields have errors, so the page can show it."""
        try:
            return self.fields["starts_at"].clean(self.data.get("starts_at"))
        except forms.ValidationError:
            return None

    def clean_job_description_text(self) -> str:
        return self.cleaned_data["job_description_text"].strip()

    def clean_job_description_file(self):
        uploaded = self.cleaned_data.get("job_description_file")
        if uploaded:
            self.job_description_check = check_upload(
                uploaded, allowed=JOB_DESCRIPTION_TYPES, what="job description"
            )
        return uploaded

    def clean_resume(self):
        uploaded = self.cleaned_data["resume"]
        self.resume_check = check_upload(uploaded, allowed=RESUME_TYPES, what="resume")
        return uploaded

    def clean(self):
        cleaned = super().clean()
        has_text = bool(cleaned.get("job_description_text"))
        has_file = bool(cleaned.get("job_description_file"))
        if not has_text and not has_file and "job_description_file" not in self.errors:
            self.add_error(
                "job_description_text",
                "Paste the job description or upload it, so your interviewer can tailor "
                "the session.",
            )
        return cleaned

    def new_files(self) -> list[NewFile]:
        files = [NewFile(FileKind.RESUME, self.cleaned_data["resume"], self.resume_check)]
        if self.cleaned_data.get("job_description_file"):
            files.append(
                NewFile(
                    FileKind.JOB_DESCRIPTION,
                    self.cleaned_data["job_description_file"],
                    self.job_description_check,
                )
            )
        return files


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional for candidates; it helps us improve.",
    )


class RescheduleForm(forms.Form):
    starts_at = BoundedDateTimeField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            ("completed", "The session took place"),
            (NoShowSide.CANDIDATE, NoShowSide.CANDIDATE.label),
            (NoShowSide.INTERVIEWER, NoShowSide.INTERVIEWER.label),
        ],
        widget=forms.RadioSelect,
    )


class ReassignForm(forms.Form):
    interviewer = forms.ModelChoiceField(queryset=None, label="New interviewer")

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = booking.interview_type.interviewers.exclude(
            pk=booking.interviewer_id
        )


class ReplaceFileForm(forms.Form):
    kind = forms.ChoiceField(choices=FileKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label="New file")

    def clean(self):
        cleaned = super().clean()
        uploaded, kind = cleaned.get("file"), cleaned.get("kind")
        if uploaded and kind:
            allowed = RESUME_TYPES if kind == FileKind.RESUME else JOB_DESCRIPTION_TYPES
            what = "resume" if kind == FileKind.RESUME else "job description"
            try:
                self.checked = check_upload(uploaded, allowed=allowed, what=what)
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def new_file(self) -> NewFile:
        return NewFile(self.cleaned_data["kind"], self.cleaned_data["file"], self.checked)
