"""Small charts drawn on the server as inline SVG: no chart script, nothing from another host.
Every chart carries its figures as text too (a title per bar; the tables beside it)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 600, 120


def bars_compared(
    current: list[int], previous: list[int], *, label: str, current_names: list[str]
) -> SafeString:
    """One bar per day of the current period, with the same day of the previous period as a
    thin outline behind it; the scale is the larger of both periods' busiest day."""
    count = max(len(current), 1)
    scale = max([1, *current, *previous])
    slot = WIDTH / count
    bars = []
    for index, value in enumerate(current):
        x = index * slot
        before = previous[index] if index < len(previous) else 0
        bars.append(
            (
                f"{x + slot * 0.1:.1f}",
                f"{HEIGHT - HEIGHT * before / scale:.1f}",
                f"{slot * 0.8:.1f}",
                f"{HEIGHT * before / scale:.1f}",
                f"{x + slot * 0.25:.1f}",
                f"{HEIGHT - HEIGHT * value / scale:.1f}",
                f"{slot * 0.5:.1f}",
                f"{HEIGHT * value / scale:.1f}",
                f"{current_names[index]}: {value} (previous period: {before})",
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="none">{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        format_html_join(
            "",
            '<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="none" '
            'stroke="currentColor" stroke-opacity="0.4"/><rect x="{}" y="{}" width="{}" '
            'height="{}" fill="currentColor"/></g>',
            ((b[8], *b[:8]) for b in bars),
        ),
    )


def funnel_compared(steps: list[tuple[str, int, int]], *, label: str) -> SafeString:
    """Horizontal bars, one pair per step (current above, previous below), each scaled to its
    own period's first step."""
    row = 34
    height = row * len(steps)
    first_current = max(steps[0][1], 1) if steps else 1
    first_previous = max(steps[0][2], 1) if steps else 1
    rows = []
    for index, (name, now, before) in enumerate(steps):
        y = index * row
        rows.append(
            (
                f"{name}: {now} (previous period: {before})",
                y + 2,
                f"{WIDTH * now / first_current:.1f}",
                y + 16,
                f"{WIDTH * before / first_previous:.1f}",
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="none">{}</svg>',
        WIDTH,
        height,
        label,
        format_html_join(
            "",
            '<g><title>{}</title><rect x="0" y="{}" width="{}" height="12" '
            'fill="currentColor"/><rect x="0" y="{}" width="{}" height="12" fill="currentColor" '
            'fill-opacity="0.35"/></g>',
            rows,
        ),
    )
