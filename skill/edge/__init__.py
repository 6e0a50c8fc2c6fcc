"""The HTTP edge: the Flask app, the Alexa endpoint, gunicorn's settings and worker, and request verification."""
