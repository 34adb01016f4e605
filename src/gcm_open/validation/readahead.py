"""Batches produced by a thread of their own, a few ahead of the checks that consume them.

Arrow parses CSV and decodes Parquet without holding the GIL, so reading the next batches
runs on the second core while the checks of the current one run on the first.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

Item = TypeVar("Item")

# Batches held ready: enough to cover an uneven batch, few enough that memory stays
# bounded by a handful of batches.
DEPTH = 2
# How often a producer that waits for room checks whether the consumer has gone.
_POLL_SECONDS = 0.05


class _End:
    """What the producer puts last: nothing more, or the exception that ended it."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(items: Iterator[Item], depth: int = DEPTH) -> Generator[Item, None, None]:
    """The items of ``items`` in order, read by a background thread up to ``depth``
    ahead. An exception raised while reading is raised here, at the item it replaced.

    Closing the generator (or leaving a ``for`` loop over it) stops the thread and closes
    ``items``; nothing is left running.
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            offer(_End(error))
            return
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        offer(_End())

    thread = threading.Thread(target=produce, name="gcm-open read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield cast(Item, item)
    finally:
        stop.set()
        thread.join()
