"""The privacy policy, read from the operator's text file and given structure for the page.

The text is the operator's promise, so the page shows it word for word: this module only decides
which lines are headings, paragraphs and list items, and never rewrites one.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

POLICY_PATH = Path(__file__).with_name("privacy-policy.txt")
_LAST_UPDATED_PREFIX = "Last updated: "
_LIST_PREFIX = "- "
_SENTENCE_ENDINGS = (".", ":", ";", "!", "?", "”", '"')


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "list"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class PolicyDocument:
    title: str
    last_updated_line: str
    last_updated: datetime.date
    sections: list[Section]


def parse_policy(text: str) -> PolicyDocument:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, updated_line, *body = lines
    if not updated_line.startswith(_LAST_UPDATED_PREFIX):
        raise ValueError("The policy's second line must be 'Last updated: <date>'.")
    updated_text = updated_line.removeprefix(_LAST_UPDATED_PREFIX)
    last_updated = datetime.datetime.strptime(updated_text, "%d %B %Y").date()

    sections: list[Section] = []
    for line in body:
        if line.startswith(_LIST_PREFIX):
            item = line.removeprefix(_LIST_PREFIX)
            blocks = sections[-1].blocks
            if blocks and blocks[-1].kind == "list":
                blocks[-1] = Block("list", (*blocks[-1].lines, item))
            else:
                blocks.append(Block("list", (item,)))
        elif line.endswith(_SENTENCE_ENDINGS):
            sections[-1].blocks.append(Block("paragraph", (line,)))
        else:
            sections.append(Section(heading=line))
    return PolicyDocument(title, updated_line, last_updated, sections)


@cache
def current_policy() -> PolicyDocument:
    return parse_policy(POLICY_PATH.read_text(encoding="utf-8"))
