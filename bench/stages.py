"""Where a template return's validate time goes, stage by stage (not a timed test).

    PYTHONPATH=src:bench python bench/stages.py [N] [distinct|copies]

Builds N returns of pingdingshan-2010 (`bench.build_distinct`: each its own unit, person, date
and figures; or `bench.build`: copies of one; `own`: the own layout,
`bench.build_own_layout`), validates them five times in this process and
prints per return, medians of the passes: each stage's CPU time (opening the sheets, the header,
the tables, `validate()`), the whole, calamine's bare read of the same files (the floor) and
the ratio. Runs against older sources too (the tables stage is then the general reader's).
"""

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import bench

from wenuan import reading
from wenuan.checking import validate
from wenuan.forms import model as forms
from wenuan.reading import header, layout

spent: dict[str, float] = defaultdict(float)


def timed(module, name: str, stage: str) -> None:
    """Count the CPU time of `module.name` under `stage`."""
    real = getattr(module, name)

    def wrapped(*args, **kwargs):
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start

    setattr(module, name, wrapped)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    kind = sys.argv[2] if len(sys.argv) > 2 else "distinct"
    timed(reading, "sheets", "opening")
    timed(header, "read_header", "header")
    try:
        from wenuan.reading import template_plan

        timed(template_plan, "read_tables", "tables")
        timed(layout, "read_tables", "tables, general reader")
    except ImportError:  # sources from before the template's plan
        timed(layout, "read_tables", "tables")
    timed(validate, "validate", "validate()")
    loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
    options = validate.Options()
    with tempfile.TemporaryDirectory() as tmp:
        build = {"distinct": bench.build_distinct, "own": bench.build_own_layout}.get(
            kind, bench.build
        )
        paths = build(n, Path(tmp))
        for p in paths[:3]:  # the imports, the form's plan
            validate.validate_file(p, loaded, options)
        passes = []
        for _ in range(5):
            spent.clear()
            start = time.process_time()
            for p in paths:
                validate.validate_file(p, loaded, options)
            whole = time.process_time() - start
            start = time.process_time()
            for p in paths:
                bench.calamine_read(p)
            floor = time.process_time() - start
            stages = {k: v / n * 1000 for k, v in spent.items()}
            passes.append({**stages, "validate_file": whole / n * 1000, "floor": floor / n * 1000})
            passes[-1]["ratio"] = whole / floor
    print(f"{n} returns ({kind}), ms a return, medians of 5 passes")
    for key in passes[0]:
        print(f"{key:<24}{statistics.median(p.get(key, 0.0) for p in passes):8.3f}")


if __name__ == "__main__":
    main()
