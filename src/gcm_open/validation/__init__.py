"""Validation of any Data Package, and of a gcm-open package by its own rules.

- ``findings``: every finding code, declared once, and the report;
- ``descriptor``: the descriptor and Table Schemas against their profiles;
- ``integrity``: every file against its ``bytes`` and ``hash``;
- ``tabular``: the fast Table Schema engine for CSV and Parquet tables;
- ``delegated``: the tables that engine does not take, checked by frictionless;
- ``copies``: the Parquet copy of each gcm-open table against its CSV;
- ``domain``: the rules of a gcm-open package (codes, ids, numbering);
- ``validator``: :func:`validate`, which runs them all.
"""

from gcm_open.validation.findings import CATALOG, Finding, Report
from gcm_open.validation.validator import validate

__all__ = ["CATALOG", "Finding", "Report", "validate"]
