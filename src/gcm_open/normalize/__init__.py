"""Normalization: resolve the names printed in the compendium to codes."""
