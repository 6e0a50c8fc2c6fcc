"""gunicorn's own lines (a worker booted, timed out, replaced) as the service's JSON, so one reader takes both.

A logger class, not gunicorn's ``logconfig_dict``: with any logging configuration gunicorn builds the access-log
fields of every request even when nothing writes them (11% of the bench's requests per second).
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from skill.foundations.logs import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
