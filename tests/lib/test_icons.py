"""The {% icon %} tag: every icon a template names is drawn, and draws as the same markup."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from mockri.lib.icons import ICONS

TEMPLATES = Path(__file__).resolve().parents[2] / "mockri" / "templates"


def test_every_icon_a_template_names_is_drawn():
    named = {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in re.findall(r'{% icon "([^"]+)" %}', path.read_text())
    }

    assert named and named <= ICONS.keys()


def test_an_icon_is_an_inline_decorative_svg():
    html = Template('{% icon "clock" %}Next free').render(Context())

    assert html.startswith('<svg class="icon" viewBox="0 0 24 24"')
    assert 'aria-hidden="true" focusable="false"' in html
    assert html.endswith("</svg>\nNext free")  # the space between icon and text


def test_a_name_not_drawn_fails_the_page():
    with pytest.raises(KeyError):
        Template('{% icon "unicorn" %}').render(Context())
