import pytest
from django.core.exceptions import ImproperlyConfigured

from mockri.lib.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(("raw", "expected"), [("True", True), ("1", True), ("false", False)])
def test_env_bool_reads_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", not expected) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "yes please")

    with pytest.raises(ImproperlyConfigured, match="FLAG must be True or False"):
        env_bool("FLAG", False)


def test_env_bool_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.setenv("FLAG", "")

    assert env_bool("FLAG", True) is True
    assert env_bool("UNSET_FLAG", False) is False


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("PORT", "eighty")

    with pytest.raises(ImproperlyConfigured, match="PORT must be a whole number"):
        env_int("PORT", 80, minimum=1, maximum=65535)


@pytest.mark.parametrize("raw", ["0", "-5", "99999999999999"])
def test_env_int_rejects_numbers_outside_its_bounds(monkeypatch, raw):
    monkeypatch.setenv("HOLD", raw)

    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("HOLD", 15, minimum=1, maximum=1440)

    assert str(refused.value) == f"HOLD must be from 1 to 1440, not {int(raw)}"


def test_env_int_reads_a_number_within_its_bounds(monkeypatch):
    monkeypatch.setenv("HOLD", "1440")

    assert env_int("HOLD", 15, minimum=1, maximum=1440) == 1440


def test_env_str_reads_a_secret_from_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("API_KEY", "from-the-environment")
    monkeypatch.setenv("API_KEY_FILE", str(secret))

    assert env_str("API_KEY") == "from-a-file"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " mockri.com, ,www.mockri.com ")

    assert env_list("HOSTS") == ["mockri.com", "www.mockri.com"]
