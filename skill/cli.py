"""``spasm-coach serve`` runs the webhook under gunicorn; ``spasm-coach check`` validates content and models."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from skill import CONTENT_DIR, MODEL_DIR
from skill.config import Settings, SettingsError
from skill.content import ContentError, load_content


def serve(host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    settings = Settings.from_env()  # fail here, before forking, on a bad setting

    class Webhook(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # Alexa gives up after 8 seconds; a worker stuck longer than that is of no use to anyone.
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", None)

        def load(self):
            from skill.app import create_app

            return create_app(settings)

    Webhook().run()
    return 0


def check(content_dir: Path, model_dir: Path) -> int:
    from skill.assembly import handled_intents, model_expectations
    from skill.interaction_model import lint_models

    problems: list[str] = []
    try:
        content = load_content(content_dir)
    except ContentError as error:
        problems.extend(error.problems)
        content = None
    problems.extend(lint_models(model_dir, handled_intents(content) if content else None,
                                model_expectations(content) if content else None))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("content and interaction models are valid")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spasm-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the Alexa webhook with gunicorn")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--workers", type=int, default=2)
    lint = commands.add_parser("check", help="validate content and interaction models; exit 1 on any problem")
    lint.add_argument("--content-dir", type=Path, default=CONTENT_DIR)
    lint.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args.host, args.port, args.workers)
        return check(args.content_dir, args.model_dir)
    except (SettingsError, ContentError) as error:
        print(f"spasm-coach: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
