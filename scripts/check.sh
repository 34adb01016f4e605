#!/usr/bin/env bash
# The one entry point for every check, used by developers and CI alike: install gcm-open
# with its development tools into .venv (created when missing), then lint, type-check and
# run the whole test suite. Extra arguments go to pytest.
#
#   bash scripts/check.sh           everything (what .ci/run and the README run)
#   bash scripts/check.sh --fast    the inner loop: no install, no test marked slow, and the
#                                   tests spread over the machine's cores (pytest-xdist)
set -euo pipefail
cd "$(dirname "$0")/.."
fast=false
if [[ "${1:-}" == "--fast" ]]; then
  fast=true
  shift
fi
if [[ "$fast" == false || ! -x .venv/bin/pytest ]]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  # axe-core, which the portal's browser tests run in the page (package-lock.json pins it).
  npm ci --silent --no-audit --no-fund
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
if [[ "$fast" == true ]]; then
  exec .venv/bin/pytest -m "not slow" -n auto "$@"
fi
exec .venv/bin/pytest "$@"
