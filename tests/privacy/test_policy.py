from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from mockri.privacy.policy import POLICY_PATH, current_policy, parse_policy

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "privacy-policy.txt"


class TextByTag(HTMLParser):
    """Collects the text of every h1, h2, p and li element, tags inside them removed."""

    TAGS = {"h1", "h2", "p", "li"}

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._stack: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self._stack.append((tag, []))

    def handle_endtag(self, tag):
        if self._stack and tag == self._stack[-1][0]:
            name, parts = self._stack.pop()
            self.found.append((name, " ".join("".join(parts).split())))

    def handle_data(self, data):
        for _, parts in self._stack:
            parts.append(data)


def page_text(html: str) -> list[tuple[str, str]]:
    parser = TextByTag()
    parser.feed(html)
    return parser.found


def seed_lines() -> list[str]:
    return [line.strip() for line in POLICY_PATH.read_text().splitlines() if line.strip()]


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/ is not beside this checkout")
def test_the_policy_shipped_is_the_operators_text_byte_for_byte():
    assert POLICY_PATH.read_bytes() == SHARED_SEED.read_bytes()


def test_the_policy_page_has_every_heading_paragraph_and_list_item_word_for_word(client):
    response = client.get(reverse("privacy:policy"))
    found = page_text(response.content.decode())

    assert response.status_code == 200
    title, updated, *body = seed_lines()
    assert ("h1", title) in found
    assert any(tag == "p" and updated in text for tag, text in found)
    for line in body:
        if line.startswith("- "):
            assert ("li", line.removeprefix("- ")) in found, line
        else:
            assert ("p", line) in found or ("h2", line) in found, line


def test_the_policy_is_structured_into_sections_and_lists():
    policy = current_policy()

    assert [section.heading for section in policy.sections] == [
        "Overview",
        "Data we collect",
        "Why we use it",
        "Service providers we share data with",
        "Data retention",
        "Your rights",
        "Security",
        "Children",
        "Changes and grievances",
    ]
    providers = policy.sections[3]
    assert [block.kind for block in providers.blocks] == ["paragraph", "list", "paragraph"]
    assert len(providers.blocks[1].lines) == 7


def test_the_policy_page_shows_its_last_updated_date_and_version(client, settings):
    settings.PRIVACY_POLICY_VERSION = "2026-05-16"

    page = client.get(reverse("privacy:policy")).content.decode()

    assert 'datetime="2026-05-16"' in page
    assert "Last updated: 16 May 2026" in page
    assert "Version 2026-05-16" in page


def test_the_policy_links_its_email_address_and_the_contact_page(client):
    page = client.get(reverse("privacy:policy")).content.decode()

    assert '<a href="mailto:hello@mockri.com">hello@mockri.com</a>' in page
    assert f'<a href="{reverse("pages:contact")}">Contact page</a>' in page


def test_a_policy_without_its_last_updated_line_is_refused():
    with pytest.raises(ValueError, match="Last updated"):
        parse_policy("Privacy Policy\nOverview\nSome text.")
