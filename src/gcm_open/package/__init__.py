"""The one owner of a package on disk: where its files are (``layout``), opening a
folder, descriptor, zip or URL (``opening``), reading the descriptor, resources, schemas
and tables through one path rule (``reading``), and writing a package (``writing``)."""
