"""The truth layer: the source text and its spans, quantities, typed loaders, metrics, the audit.

Imports nothing from `ziyang_lib.report` or `ziyang_lib.pipeline` (an import-linter contract).
"""
