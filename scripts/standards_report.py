"""Check a package and a portal's catalog against the official schemas, and print the
errors found against each.

The schemas are the published ones, copied into tests/fixtures/standards/ (its README
says from where): the Data Package v2 profiles (the descriptor, each resource, each Table
Schema, each dialect; JSON Schema draft-07) and DCAT-US v1.1 (draft-04), in its official
form without the US-federal ``bureauCode`` and ``programCode`` and in its non-federal
form. A ``FormatChecker`` checks formats (``uri``, ``email``, dates) in both.

    python scripts/standards_report.py [PACKAGE_DIR] [--catalog PORTAL/catalog.json] [-v]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

STANDARDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "standards"
DATAPACKAGE = STANDARDS / "datapackage-v2"
DCAT_US = STANDARDS / "dcat-us-v1.1"
# US-federal fields that do not apply to a Mexican publisher.
FEDERAL_ONLY = ("bureauCode", "programCode")


def _profile(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((DATAPACKAGE / f"{name}.json").read_text("utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _messages(validator: Any, document: Any) -> list[str]:
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: e.json_path)
    ]


def package_errors(root: Path) -> dict[str, list[str]]:
    """Errors against each Data Package v2 profile: ``datapackage`` (the descriptor),
    ``dataresource`` (each resource), ``tableschema`` (each Table Schema, inline or by
    path) and ``tabledialect`` (each dialect)."""
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    errors: dict[str, list[str]] = {
        "datapackage": _messages(_profile("datapackage"), descriptor),
        "dataresource": [],
        "tableschema": [],
        "tabledialect": [],
    }
    for resource in descriptor.get("resources", []):
        name = resource.get("name", "?")
        for message in _messages(_profile("dataresource"), resource):
            errors["dataresource"].append(f"{name}: {message}")
        for key, profile in (("schema", "tableschema"), ("dialect", "tabledialect")):
            document = resource.get(key)
            if isinstance(document, str):
                document = json.loads((root / document).read_text("utf-8"))
            if document is not None:
                for message in _messages(_profile(profile), document):
                    errors[profile].append(f"{name} {key}: {message}")
    return errors


def _without_federal_fields(schema: Any) -> Any:
    """``schema`` with ``bureauCode`` and ``programCode`` no longer required."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for node in walk(schema):
        if isinstance(node.get("required"), list):
            node["required"] = [key for key in node["required"] if key not in FEDERAL_ONLY]
    return schema


def _by_id(folder: Path) -> dict[str, Any]:
    """The schemas of a folder by their ``id``."""
    schemas = (json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json")))
    return {schema["id"]: schema for schema in schemas}


def _dcat_validator(schemas: dict[str, Any]) -> jsonschema.Draft4Validator:
    """The catalog schema among ``schemas``, with references to the others resolved (they
    name each other by ``id``, with or without its final "#")."""
    registry: Registry = Registry()
    for identifier, contents in schemas.items():
        resource = Resource.from_contents(contents, default_specification=DRAFT4)
        for uri in {identifier, identifier.rstrip("#")}:
            registry = registry.with_resource(uri, resource)
    catalog = next(schema for schema in schemas.values() if schema["id"].endswith("/catalog.json#"))
    return jsonschema.Draft4Validator(
        catalog, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def catalog_errors(catalog: dict[str, Any]) -> dict[str, list[str]]:
    """Errors against DCAT-US v1.1: ``federal`` (the official schema, without
    ``bureauCode``/``programCode``) and ``non-federal`` (its own catalog and dataset
    schemas, with the official ones they refer to)."""
    official = _by_id(DCAT_US)
    variants = {
        "federal": {key: _without_federal_fields(schema) for key, schema in official.items()},
        "non-federal": {**official, **_by_id(DCAT_US / "non-federal")},
    }
    return {
        label: _messages(_dcat_validator(schemas), catalog) for label, schemas in variants.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, nargs="?", help="a package folder")
    parser.add_argument("--catalog", type=Path, help="a portal's catalog.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every error")
    arguments = parser.parse_args()
    results: dict[str, list[str]] = {}
    if arguments.package is not None:
        results.update(package_errors(arguments.package))
    if arguments.catalog is not None:
        catalog = json.loads(arguments.catalog.read_text("utf-8"))
        results.update({f"dcat-us {k}": v for k, v in catalog_errors(catalog).items()})
    for schema, messages in results.items():
        print(f"{schema:>22}: {len(messages)} errors")
        for message in messages if arguments.verbose else []:
            print(f"{'':>24}{message}")
    sys.exit(1 if any(results.values()) else 0)


if __name__ == "__main__":
    main()
