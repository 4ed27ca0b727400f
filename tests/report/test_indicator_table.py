"""The figures table: a label the table shows more than once names its period."""

from __future__ import annotations

from ziyang_lib.report.tables import indicator_table
from ziyang_lib.truth.context import context_figure
from ziyang_lib.truth.records import indicator_frame

SERIES = ("cn_rural_poor_2012", "cn_rural_poor_2013")
ALONE = "sc_poor_villages"


def test_a_series_row_names_its_period_and_a_single_row_does_not() -> None:
    for lang in ("zh", "en"):
        rows = indicator_table(indicator_frame([*SERIES, ALONE]), lang).rows
        labels = [row["label"] for row in rows]
        assert len(set(labels)) == 3, labels
        for ident, label in zip(SERIES, labels, strict=False):
            figure = context_figure(ident)
            assert label.startswith(figure.label(lang)) and figure.period_in(lang) in label
        assert labels[2] == context_figure(ALONE).label(lang)
