"""Every file against the ``bytes`` and ``hash`` its resource declares."""

from __future__ import annotations

from pathlib import Path

from gcm_open.package.digests import ALGORITHMS, file_digest
from gcm_open.package.layout import integrity_keys
from gcm_open.package.reading import Resource
from gcm_open.validation.findings import Collector


def check_integrity(
    resources: list[Resource],
    present: dict[str, Path],
    collector: Collector,
    *,
    required: bool,
) -> None:
    """Size and digest of each resource's files that are all there (the parts of a
    multipart resource together); with ``required`` (a gcm-open package), a file without
    the properties :func:`integrity_keys` names for it is a finding too."""
    for resource in resources:
        name, paths = resource.name, resource.paths
        if not paths or not all(path in present for path in paths):
            continue
        files = [present[path] for path in paths]
        shown = " + ".join(paths)
        expected_hash = resource.descriptor.get("hash")
        expected_bytes = resource.descriptor.get("bytes")
        if required:
            missing = [
                key
                for key in integrity_keys(resource.format)
                if resource.descriptor.get(key) is None
            ]
            if missing:
                collector.add(
                    "integrity-missing", resource=name, path=shown, missing=" or ".join(missing)
                )
        if isinstance(expected_hash, str):
            algorithm, _, value = expected_hash.rpartition(":")
            algorithm = algorithm or "md5"
            if algorithm not in ALGORITHMS:
                collector.add("hash-unsupported", resource=name, algorithm=algorithm)
                continue
            size, digest = file_digest(*files, algorithm=algorithm)
            if digest != value.lower():
                collector.add(
                    "hash-mismatch",
                    resource=name,
                    path=shown,
                    algorithm=algorithm,
                    digest=digest,
                    expected=value,
                )
        else:
            size = sum(path.stat().st_size for path in files)
        if isinstance(expected_bytes, int) and expected_bytes != size:
            collector.add(
                "bytes-mismatch", resource=name, path=shown, size=size, expected=expected_bytes
            )
