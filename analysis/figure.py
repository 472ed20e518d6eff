"""The landscape figure (docs/landscape.md): labelled boxes (hand-made domains or detected
niches) holding project tiles sized by OpenRank and coloured by trend, like the landscape
report's figure, drawn with matplotlib as SVG or PNG on one A4 page (landscape), with a
title, the data's date and a legend.

Boxes and tiles are laid out as squarified treemaps (Bruls, Huizing & van Wijk 2000): each
box's area is proportional to its projects' summed OpenRank, each tile's to its project's.
In the SVG every box and tile is a group whose id names it (`box:<label>`, `tile:<owner/repo>`),
so a reader (or a test) finds every project and its rectangle.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nichegraph.analysis.agreement import computed_projects
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import NETWORK_SCOPE

BYS = ("domain", "niche")
FORMATS = ("svg", "png")
A4_LANDSCAPE = (11.69, 8.27)  # inches
PNG_DPI = 200  # 2338 x 1654 pixels
NO_DOMAIN = "(no hand-made domain)"
NO_NICHE = "(in no niche)"
MIN_TILE_SHARE = 0.15  # a tile is at least this share of the median tile: every project stays visible

# (lowest change, key, label, colour), from the top; "new" and "unknown" apart
TREND_CLASSES = [
    (0.5, "up2", "+50% or more", "#1a7f4b"),
    (0.1, "up1", "+10% to +50%", "#7cc49a"),
    (-0.1, "flat", "within ±10%", "#e8e2cf"),
    (-0.5, "down1", "-10% to -50%", "#f0a58f"),
    (-math.inf, "down2", "-50% or less", "#c4452d"),
]
NEW = ("new", "new (no earlier value)", "#5b8fd6")
UNKNOWN = ("unknown", "no trend data", "#c9ced4")


@dataclass
class Tile:
    repo: str
    openrank: float | None
    change: float | None
    trend: str  # a TREND_CLASSES key, "new" or "unknown"
    trend_source: str
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x, y, width, height (0..1, y down)


@dataclass
class Box:
    label: str
    tiles: list[Tile]
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def openrank(self) -> float:
        return sum(tile.openrank or 0.0 for tile in self.tiles)


@dataclass
class LandscapeFigure:
    name: str
    scope: str
    by: str
    title: str
    date: str
    sizes: str
    trend_note: str
    landscape: str | None
    boxes: list[Box] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scope": self.scope,
            "by": self.by,
            "title": self.title,
            "date": self.date,
            "sizes": self.sizes,
            "trend": self.trend_note,
            "landscape": self.landscape,
            "legend": [{"key": key, "label": label, "colour": colour} for key, label, colour in legend()],
            "boxes": [
                {
                    "label": box.label,
                    "openrank": box.openrank,
                    "rect": box.rect,
                    "tiles": [
                        {
                            "repo": t.repo,
                            "openrank": t.openrank,
                            "change": t.change,
                            "trend": t.trend,
                            "trendSource": t.trend_source,
                            "rect": t.rect,
                        }
                        for t in box.tiles
                    ],
                }
                for box in self.boxes
            ],
        }


def legend() -> list[tuple[str, str, str]]:
    return [(key, label, colour) for _, key, label, colour in TREND_CLASSES] + [NEW, UNKNOWN]


def trend_class(change: float | None, has_previous: bool) -> str:
    if change is None:
        return "new" if has_previous is False else "unknown"
    return next(key for low, key, _, _ in TREND_CLASSES if change >= low)


# --- layout ----------------------------------------------------------------------------------


def squarify(
    values: list[float], x: float, y: float, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Rectangles of areas proportional to `values` (positive, any order) tiling the given
    rectangle; returned in the order of `values`. Rows are laid along the shorter side, each row
    grown while its worst aspect ratio improves."""
    if not values:
        return []
    order = sorted(range(len(values)), key=lambda i: -values[i])
    total = sum(values)
    scale = width * height / total if total > 0 else 0.0
    areas = [values[i] * scale for i in order]
    placed: list[tuple[float, float, float, float]] = []
    start = 0
    while start < len(areas):
        side = min(width, height)
        end = start + 1
        while end < len(areas) and worst(areas[start : end + 1], side) <= worst(areas[start:end], side):
            end += 1
        row = areas[start:end]
        row_area = sum(row)
        thickness = row_area / side if side > 0 else 0.0
        offset = 0.0
        for area in row:
            length = area / thickness if thickness > 0 else 0.0
            if width >= height:  # a column on the left
                placed.append((x, y + offset, thickness, length))
            else:  # a row on top
                placed.append((x + offset, y, length, thickness))
            offset += length
        if width >= height:
            x, width = x + thickness, width - thickness
        else:
            y, height = y + thickness, height - thickness
        start = end
    result: list[tuple[float, float, float, float]] = [(0.0, 0.0, 0.0, 0.0)] * len(values)
    for rank, index in enumerate(order):
        result[index] = placed[rank]
    return result


