from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.timezone import now

from mockri.lib.tz import is_valid_timezone

DEFAULT_TIMEZONE = "Asia/Kolkata"


def validate_timezone(value: str) -> None:
    if not is_valid_timezone(value):
        raise ValidationError(f"{value!r} is not a time zone name such as Asia/Kolkata.")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=normalize_email(username))


def normalize_email(email: str) -> str:
    """Email is the login identifier: compare and store it trimmed and lower-case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Everyone is a candidate; staff grant the other roles."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    timezone = models.CharField(
        max_length=64,
        default=DEFAULT_TIMEZONE,
        validators=[validate_timezone],
        help_text="Every time shown to this person is in this IANA time zone.",
    )
    is_interviewer = models.BooleanField(
        default=False, help_text="May keep availability and run the sessions assigned to them."
    )
    is_staff = models.BooleanField(
        default=False, help_text="Operator: may use the operations console and the admin."
    )
    avatar_url = models.URLField(
        max_length=500, blank=True, help_text="The profile image Google returned at sign-in."
    )
    avatar = models.FileField(
        upload_to="avatars/",
        blank=True,
        help_text="A private copy of that image, so pages never load it from Google.",
    )
    avatar_content_type = models.CharField(max_length=32, blank=True)
    email_bounced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when our email provider reports a bounce or complaint: no more emails "
        "go to this address until the person changes or re-confirms it.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=now)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the person deleted their account: this row is then a de-identified "
        "placeholder that bookings, payments and the consent log still point to.",
    )
    inactivity_warned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When we last warned that the account would be erased for inactivity.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs) -> None:
        # Stored lower-case so that the unique index also rejects case variants of an address.
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ConsentSource(models.TextChoices):
    SIGNUP_FORM = "signup_form", "Sign-up form"
    GOOGLE = "google", "Google sign-in"
    RECONSENT = "reconsent", "Accepted a new policy version"
    INTERVIEWER_APPLICATION = "application", "Interviewer application"


class Consent(models.Model):
    """One acceptance of the privacy policy: who, which version, when and how."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    policy_version = models.CharField(max_length=32)
    accepted_at = models.DateTimeField(default=now)
    source = models.CharField(max_length=16, choices=ConsentSource.choices)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person withdrew this consent."
    )
    ip_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="Where the consent was given from (proof of consent)."
    )

    class Meta:
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["user", "policy_version"])]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.policy_version} via {self.source}"


class Session(AbstractBaseSession):
    """Django's session row, plus whose it is: the user comes with the session in one query
    (sessions.SessionStore), and signing someone out everywhere deletes their rows by it."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore  # noqa: PLC0415 — the store imports this model

        return SessionStore
