"""Ctrl-C at an exact moment, for tests: one real SIGINT raised at the n-th point where
CPython acts on a pending signal while a function runs, so that each point can be tried in
turn instead of hoping that a signal sent from outside lands in a window of microseconds.

CPython runs a signal's Python handler only at some points: when a function starts (or a
generator resumes), at the jump back of a loop, and when a call returns. Those are the
points counted here; an interrupt from outside, whenever it comes, acts at one of them.

Run as a script, ``interrupts.py N ARGS...`` runs ``gcm-open ARGS...`` with the SIGINT at
point N of the package's ``_write_atomically`` (0: none), and prints on stdout, as JSON,
how many points the write passed and how many had passed when ``mkdtemp`` and
``exchange`` returned.
"""

from __future__ import annotations

import dis
import functools
import json
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any, TypeVar

_CALL = dis.opmap["CALL"]
_JUMP_BACKWARD = dis.opmap["JUMP_BACKWARD"]

T = TypeVar("T")


@dataclass
class Interruption:
    """One SIGINT at check point ``at`` (1 is the start of the function run), or none.

    A call of an ``opaque`` function is one point, its start: long work in which every
    moment is alike need not be tried moment by moment. ``returned`` tells how many points
    had passed when each of the ``marks`` first returned, by name.
    """

    at: int | None = None
    opaque: tuple[Callable[..., Any], ...] = ()
    marks: tuple[Callable[..., Any], ...] = ()
    points: int = 0
    fired: bool = False
    returned: dict[str, int] = field(default_factory=dict)
    _after_call: set[int] = field(default_factory=set)
    _inside: FrameType | None = None
    _opaque_code: set[CodeType] = field(default_factory=set)
    _marked_code: set[CodeType] = field(default_factory=set)

    def run(self, function: Callable[..., T], *args: Any, **options: Any) -> T:
        """``function(*args, **options)``, counting its check points and interrupting at
        ``at``."""
        self._opaque_code = {opaque.__code__ for opaque in self.opaque}
        self._marked_code = {mark.__code__ for mark in self.marks}
        previous = sys.gettrace()
        sys.settrace(self._trace)
        try:
            return function(*args, **options)
        finally:
            sys.settrace(previous)

    def _trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if self.fired or self._inside is not None:
            return None
        if event == "call":
            self._point()
            if frame.f_code in self._opaque_code:
                self._inside = frame
                return self._leave
            frame.f_trace_opcodes = True
        elif event == "opcode":
            operation = frame.f_code.co_code[frame.f_lasti]
            checks = operation == _JUMP_BACKWARD or id(frame) in self._after_call
            if operation == _CALL:
                self._after_call.add(id(frame))
            else:
                self._after_call.discard(id(frame))
            if checks:
                self._point()
        elif event == "return" and frame.f_code in self._marked_code:
            self.returned.setdefault(frame.f_code.co_name, self.points)
        return self._trace

    def _leave(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "return" and frame is self._inside:
            self._inside = None
        return self._leave

    def _point(self) -> None:
        self.points += 1
        if self.points == self.at:
            self.fired = True
            # Raised in this process, the signal goes to whatever handler is installed;
            # the default one raises KeyboardInterrupt from here, in the traced frame.
            signal.raise_signal(signal.SIGINT)


def _main(at: int, arguments: list[str]) -> None:
    from gcm_open.atomic import exchange
    from gcm_open.cli import main
    from gcm_open.package import writing

    interruption = Interruption(at=at or None, marks=(tempfile.mkdtemp, exchange))
    writing._write_atomically = functools.partial(interruption.run, writing._write_atomically)
    try:
        main(arguments, prog_name="gcm-open")
    finally:
        print(json.dumps({"points": interruption.points, "returned": interruption.returned}))


if __name__ == "__main__":
    _main(int(sys.argv[1]), sys.argv[2:])
