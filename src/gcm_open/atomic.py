"""Replacing files and directories in one step, so that nothing is ever half there."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so that
    a process killed at any moment leaves one version or the other in place.

    Returns False where the system or the filesystem cannot do it.
    """
    if sys.platform != "linux":
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


class HeldInterrupts:
    """Ctrl-C (SIGINT) held back for a block that creates, swaps in and removes a staging
    directory, and let through only inside :meth:`let_through`.

    A KeyboardInterrupt can otherwise surface between any two bytecodes: after ``mkdtemp``
    made the directory but before the ``try`` that removes it, after an exchange but before
    the old copy is gone, or half-way through ``rmtree``; each leaves a folder behind. Here
    the interrupt waits for the end of the block, where it is raised as usual, once the
    clean-up is done. Inside :meth:`let_through` (the long writing) it is raised at once,
    and only once: the clean-up after it cannot be cut short by a second Ctrl-C.

    Python runs signal handlers in the main thread only, and so only it ever sees a
    KeyboardInterrupt; in other threads, and when SIGINT is not handled by Python (ignored,
    or the default that kills the process), this holds nothing back.
    """

    def __init__(self) -> None:
        self._handler: Callable[[int, FrameType | None], Any] | None = None
        self._pending = False
        self._let_through = False

    def __enter__(self) -> HeldInterrupts:
        if threading.current_thread() is threading.main_thread():
            handler = signal.getsignal(signal.SIGINT)
            if callable(handler):
                self._handler = handler
                signal.signal(signal.SIGINT, self._receive)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handler is None:
            return
        signal.signal(signal.SIGINT, self._handler)
        if self._pending:
            self._pending = False
            self._handler(signal.SIGINT, None)

    @contextmanager
    def let_through(self) -> Iterator[None]:
        """Let one interrupt through in the block, and the one held so far at its start."""
        self._let_through = True
        try:
            if self._pending:
                self._receive(signal.SIGINT, None)
            yield
        finally:
            self._let_through = False

    def _receive(self, signal_number: int, frame: FrameType | None) -> None:
        if not self._let_through or self._handler is None:
            self._pending = True
            return
        # Closed before the handler raises, so that no second interrupt stops the clean-up.
        self._let_through = False
        self._pending = False
        self._handler(signal_number, frame)
