from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from .text import single_line


class FormRenderer(TemplatesSetting):
    """Renders every form and field with Mockri's markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class NameField(forms.CharField):
    """A person's name, on one line: it is repeated in emails' greetings and subjects."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text if text is None else single_line(text)
