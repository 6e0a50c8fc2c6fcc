"""The references Spasm Coach is measured against, each served by the same gunicorn command.

``hello_world``: an ask-sdk-core hello world as its docs build it: one handler that answers everything,
``DefaultSerializer`` in and out, one Flask route. It pays only for what ask-sdk and Flask cost by default.
``constant``: a Flask route that returns a constant JSON, the floor for anything served by Flask.
Each has a constant ``/healthz`` so its start can be timed like ours.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope
from flask import Flask, jsonify, request


class HelloWorld(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello world").ask("Say hello").response


def hello_world_app() -> Flask:
    builder = SkillBuilder()
    builder.add_request_handler(HelloWorld())
    skill = builder.create()
    app = Flask("hello")

    @app.post("/alexa")
    def alexa():
        envelope = skill.serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        return jsonify(skill.serializer.serialize(skill.invoke(envelope, None)))

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


def constant_app() -> Flask:
    app = Flask("constant")
    answer = {"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": "Hello world"}}}

    @app.post("/alexa")
    def alexa():
        return jsonify(answer)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


hello_world = hello_world_app()
constant = constant_app()
