"""``python -m gcm_open`` runs the ``gcm-open`` command."""

from gcm_open.cli import main

main()
