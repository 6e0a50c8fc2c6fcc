"""The WSGI application for a plain gunicorn command line, configured from the environment like ``spasm-coach
serve``: ``gunicorn -c python:skill.edge.serving skill.edge.wsgi:app``."""

from skill.edge.app import create_app

app = create_app()
