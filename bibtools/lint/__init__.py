"""``bibtools lint``: rules with stable ids over BibTeX (raw text) and model items.

``lint(paths_or_library, select=None, ignore=None) -> list[Finding]``; the
rules and their one-line explanations are in ``RULES``.
"""
from .core import RULES, Finding, Rule
from .engine import has_errors, lint, lint_bytes, select_rules

__all__ = ["RULES", "Finding", "Rule", "has_errors", "lint", "lint_bytes", "select_rules"]
