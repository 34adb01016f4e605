"""The descriptor against the Data Package profile, and each Table Schema against the
Table Schema profile, as frictionless reads them."""

from __future__ import annotations

from typing import Any

from frictionless import FrictionlessException, Package, Schema

from gcm_open.validation.findings import Collector

# Profiles a descriptor may name; any other URL would make a validator fetch it.
STANDARD_PROFILES = frozenset(
    {
        "data-package",
        "tabular-data-package",
        "fiscal-data-package",
        "https://specs.frictionlessdata.io/schemas/data-package.json",
        "https://specs.frictionlessdata.io/schemas/tabular-data-package.json",
        "https://datapackage.org/profiles/2.0/datapackage.json",
        "https://datapackage.org/profiles/1.0/datapackage.json",
        "https://datapackage.org/profiles/1.0/tabulardatapackage.json",
    }
)


def standard_version(descriptor: dict[str, Any]) -> str:
    """The Data Package version a descriptor declares, as frictionless resolves it:
    ``v1`` without ``$schema``, ``v2``, or ``unknown`` for another profile."""
    return str(Package.effective_datapackage_version(descriptor, None))


def check_schema(schema: dict[str, Any], resource: str, version: str, collector: Collector) -> bool:
    """Whether a Table Schema is sound by the Table Schema profile of the package's
    version (``exclusiveMinimum`` is v2, say); its problems are findings."""
    try:
        Schema.from_descriptor(dict(schema), datapackage_version=version)
    except FrictionlessException as exception:
        for problem in exception.reasons or [exception.error]:
            collector.add("schema-invalid", resource=resource, detail=problem.note)
        return False
    return True


def check_profile(
    descriptor: dict[str, Any],
    schemas: dict[str, dict[str, Any]],
    descriptor_name: str,
    collector: Collector,
) -> None:
    """The descriptor against its Data Package profile, with the schemas already read
    put inline, so that frictionless reads no file and no URL of the package."""
    profile = descriptor.get("$schema", descriptor.get("profile"))
    if profile is not None and profile not in STANDARD_PROFILES:
        collector.add("descriptor-profile-url", resource=descriptor_name, profile=profile)
        return
    inlined = dict(descriptor)
    inlined["resources"] = [
        {**resource, "schema": schemas[resource["name"]]}
        if resource.get("name") in schemas
        else {key: value for key, value in resource.items() if key != "schema"}
        for resource in descriptor["resources"]
        if isinstance(resource, dict)
    ]
    report = Package.validate_descriptor(inlined)
    for error in report.errors:
        note = str(error.note or error.message)
        if "is not safe" in note:
            continue  # reported as path-unsafe, with the resource
        collector.add("descriptor-profile", resource=descriptor_name, detail=note)
