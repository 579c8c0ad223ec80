"""The lock shared by the chat and evaluation runs serves waiters in the order they came."""
from __future__ import annotations

import threading

from ui.fair_lock import FairLock


def _queued(lock: FairLock, n: int) -> None:
    while len(lock._waiters) < n:  # wait (without a clock) until n threads queue up
        threading.Event().wait(0.001)


def test_waiters_get_the_lock_in_arrival_order_not_the_releaser():
    lock, order = FairLock(), []
    lock.acquire()

    def worker(name):
        with lock:
            order.append(name)

    threads = []
    for name in ("chat", "eval-2", "chat-2"):
        t = threading.Thread(target=worker, args=(name,))
        t.start()
        threads.append(t)
        _queued(lock, len(threads))
    lock.release()
    # the thread that released asks again at once: it queues behind everyone already waiting
    with lock:
        order.append("eval-again")
    for t in threads:
        t.join(10)
    assert order == ["chat", "eval-2", "chat-2", "eval-again"]


def test_uncontended_lock_is_free_after_release():
    lock = FairLock()
    with lock:
        pass
    with lock:
        assert lock._held
    assert not lock._held
