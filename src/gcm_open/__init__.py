"""gcm-open: Mexico's Compendio 2022 of practices aligned with the Global Compact for
Migration, as an open, validated Frictionless Data Package."""

from __future__ import annotations

__version__ = "0.1.0"
