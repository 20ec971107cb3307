import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from mockri.accounts.models import User


def test_email_is_the_login_identifier_and_is_stored_lower_case(db):
    user = User.objects.create_user(
        "  Kavya.Sharma@Example.COM ", "a long passphrase", full_name="K"
    )

    assert user.email == "kavya.sharma@example.com"
    assert authenticate(username="KAVYA.sharma@example.com", password="a long passphrase") == user


def test_a_case_variant_of_an_existing_email_cannot_sign_up_again(db):
    User.objects.create_user("kavya@example.com", "a long passphrase", full_name="Kavya")

    with pytest.raises((ValidationError, IntegrityError)):
        User.objects.create_user("KAVYA@example.com", "another passphrase", full_name="Kavya 2")


def test_new_users_are_candidates_in_india_by_default(db):
    user = User.objects.create_user("kavya@example.com", "a long passphrase", full_name="Kavya")

    assert (user.is_interviewer, user.is_staff, user.is_superuser) == (False, False, False)
    assert user.timezone == "Asia/Kolkata"


def test_an_unknown_timezone_is_rejected(db):
    with pytest.raises(ValidationError, match="is not a time zone name"):
        User.objects.create_user(
            "kavya@example.com", "a long passphrase", full_name="Kavya", timezone="Mars/Olympus"
        )

    assert not User.objects.exists()


def test_long_and_non_ascii_passwords_are_hashed_with_bcrypt_sha256(db, real_hashers):
    long_password = "पासवर्ड-" + "x" * 120  # well over bcrypt's 72-byte limit
    user = User.objects.create_user("kavya@example.com", long_password, full_name="Kavya")

    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password(long_password)
    assert not user.check_password(long_password[:-1] + "y")
