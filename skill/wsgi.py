"""The WSGI application for a plain gunicorn command line (``gunicorn -c python:skill.serving skill.wsgi:app``),
configured from the environment like ``spasm-coach serve``."""

from skill.app import create_app

app = create_app()
