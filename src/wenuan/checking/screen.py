"""Selective editing across a batch: figures implausible against the other units' returns.

A separate pass over the reports of one batch (their `values`), after each return was checked on
its own. Each figure is taken as a ratio to a size measure — the first item of its table
(职工总数, 帮扶中心总数), itself compared as it stands — on a log scale, and scored against the
other units by median and MAD. A figure far out gets an `outlier` warning naming how far, and the
slip that brings it back among the others while every rule still holds, if there is exactly one
(456000.00 万元 → 45.60: 元 typed for 万元). With last year's returns, a figure that moved by a
power of ten from the same unit's is flagged too.
"""

import math
from array import array
from collections.abc import Iterable, Iterator
from decimal import Decimal

from wenuan.checking import suggest
from wenuan.checking.findings import FileReport, Finding, Suggestion
from wenuan.checking.validate import about
from wenuan.forms.model import Form, quantize
from wenuan.forms.roster import unit_key

MIN_OTHERS = 5  # fewer other units say too little about what is usual
FAR = 3.5  # robust z-score beyond which a figure is flagged…
FACTOR = math.log10(5)  # …when it is also at least 5 times off the median
NEAR = 2.0  # a slip's value must come back this close (robust z) to be suggested
SPREAD = 0.1  # the least MAD (log10), so a batch of near-equal figures does not flag 1 %


def screen(reports: list[FileReport], forms, previous: list[FileReport] | None = None) -> None:
    """Add an `outlier` warning to each figure far from the other units' (or from last year's)."""
    by_form: dict[str, list[FileReport]] = {}
    for report in reports:
        if report.form and report.values:
            by_form.setdefault(report.form, []).append(report)
    for form_id, batch in by_form.items():
        for i, finding in outliers(forms[form_id], [r.values for r in batch], batch.__getitem__):
            batch[i].findings.append(finding)
    if previous:
        _against_last_year(reports, previous, forms)


def outliers(
    form: Form, values: "Iterable[dict] | Scores", report_of
) -> Iterator[tuple[int, Finding]]:
    """(index, `outlier` finding) for each figure far from the other units'. `values` is read
    once, or was gathered as the returns came (`Scores`); `report_of(i)` gives the i-th
    unit's report, its values, findings already made and cells, only for a figure far out."""
    scores = values if isinstance(values, Scores) else Scores(form, values)
    keys, raw = scores.keys, scores.raw
    n = len(raw[keys[0]]) if keys else 0
    if n <= MIN_OTHERS:
        return
    from wenuan.checking.validate import rule_model

    model, _, decimals = rule_model(form)
    sizes = _sizes(form)
    cells = {f"{tb.id}:{ref}": (tb, c) for tb in form.tables for ref, c in tb.cells.items()}
    odd_size: set[tuple[str, int]] = set()  # units whose size measure is itself far out
    for key in sorted(keys, key=lambda k: k in sizes):  # size measures first
        size = sizes.get(key)
        own = raw[key]
        ratio = array("d", (a - b for a, b in zip(own, raw[size], strict=True))) if size else None
        stats = [_Stats(own)] + ([_Stats(ratio)] if ratio is not None else [])
        for i in stats[0].candidates():
            if size and (size, i) in odd_size:
                continue
            scales = [stats[0].scale(i, 0.0)]
            if ratio is not None and not math.isnan(ratio[i]):
                scales.append(stats[1].scale(i, raw[size][i]))
            # far as it stands and as a ratio to the unit's size: a big unit is not an outlier
            if None in scales or not all(_far(*sc[:3]) for sc in scales):
                continue
            if not size:
                odd_size.add((key, i))
            report = report_of(i)
            if _named(report, key, suspects=False):
                continue
            fix = _slip_back(report, key, decimals, model, scales)
            if fix is None and _named(report, key):
                continue  # a rule's finding already names it, and the others add no fix
            table, cell = cells[key]
            s, med, _, others, _ = scales[-1]
            named_size = size if len(scales) > 1 else None
            yield (
                i,
                _outlier(
                    report,
                    table,
                    cell,
                    key,
                    others,
                    10 ** (s - med),
                    named_size,
                    fix,
                    decimals[key],
                ),
            )


