"""How gunicorn runs the webhook: read by ``spasm-coach serve`` and usable as ``gunicorn -c python:skill.edge.serving``,
so the benchmark runs the product and its reference under exactly the command the product ships with.

Each name is a gunicorn setting; ``SETTINGS`` lists them for code that sets them one by one.
"""

from __future__ import annotations

import gc
import os

# Alexa gives up after 8 seconds; a worker stuck (or stopped) past that helps nobody, and holds its caller and
# every request queued behind it, so it is killed and replaced soon after. SPASM_COACH_WORKER_TIMEOUT changes it.
timeout = int(os.environ.get("SPASM_COACH_WORKER_TIMEOUT", "10"))
# On SIGTERM each worker answers what is queued, then exits; by 10 seconds no answer can still help.
worker_class = "skill.edge.worker.DrainingWorker"
graceful_timeout = 10
# gunicorn's control socket is one path per user: several servers on one machine would fight over it, and
# nothing here uses it.
control_socket_disable = True
accesslog = None
# gunicorn's own lines as JSON, like the service's (see skill.edge.gunicorn_log for why a logger class).
logger_class = "skill.edge.gunicorn_log.JsonLogger"
# The app (content loaded and checked, about a fifth of a second) is built once in the master and shared by the
# workers it forks; nothing it builds holds a connection, which each worker opens on its first request.
preload_app = True


def on_starting(server) -> None:
    """Before any worker: a previous run's Prometheus counts are not this run's."""
    from skill.foundations import metrics
    from skill.foundations.config import Settings

    directory = Settings.from_env().metrics_dir
    if directory is not None:
        metrics.clear(directory)


def pre_fork(server, worker) -> None:
    """The app the master built (content, models, handlers: ~45,000 objects) lives as long as the worker: moved out
    of the collector's sight, a full collection in a worker scans only what requests make (it walked all of it,
    about 27 ms, a pause in whichever request it fell on)."""
    gc.freeze()


def child_exit(server, worker) -> None:
    from skill.foundations import metrics

    metrics.worker_exited(worker.pid)


SETTINGS = {"timeout": timeout, "worker_class": worker_class, "graceful_timeout": graceful_timeout,
            "control_socket_disable": control_socket_disable, "accesslog": accesslog, "preload_app": preload_app,
            "logger_class": logger_class, "on_starting": on_starting, "pre_fork": pre_fork,
            "child_exit": child_exit}
