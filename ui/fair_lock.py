"""A first-come, first-served lock. ``threading.Lock`` lets the thread that releases it take it
back at once, so an evaluation run asking question after question could keep a chat question
waiting for the whole run; with this lock the chat waits for at most the questions already
queued before it. The standard library has no fair lock, hence these few lines."""
from __future__ import annotations

import collections
import threading


class FairLock:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: collections.deque[threading.Event] = collections.deque()
        self._held = False

    def acquire(self) -> bool:
        with self._guard:
            if not self._held and not self._waiters:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # release() hands the lock over: _held stays True
        return True

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False

    def __enter__(self) -> "FairLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
