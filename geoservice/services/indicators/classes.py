"""Class breaks of indicator values (mapclassify) and their colours (ColorBrewer ramps from
branca), with the legend a map shows."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import mapclassify
import numpy as np
from babel.numbers import format_decimal
from branca.utilities import color_brewer

from geoservice.errors import BadRequest

Method = Literal["quantiles", "equal_interval", "fisher_jenks", "std_mean"]


METHODS: dict[str, Any] = {
    "quantiles": mapclassify.Quantiles,
    "equal_interval": mapclassify.EqualInterval,
    "fisher_jenks": mapclassify.FisherJenks,
    "std_mean": mapclassify.StdMean,
}
MIN_CLASSES, MAX_CLASSES = 2, 9


#: Above this many values, natural breaks are computed on a sample of this size. Exact
#: Fisher-Jenks is quadratic and mapclassify runs it in pure Python here (numba, which would
#: speed it up, takes 5 s to import in every process): 300 values take 0.3 s, the 666
#: kecamatan of Jawa Timur 1.4 s, 2,000 values about 13 s.
FISHER_JENKS_SAMPLE = 300


NO_DATA_COLOR = "#d9d9d9"


@dataclass
class Classification:
    """Class breaks (upper bounds, as mapclassify's ``bins``), a colour per class, legend rows."""

    method: str
    k: int
    breaks: list[float]
    colors: list[str]
    minimum: float | None = None
    counts: list[int] = field(default_factory=list)

    def class_of(self, value: float | None) -> int | None:
        """The class of ``value`` (mapclassify's rule: the first break not below it)."""
        if value is None or not self.breaks:
            return None
        return min(int(np.searchsorted(self.breaks, value, side="left")), len(self.breaks) - 1)

    def color_of(self, value: float | None) -> str:
        """The fill colour of ``value``."""
        index = self.class_of(value)
        return NO_DATA_COLOR if index is None else self.colors[index]

    def legend(self, decimals: int, lang: str) -> list[dict[str, Any]]:
        """One row per class: its bounds, label, colour and how many areas it holds."""
        rows = []
        lower = self.minimum
        locale = "en" if lang == "en" else "id"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        for index, upper in enumerate(self.breaks):
            low = format_decimal(lower, pattern, locale=locale) if lower is not None else "…"
            high = format_decimal(upper, pattern, locale=locale)
            rows.append(
                {
                    "class": index,
                    "lower": lower,
                    "upper": upper,
                    "label": f"{low} – {high}",
                    "color": self.colors[index],
                    "count": self.counts[index] if index < len(self.counts) else 0,
                }
            )
            lower = upper
        return rows


def classify(raw: list[float | None], method: str, k: int, scheme: str) -> Classification:
    """Classes of the values that are not None, computed by mapclassify; a 400 for an unknown
    method, class count or ColorBrewer ``scheme``."""
    if method not in METHODS:
        raise BadRequest(
            "indicator.bad_choice", name="method", value=method, allowed=", ".join(METHODS)
        )
    if not MIN_CLASSES <= k <= MAX_CLASSES:
        raise BadRequest("indicator.bad_classes", minimum=MIN_CLASSES, maximum=MAX_CLASSES)
    try:
        ramp(scheme, 3)
    except (ValueError, KeyError) as exc:
        raise BadRequest(
            "indicator.bad_choice", name="scheme", value=scheme, allowed="ColorBrewer"
        ) from exc
    data = np.array([v for v in raw if v is not None], dtype=float)
    if data.size == 0:
        return Classification(method, 0, [], [])
    distinct = np.unique(data).size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values": k is reduced below
        if method == "std_mean":
            classifier = METHODS[method](data)
        elif distinct == 1:
            classifier = mapclassify.UserDefined(data, [float(data[0])])
        elif method == "fisher_jenks" and data.size > FISHER_JENKS_SAMPLE:
            # exact Fisher-Jenks is quadratic in n; mapclassify's sampled variant, with a fixed
            # seed so the same data always gives the same breaks
            state = np.random.get_state()
            np.random.seed(0)
            try:
                classifier = mapclassify.FisherJenksSampled(
                    data, k=min(k, distinct), pct=FISHER_JENKS_SAMPLE / data.size
                )
            finally:
                np.random.set_state(state)
        else:
            classifier = METHODS[method](data, k=min(k, distinct))
    breaks = [float(b) for b in classifier.bins]
    counts = [int(c) for c in classifier.counts]
    return Classification(
        method, len(breaks), breaks, ramp(scheme, len(breaks)), float(data.min()), counts
    )


def ramp(scheme: str, n: int) -> list[str]:
    """``n`` colours of a ColorBrewer scheme (branca's tables)."""
    if n <= 0:
        return []
    colors = color_brewer(scheme, max(n, 3))
    if n >= 3:
        return list(colors[:n]) if len(colors) >= n else list(colors)
    return [colors[len(colors) // 2]] if n == 1 else [colors[0], colors[-1]]
