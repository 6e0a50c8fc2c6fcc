"""The WSGI application for a plain gunicorn command line, configured from the environment like ``spasm-coach
serve``: ``gunicorn -c python:skill.edge.serving skill.edge.wsgi:app``."""

from skill.alexa.startup_checks import check_settings
from skill.content import ContentError
from skill.edge.app import create_app
from skill.foundations.config import Settings, SettingsError

try:
    settings = Settings.from_env()
    check_settings(settings)
    app = create_app(settings)
except (SettingsError, ContentError) as error:  # one line, once, in the master that builds the app
    raise SystemExit(f"spasm-coach: {error}") from None
