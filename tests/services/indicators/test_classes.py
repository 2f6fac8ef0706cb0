"""Choropleth classes: mapclassify's, including the sampled natural breaks of large sets."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np

from geoservice.services.indicators.classes import FISHER_JENKS_SAMPLE, classify


def test_natural_breaks_of_a_large_set_come_from_a_repeatable_sample() -> None:
    values = np.random.default_rng(7).gamma(2.0, 3.0, 5_000)
    first = classify(list(values), "fisher_jenks", 5, "YlOrRd")
    again = classify(list(values), "fisher_jenks", 5, "YlOrRd")
    assert first.breaks == again.breaks and len(first.breaks) == 5
    np.random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.FisherJenksSampled(
            values, k=5, pct=FISHER_JENKS_SAMPLE / values.size
        )
    assert first.breaks == expected.bins.tolist()
    assert sum(first.counts) == values.size and first.breaks[-1] == values.max()


def test_a_small_set_gets_exact_natural_breaks_and_missing_values_no_class() -> None:
    values = [1.0, 2.0, 2.5, 10.0, 11.0, 30.0, None]
    result = classify(values, "fisher_jenks", 3, "Blues")
    expected = mapclassify.FisherJenks(np.array(values[:-1]), k=3)
    assert result.breaks == expected.bins.tolist()
    assert [result.class_of(v) for v in values] == [*expected.yb.tolist(), None]
    assert result.color_of(None) == "#d9d9d9"
