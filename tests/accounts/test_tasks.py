import pytest
import responses

from mockri.accounts.tasks import user_avatar_fetch_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PICTURE = "https://lh3.googleusercontent.com/a/ACg8ocKavya=s96-c"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@responses.activate
def test_the_google_profile_image_is_copied_into_private_storage(private_storage):
    user = UserFactory(avatar_url=PICTURE)
    responses.get(PICTURE, body=PNG, content_type="image/png")

    user_avatar_fetch_task.call(user_id=user.pk)

    user.refresh_from_db()
    assert user.avatar_content_type == "image/png"
    assert user.avatar.read() == PNG
    assert (private_storage / user.avatar.name).stat().st_mode & 0o777 == 0o600


@responses.activate
def test_an_image_url_outside_google_is_never_fetched():
    user = UserFactory(avatar_url="https://169.254.169.254/latest/meta-data/")

    user_avatar_fetch_task.call(user_id=user.pk)

    user.refresh_from_db()
    assert not user.avatar
    assert len(responses.calls) == 0


@responses.activate
def test_something_that_is_not_an_image_is_not_stored():
    user = UserFactory(avatar_url=PICTURE)
    responses.get(PICTURE, body=b"<html>not an image</html>", content_type="image/png")

    user_avatar_fetch_task.call(user_id=user.pk)

    user.refresh_from_db()
    assert not user.avatar


@responses.activate
def test_google_being_down_leaves_the_user_without_an_image():
    user = UserFactory(avatar_url=PICTURE)
    responses.get(PICTURE, status=503)

    user_avatar_fetch_task.call(user_id=user.pk)

    user.refresh_from_db()
    assert not user.avatar