def worst(row: list[float], side: float) -> float:
    """The largest aspect ratio of a row of areas laid along a side."""
    total = sum(row)
    if total <= 0 or side <= 0:
        return math.inf
    return max(max(side * side * area / (total * total), total * total / (side * side * area)) for area in row)


HEADER = 0.035  # height of a box's label strip, as a share of the plot height
PAD = 0.004


def lay_out(boxes: list[Box], x: float, y: float, width: float, height: float) -> None:
    """Place boxes by their summed (visible) tile sizes, then tiles inside each below its label."""
    floor = visible_floor([tile for box in boxes for tile in box.tiles])
    sizes = [[max(tile.openrank or 0.0, floor) for tile in box.tiles] for box in boxes]
    for box, box_sizes, rect in zip(boxes, sizes, squarify([sum(s) for s in sizes], x, y, width, height), strict=True):
        box.rect = rect
        bx, by, bw, bh = rect
        # a box too small for its label strip gives its tiles the whole of it
        header, pad = min(HEADER, bh * 0.3), min(PAD, bw * 0.05, bh * 0.05)
        inner = (bx + pad, by + header, bw - 2 * pad, bh - header - pad)
        for tile, tile_rect in zip(box.tiles, squarify(box_sizes, *inner), strict=True):
            tile.rect = tile_rect