class Scores:
    """Each figure of each unit on a log scale (NaN where empty or not positive), gathered a
    unit at a time (a big batch's as its returns come)."""

    def __init__(self, form: Form, values: Iterable[dict] = ()):
        self.keys = [f"{tb.id}:{ref}" for tb in form.tables for ref in tb.cells]
        self.raw = {k: array("d") for k in self.keys}
        for row in values:
            self.add(row)

    def add(self, row: dict) -> None:
        """One unit's figures."""
        log10, nan = math.log10, math.nan
        for k, scores in self.raw.items():
            v = row.get(k)
            v = nan if v is None else float(v)  # as log10 takes a Decimal: through its float
            scores.append(log10(v) if v > 0 else nan)


class _Stats:
    """Median and MAD of the other units' scores: left out one at a time in a small batch,
    once for all in a big one (where leaving one out moves neither)."""

    EXACT = 200

    def __init__(self, scores: array):
        self.scores = scores
        self.known = [x for x in scores if not math.isnan(x)]
        self.whole = _center(self.known) if len(self.known) > self.EXACT else None

    def candidates(self) -> Iterable[int]:
        """The units whose score may be far out, in one sweep. In a big batch: those far from the
        median of all (the same test `_far` makes). In a small one: those at least FACTOR from
        where the median of the others can lie (leaving one unit out, it stays between the two
        middle scores' neighbours), which `_far` needs; the rest cannot be flagged."""
        if self.whole is None:
            s = sorted(self.known)
            n = len(s)
            if n <= MIN_OTHERS:
                return []  # too few others for any unit
            low, high = s[max((n - 2) // 2, 0)], s[min((n - 1) // 2 + 1, n - 1)]
            return [
                i
                for i, x in enumerate(self.scores)
                if x <= high - FACTOR + 1e-9 or x >= low + FACTOR - 1e-9  # NaN: neither
            ]
        med, mad = self.whole
        limit = max(FACTOR, FAR * mad)
        return [i for i, x in enumerate(self.scores) if abs(x - med) >= limit]

    def scale(self, i: int, shift: float):
        """(score, median, MAD, how many others, shift), or None if too few others."""
        x = self.scores[i]
        if len(self.known) - 1 < MIN_OTHERS or math.isnan(shift):
            return None
        if self.whole is not None:
            return x, *self.whole, len(self.known) - 1, shift
        others = list(self.known)
        others.remove(x)
        return x, *_center(others), len(others), shift


def _center(xs: list[float]) -> tuple[float, float]:
    med = _median(xs)
    return med, max(1.4826 * _median([abs(x - med) for x in xs]), SPREAD)


def _sizes(form: Form) -> dict[str, str]:
    """Each cell's size measure: the first cell of its table (none for that cell itself)."""
    out = {}
    for table in form.tables:
        refs = list(table.cells)
        for ref in refs[1:]:
            out[f"{table.id}:{ref}"] = f"{table.id}:{refs[0]}"
    return out


def _log(v: Decimal | None) -> float | None:
    return math.log10(v) if v is not None and v > 0 else None


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def _far(s: float, med: float, mad: float) -> bool:
    return abs(s - med) >= FACTOR and abs(s - med) / mad >= FAR


def _named(report: FileReport, key: str, suspects: bool = True) -> bool:
    """Whether a finding of the report already fixes the cell (or, with `suspects`, names it)."""
    table, ref = key.split(":", 1)
    for f in report.findings:
        if f.table == table and (
            (suspects and ref in f.suspects)
            or any(s and s.item == ref for s in [f.suggestion, *f.also])
        ):
            return True
    return False


def _slip_back(report, key, decimals, model, scales) -> tuple[Decimal, str] | None:
    """The one slip of the figure that lands among the others (as it stands or as a ratio to
    the unit's size) and keeps every rule holding."""
    values = report.values
    checks = [c for c in model.checks if key in c.keys and all(k in values for k in c.keys)]
    looked = {key} | {k for c in checks for k in c.keys}  # only the figures its rules hold
    x = {k: int(quantize(values[k], decimals[k]).scaleb(decimals[k])) for k in looked}
    d = decimals[key]
    old = x[key]
    lo, hi = suggest.room(checks, x, key)  # the values every rule still holds at
    # and near the others by some scale: a band a little wider than the test below allows
    band = [
        d + shift + med + side * NEAR * mad for _, med, mad, _, shift in scales for side in (-1, 1)
    ]
    lo, hi = max(lo, 10 ** (min(band) - 0.01)), min(hi, 10 ** (max(band) + 0.01))
    fits = []
    for new, kind in suggest.slips(old, d).items():
        if (
            0 < new
            and lo <= new <= hi
            and any(
                abs(math.log10(new) - d - shift - med) / mad <= NEAR
                for _, med, mad, _, shift in scales
            )
        ):
            fits.append((new, kind))
    if len(fits) > 1 and not checks:
        # no rule to tell them apart: a slip with no look-alikes (×10000, a trailing 0 typed
        # twice) over a digit anywhere, which only happens to land among the others too
        fits = [(new, kind) for new, kind in fits if kind not in suggest.LOOSE]
    if len(fits) != 1:
        return None
    new, kind = fits[0]
    failing = [c for c in checks if not c.holds(x)]
    if not suggest.likely_one(suggest.Fix(key, new, kind), failing, x, decimals):
        return None  # a loose slip that mends a failing sum may be a coincidence
    return Decimal(new).scaleb(-d), kind


def _times(x: float) -> str:
    """A ratio as a clerk reads it: 10000, 12, 0.001."""
    power = round(math.log10(x))
    if abs(math.log10(x) - power) < 0.08:
        return f"{Decimal(10) ** power:f}"
    return f"{x:.2g}" if x < 1 else f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def _outlier(report, table, cell, key, n, times, size, fix, decimals) -> Finding:
    value = f"{report.values[key]:f}"
    if decimals:
        value = f"{report.values[key].quantize(Decimal(1).scaleb(-decimals)):f}"
    place = report.places.get(key)
    params = {**about(cell, None, place), "value": value, "n": n, "times": _times(times)}
    params["size"] = ""
    if size:
        params["size"] = {"what": "f_outlier_size", "params": {"size": _label(table, size)}}
    sug = None
    if fix:
        new, kind = fix
        params["fix"] = {"old": value, "new": f"{new:f}", "why": kind}
        sug = Suggestion(cell.ref, new, place, kind)
    return Finding(
        "warning",
        "outlier",
        what="f_outlier",
        params=params,
        items=[cell.ref],
        cell=place,
        table=table.id,
        suggestion=sug,
        suspects=[cell.ref],
    )


def _label(table, key: str) -> str:
    """The label of the cell `key` ("table:ref") names."""
    return table.cells[key.split(":", 1)[1]].label


def _against_last_year(reports, previous, forms) -> None:
    last = {(r.form, unit_key(r.unit)): r for r in previous if r.unit and r.values}
    for report in reports:
        before = last.get((report.form, unit_key(report.unit))) if report.unit else None
        if before is None:
            continue
        form = forms[report.form]
        for table in form.tables:
            for ref, cell in table.cells.items():
                key = f"{table.id}:{ref}"
                a, b = _log(report.values.get(key)), _log(before.values.get(key))
                if a is None or b is None or abs(a - b) < 1 - 0.15 or _named(report, key):
                    continue
                place = report.places.get(key)
                params = {
                    **about(cell, None, place),
                    "value": f"{report.values[key]:f}",
                    "before": f"{before.values[key]:f}",
                    "times": _times(10 ** (a - b)),
                }
                report.findings.append(
                    Finding(
                        "warning",
                        "outlier",
                        what="f_moved",
                        params=params,
                        items=[ref],
                        cell=place,
                        table=table.id,
                        suspects=[ref],
                    )
                )
