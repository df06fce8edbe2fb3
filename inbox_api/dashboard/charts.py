"""Charts drawn on the server as SVG: no chart library, no outside request, nothing to load.

Pure functions from numbers to SVG text. Every label passes through XML escaping, colours
are presentation attributes (the page's Content-Security-Policy allows no inline styles),
and every mark carries its series, label and value as data attributes, so a test (or a
screen reader's table view) can read back exactly what was drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 28
MARGIN_BOTTOM = 48
# Colour-blind-safe palette (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")

Format = Callable[[float], str]


def percent(value: float) -> str:
    """0.953 -> '95%'."""
    return f"{round(value * 100)}%"


def number(value: float) -> str:
    """12.0 -> '12', 3.25 -> '3.2'."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _attr(value: object) -> str:
    return quoteattr(str(value))


def _frame(title: str, kind: str, body: list[str], legend: Sequence[str]) -> str:
    keys = [
        f'<g class="legend-item" transform="translate({MARGIN_LEFT + i * 150},{HEIGHT - 12})">'
        f'<rect width="10" height="10" y="-9" fill="{PALETTE[i % len(PALETTE)]}"/>'
        f'<text x="14" font-size="11">{escape(name)}</text></g>'
        for i, name in enumerate(legend)
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-kind="{kind}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f"aria-label={_attr(title)}>"
        f"<title>{escape(title)}</title>"
        f'<text x="{MARGIN_LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
        + "".join(body)
        + "".join(keys)
        + "</svg>"
    )


def _axis(y_max: float, fmt: Format) -> list[str]:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = []
    for i in range(5):
        value = y_max * i / 4
        y = MARGIN_TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" font-size="10" '
            f'text-anchor="end">{escape(fmt(value))}</text>'
        )
    return parts


def _nice_max(values: Sequence[float]) -> float:
    top = max(values, default=0.0)
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    return float(-(-top // step) * step)


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    # At most about eight labels, so dates never overlap.
    every = max(1, -(-len(labels) // 8))
    return [
        f'<text x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 14}" font-size="10" '
        f'text-anchor="middle">{escape(label)}</text>'
        for i, (label, x) in enumerate(zip(labels, xs, strict=True))
        if i % every == 0
    ]


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    y_max: float | None = None,
    fmt: Format = number,
) -> str:
    """A line per series over `labels` (gaps where a value is None)."""
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = y_max or _nice_max([v for vs in series.values() for v in vs if v is not None])
    step = plot_w / max(1, len(labels) - 1)
    xs = [MARGIN_LEFT + i * step for i in range(len(labels))]
    body = _axis(top, fmt)
    for index, (name, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        segment: list[str] = []
        paths: list[str] = []
        points: list[str] = []
        for x, label, value in zip(xs, labels, values, strict=True):
            if value is None:
                if segment:
                    paths.append(" ".join(segment))
                segment = []
                continue
            y = MARGIN_TOP + plot_h - plot_h * min(value, top) / top
            segment.append(f"{'M' if not segment else 'L'}{x:.1f},{y:.1f}")
            points.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" '
                f"data-series={_attr(name)} data-label={_attr(label)} data-value={_attr(value)}>"
                f"<title>{escape(f'{name} {label}: {fmt(value)}')}</title></circle>"
            )
        if segment:
            paths.append(" ".join(segment))
        body.extend(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>' for d in paths
        )
        body.extend(points)
    body.extend(_x_labels(labels, xs))
    if not any(v is not None for vs in series.values() for v in vs):
        body.append(_empty())
    return _frame(title, "line", body, list(series))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    fmt: Format = number,
) -> str:
    """Grouped vertical bars: one group per label, one bar per series."""
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = _nice_max([v for vs in series.values() for v in vs])
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    body = _axis(top, fmt)
    centres = [MARGIN_LEFT + group_w * (i + 0.5) for i in range(len(labels))]
    for index, (name, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            h = plot_h * value / top
            x = MARGIN_LEFT + group_w * i + group_w * 0.1 + bar_w * index
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{MARGIN_TOP + plot_h - h:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}" '
                f"data-series={_attr(name)} data-label={_attr(label)} data-value={_attr(value)}>"
                f"<title>{escape(f'{name} {label}: {fmt(value)}')}</title></rect>"
            )
    body.extend(_x_labels(labels, centres))
    if not labels or not any(v for vs in series.values() for v in vs):
        body.append(_empty())
    return _frame(title, "bar", body, list(series) if len(series) > 1 else [])


def _empty() -> str:
    return (
        f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" font-size="12" '
        f'text-anchor="middle" fill="#777">–</text>'
    )
