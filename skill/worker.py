"""The gunicorn worker ``spasm-coach serve`` runs: gunicorn's sync worker, draining on SIGTERM.

On SIGTERM the sync worker finishes the request in hand and exits, and connections already queued on the
listening socket are dropped: a user mid-conversation during a deploy hears nothing. This worker answers those
too before it exits (within gunicorn's graceful timeout), accepting until nothing more is waiting.
"""

from __future__ import annotations

from gunicorn.workers.sync import SyncWorker


class DrainingWorker(SyncWorker):
    def run(self) -> None:
        super().run()  # returns once a signal has asked the worker to stop
        self.drain()

    def drain(self) -> None:
        """Answer every connection already waiting; the listeners are non-blocking, so an empty queue ends it."""
        for listener in self.sockets:
            while True:
                try:
                    self.accept(listener)
                except OSError:  # nothing more is waiting (or the listener is gone)
                    break