def visible_floor(tiles: list[Tile]) -> float:
    """The smallest size a tile is drawn at: a share of the median project, so that a project
    without OpenRank (or with very little) stays visible."""
    known = sorted(t.openrank for t in tiles if t.openrank)
    return (known[len(known) // 2] if known else 1.0) * MIN_TILE_SHARE


# --- data ------------------------------------------------------------------------------------


def figure_data(graph: Graph, name: str, by: str = "domain", landscape: str | None = None) -> LandscapeFigure:
    if by not in BYS:
        raise BadParameter(f"--by: {by!r} is not one of {', '.join(BYS)}")
    scope, rows = computed_projects(graph, name)
    network = scope.startswith(NETWORK_SCOPE)
    chosen = choose_landscape(rows, landscape) if by == "domain" else landscape
    groups: dict[str, list[Tile]] = defaultdict(list)
    for row in rows:
        tile = make_tile(row, network)
        if by == "domain":
            domain = next((e["domain"] for e in row["entries"] if e["landscape"] == chosen and e["domain"]), None)
            groups[domain or NO_DOMAIN].append(tile)
        else:
            groups[f"{row['number']}. {short_label(row['label'])}" if row["niche"] else NO_NICHE].append(tile)
    boxes = [Box(label, sorted(tiles, key=lambda t: (-(t.openrank or 0), t.repo))) for label, tiles in groups.items()]
    boxes.sort(key=lambda box: (box.label.startswith("("), -box.openrank, box.label))
    figure = LandscapeFigure(
        name,
        scope,
        by,
        title=figure_title(name, scope, by, chosen),
        date=data_date(graph, scope),
        sizes="tile area: the network file's OpenRank" if network else f"tile area: mean monthly OpenRank in {scope}",
        trend_note=trend_note(network),
        landscape=chosen,
        boxes=boxes,
    )
    lay_out(figure.boxes, 0.0, 0.0, 1.0, 1.0)
    return figure


def choose_landscape(rows: list[dict[str, Any]], landscape: str | None) -> str:
    coverage: dict[str, int] = defaultdict(int)
    for row in rows:
        for entry in row["entries"]:
            if entry["domain"]:
                coverage[entry["landscape"]] += 1
    if landscape:
        if landscape not in coverage:
            known = ", ".join(sorted(coverage)) or "none loaded"
            raise BadParameter(f"--landscape: {landscape!r} gives no domain to these projects (landscapes: {known})")
        return landscape
    if not coverage:
        raise NichegraphError("no project here has a hand-made domain; load a landscape or draw --by niche")
    return max(sorted(coverage), key=lambda key: coverage[key])


def make_tile(row: dict[str, Any], network: bool) -> Tile:
    if not network:
        openrank, previous = row["windowOpenrank"], row["previous"]
        change = openrank / previous - 1 if openrank is not None and previous else None
        trend = trend_class(change, previous is not None) if openrank is not None else "unknown"
        return Tile(row["repo"], openrank, change, trend, "mean OpenRank against the window before")
    openrank = row["networkOpenrank"]
    for entry in row["entries"]:
        first, last = entry.get("openrankFirst"), entry.get("openrankLast")
        if first and last is not None:
            change = last / first - 1
            return Tile(row["repo"], openrank, change, trend_class(change, True), f"{entry['landscape']}: Jan→Jul 2025")
    recent = [point["openrank"] for point in row["recent"]]
    if len(recent) >= 6 and sum(recent[3:6]) > 0:
        change = sum(recent[:3]) / sum(recent[3:6]) - 1
        month = row["recent"][0]["month"]
        return Tile(
            row["repo"], openrank, change, trend_class(change, True), f"series: 3 months to {month} vs the 3 before"
        )
    return Tile(row["repo"], openrank, None, "unknown", "no series")


def short_label(label: str | None) -> str:
    """A niche label without its domain tail, at most its three central projects' short names."""
    head = (label or "").split(" · ")[0]
    names = [part.strip().split("/")[-1] for part in head.split(",")]
    return ", ".join(names)


def figure_title(name: str, scope: str, by: str, landscape: str | None) -> str:
    what = f"network {scope.removeprefix(NETWORK_SCOPE)}" if scope.startswith(NETWORK_SCOPE) else f"window {scope}"
    grouping = f"hand-made domains of {landscape}" if by == "domain" else "niches detected from collaboration"
    return f"Open source landscape: {what}, by {grouping}"


def data_date(graph: Graph, scope: str) -> str:
    if not scope.startswith(NETWORK_SCOPE):
        return f"data: OpenDigger monthly metrics, {scope}"
    rows = graph.read("MATCH (n:Network {name: $name}) RETURN n {.*} AS n", name=scope.removeprefix(NETWORK_SCOPE))
    props = rows[0]["n"] if rows else {}
    period = f"period {props['period']}" if props.get("period") else "period not stated in the file"
    loaded = (props.get("loadedAt") or "")[:10]
    source = (props.get("source") or "").rsplit("/", 1)[-1]
    return f"data: {source}, {period}; loaded {loaded}"


def trend_note(network: bool) -> str:
    if not network:
        return "colour: change of mean monthly OpenRank against the window before"
    return (
        "colour: OpenRank change January→July 2025 (LLM landscape 2025-09) where known, else the last 3 months "
        "of the published series against the 3 before"
    )


# --- drawing -------------------------------------------------------------------------------


TITLE_SPACE = 0.11  # of the page height, above the plot
LEGEND_SPACE = 0.06  # below it
MARGIN = 0.02


def render(figure: LandscapeFigure, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes (matplotlib's Agg and SVG backends: no display, no browser)."""
    if fmt not in FORMATS:
        raise BadParameter(f"--out: the file must end in .svg or .png, not .{fmt}")
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    page = Figure(figsize=A4_LANDSCAPE)
    axes = page.add_axes((MARGIN, LEGEND_SPACE, 1 - 2 * MARGIN, 1 - TITLE_SPACE - LEGEND_SPACE))
    axes.set_xlim(0, 1)
    axes.set_ylim(1, 0)  # y grows downwards, like the layout
    axes.set_axis_off()
    width_pt = A4_LANDSCAPE[0] * 72 * (1 - 2 * MARGIN)
    height_pt = A4_LANDSCAPE[1] * 72 * (1 - TITLE_SPACE - LEGEND_SPACE)
    colours = {key: colour for key, _, colour in legend()}
    for box in figure.boxes:
        x, y, w, h = box.rect
        group = Rectangle((x, y), w, h, facecolor="#f4f6f8", edgecolor="#33414f", linewidth=0.8)
        group.set_gid(f"box:{box.label}")
        axes.add_patch(group)
        fit_text(
            axes, box.label, x + 0.003, y + HEADER / 2, w - 0.006, HEADER * height_pt * 0.8, width_pt, 9.0, bold=True
        )
        for tile in box.tiles:
            tx, ty, tw, th = tile.rect
            rect = Rectangle((tx, ty), tw, th, facecolor=colours[tile.trend], edgecolor="white", linewidth=0.6)
            rect.set_gid(f"tile:{tile.repo}")
            axes.add_patch(rect)
            label = tile.repo.split("/")[1]
            size = min(8.0, th * height_pt * 0.45)
            fit_text(axes, label, tx + tw / 2, ty + th / 2, tw * 0.92, size, width_pt, size, centre=True)
    page.text(MARGIN, 0.975, figure.title, fontsize=14, fontweight="bold", va="top")
    page.text(MARGIN, 0.935, f"{figure.date} · {figure.sizes}", fontsize=7.5, va="top")
    page.text(MARGIN, 0.912, figure.trend_note, fontsize=7.5, va="top")
    draw_legend(page, colours)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nichegraph"}):
        page.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def fit_text(
    axes: Any,
    text: str,
    x: float,
    y: float,
    width: float,
    height_pt: float,
    width_pt: float,
    largest: float,
    bold: bool = False,
    centre: bool = False,
) -> None:
    """Write `text` at the largest size up to `largest` points that fits the width. A box label
    too long for 6 points is shortened with an ellipsis; a tile label that would be smaller than
    4 points is left out (the tile's id still names the project)."""
    average_char = 0.56 if not bold else 0.62  # of the font size, for DejaVu Sans
    room = width * width_pt / average_char  # characters that fit at 1 point
    size = min(largest, height_pt, room / max(len(text), 1))
    if bold and size < 6.0 <= height_pt:
        size, text = 6.0, text[: max(int(room / 6.0) - 1, 1)] + "…"
    if size < 4.0:
        return
    axes.text(
        x,
        y,
        text,
        fontsize=size,
        fontweight="bold" if bold else "normal",
        ha="center" if centre else "left",
        va="center",
        color="#111111",
        clip_on=True,
    )


def draw_legend(page: Any, colours: dict[str, str]) -> None:
    from matplotlib.patches import Rectangle

    x = MARGIN
    page.text(x, 0.028, "trend:", fontsize=8, va="center")
    x += 0.04
    for key, label, _ in legend():
        swatch = Rectangle(
            (x, 0.018),
            0.018,
            0.02,
            transform=page.transFigure,
            facecolor=colours[key],
            edgecolor="#555555",
            linewidth=0.4,
        )
        swatch.set_gid(f"legend:{key}")
        page.patches.append(swatch)
        page.text(x + 0.022, 0.028, label, fontsize=7.5, va="center")
        x += 0.025 + len(label) * 0.0058
    page.text(
        1 - MARGIN,
        0.028,
        f"nichegraph · drawn {datetime.now(UTC):%Y-%m-%d}",
        fontsize=7,
        va="center",
        ha="right",
        color="#555555",
    )


def draw(graph: Graph, name: str, by: str, fmt: str, landscape: str | None = None) -> tuple[LandscapeFigure, bytes]:
    figure = figure_data(graph, name, by, landscape)
    return figure, render(figure, fmt)
