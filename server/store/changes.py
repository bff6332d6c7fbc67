"""What a store tells the service when the inputs of its estimates change (for the score cache).

A store publishes `Changes` once they are durable: the tasks and groups whose aggregates a
commit changed, or `EVERYTHING` when a write may change estimates in ways it does not list
(a flag approved, an install discounted). Listeners run on the event loop's thread.
A store sees only its own process's writes: another process writing to the same database
is not heard, which is why the score cache also bounds how long a score is kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .protocol import GroupKey, TaskKey

log = logging.getLogger("fairclick.store")


@dataclass(frozen=True, slots=True)
class Changes:
    tasks: frozenset[TaskKey] = frozenset()
    #: (platform, requester_id); (platform, None) is the platform's own figures.
    groups: frozenset[GroupKey] = frozenset()
    everything: bool = False


EVERYTHING = Changes(everything=True)

Listener = Callable[[Changes], None]


class ChangeFeed:
    """The listeners of one store. `publish` on the loop's thread; `publish_threadsafe` from any other."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every change from now on; returns the function that stops it."""
        self._listeners.append(listener)
        self._loop = asyncio.get_running_loop()
        return lambda: self._listeners.remove(listener)

    def publish(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # one broken listener must not stop the others, nor the write path
                log.exception("a change listener failed")

    def publish_threadsafe(self, changes: Changes) -> None:
        loop = self._loop
        if loop is None or not self._listeners:
            return
        try:
            loop.call_soon_threadsafe(self.publish, changes)
        except RuntimeError:  # the loop is closed: nobody is left to tell
            pass
