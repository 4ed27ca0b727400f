"""The report layer: the text catalogue, number formatting, sentences, the plotly theme, charts
and widgets.

Imports from `ziyang_lib.truth`, never from `ziyang_lib.pipeline` (an import-linter contract).
"""
