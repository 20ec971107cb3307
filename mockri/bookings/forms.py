import datetime
import uuid

from django import forms
from django.utils import timezone

from mockri.lib.dates import BoundedDateTimeField

from .enums import FileKind, NoShowSide
from .services import NewFile
from .upload_services import upload_for_form
from .uploads import check_upload_of_kind

JOB_DESCRIPTION_MAX_CHARS = 20_000


def upload_upload_field() -> forms.CharField:
    """The token of a file sent in parts beforehand (upload_services), posted instead of it by
    the forms' script."""
    return forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


def file_or_upload(form: forms.Form, *, kind: str, field: str, upload_field: str):
    """The NewFile a form passes on for `field`: from the owner's completed upload when its token
    was posted, else from the file posted with the form; checked alike either way. None when
    neither came."""
    if token := form.cleaned_data.get(upload_field):
        upload, uploaded, checked = upload_for_form(
            owner=form.owner, token=token, kind=kind, now=timezone.now()
        )
        return NewFile(kind, uploaded, checked, upload_id=upload.pk)
    if uploaded := form.cleaned_data.get(field):
        return NewFile(kind, uploaded, check_upload_of_kind(uploaded, kind=kind))
    return None


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
    # Each token field comes before its file field, whose clean method reads it.
    job_description_upload = upload_upload_field()
    job_description_file = forms.FileField(
        label="…or upload it",
        required=False,
        help_text="PDF, Word (DOCX) or plain text, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt"}),
    )
    resume_upload = upload_upload_field()
    resume = forms.FileField(
        label="Your resume",
        required=False,  # a file or resume_upload: clean_resume
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

    def __init__(self, *args, owner, starts_at: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.resume_new = self.job_description_new = None
        for field, kind, upload_field in (
            ("resume", FileKind.RESUME, "resume_upload"),
            ("job_description_file", FileKind.JOB_DESCRIPTION, "job_description_upload"),
        ):
            # For the script that sends the file in parts and posts its token instead.
            self.fields[field].widget.attrs.update(
                {"data-upload-kind": kind, "data-upload-token": upload_field}
            )
        if not self.data.get("resume_upload"):
            self.fields["resume"].widget.attrs["required"] = True
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
        self.job_description_new = file_or_upload(
            self,
            kind=FileKind.JOB_DESCRIPTION,
            field="job_description_file",
            upload_field="job_description_upload",
        )
        return self.cleaned_data.get("job_description_file")

    def clean_resume(self):
        self.resume_new = file_or_upload(
            self, kind=FileKind.RESUME, field="resume", upload_field="resume_upload"
        )
        if self.resume_new is None:
            raise forms.ValidationError(self.fields["resume"].error_messages["required"])
        return self.cleaned_data.get("resume")

    def clean(self):
        cleaned = super().clean()
        has_text = bool(cleaned.get("job_description_text"))
        has_file = self.job_description_new is not None
        if not has_text and not has_file and "job_description_file" not in self.errors:
            self.add_error(
                "job_description_text",
                "Paste the job description or upload it, so your interviewer can tailor "
                "the session.",
            )
        return cleaned

    def new_files(self) -> list[NewFile]:
        return [new for new in (self.resume_new, self.job_description_new) if new]

    def kept_uploads(self) -> dict[str, str]:
        """Files sent in parts that this form, coming back with a problem, still holds: field →
        the file's name. Their tokens go back in the page, so they need not be sent again."""
        kept = {"resume": self.resume_new, "job_description_file": self.job_description_new}
        return {
            field: new.checked.display_name for field, new in kept.items() if new and new.upload_id
        }


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
    upload = upload_upload_field()
    file = forms.FileField(label="New file", required=False)  # a file or `upload`

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean(self):
        cleaned = super().clean()
        if kind := cleaned.get("kind"):
            try:
                self.new = file_or_upload(self, kind=kind, field="file", upload_field="upload")
            except forms.ValidationError as error:
                self.add_error("file", error)
            else:
                if self.new is None:
                    self.add_error("file", "Please choose a file.")
        return cleaned

    def new_file(self) -> NewFile:
        return self.new
