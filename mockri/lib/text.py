import unicodedata


def single_line(text: str) -> str:
    """`text` as one line: control characters dropped, every run of whitespace (line breaks
    included) one space. For names and subjects, which end up in headers and greetings, where
    a line break would start a new header or a paragraph of the sender's choosing."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(kept.split())
