"""The static open-data portal: its pages, search index and catalog, made from the
releases' files and ``releases.json``.

The pages need nothing from elsewhere (no font, script or stylesheet of another site), so
the portal works from any static host and offline.
"""

from gcm_open.portal.catalog import Publisher, dcat_catalog, file_size
from gcm_open.portal.site import write_portal_site, write_release_site

__all__ = [
    "Publisher",
    "dcat_catalog",
    "file_size",
    "write_portal_site",
    "write_release_site",
]
