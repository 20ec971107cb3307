"""Changes to the catalogue's own tables."""

from django.utils.text import slugify

from .models import Language


def languages_named(*, names: list[str]) -> list[Language]:
    """The Language rows for `names`, as typed by a person, matched ignoring case; a language
    not yet known is added (the table is a filter's list, not a curated one like companies)."""
    languages = []
    for name in filter(None, (name.strip() for name in names)):
        language = Language.objects.filter(name__iexact=name).first()
        if language is None:
            language, _ = Language.objects.get_or_create(
                slug=slugify(name) or "language", defaults={"name": name[:40]}
            )
        languages.append(language)
    return languages
