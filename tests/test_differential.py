"""gcm-open validate and frictionless validate agree: both accept a synthetic package and
both find the same seeded defects, row by row."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from frictionless import validate as frictionless_validate

from conftest import REPO
from gcm_open.building import BuildResult
from gcm_open.validation import validate

sys.path.insert(0, str(REPO / "scripts"))
from bench_validate import defects_found_by_frictionless, defects_found_by_gcm_open
from synthetic_package import DEFECT_ROWS, make_package


@pytest.mark.parametrize("rows", [300, 3000])
def test_both_validators_find_the_same_defects(
    rows: int, built: BuildResult, tmp_path: Path
) -> None:
    valid = make_package(tmp_path / "valid", rows, reference=built.out_dir)
    assert validate(valid).valid
    assert frictionless_validate(str(valid / "datapackage.json")).valid

    seeded = make_package(tmp_path / "seeded", rows, defects=True, reference=built.out_dir)
    ours = defects_found_by_gcm_open(validate(seeded).to_dict())
    theirs = defects_found_by_frictionless(
        frictionless_validate(str(seeded / "datapackage.json")).to_dict()
    )
    assert ours == theirs
    assert {row for row, _kind in ours} == set(DEFECT_ROWS)
