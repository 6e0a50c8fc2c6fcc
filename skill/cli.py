"""``spasm-coach serve`` runs the webhook under gunicorn; ``spasm-coach check`` validates content and models."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from skill.bundled import model_dir, sources_file
from skill.content import ContentError
from skill.content.locales import DEFAULT_LOCALE, locale_names, nearest_locale
from skill.foundations.config import Settings, SettingsError


def serve(host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    from skill.alexa.startup_checks import check_settings
    from skill.edge import serving

    settings = Settings.from_env()  # fail here, before forking, on a bad setting
    check_settings(settings)

    class Webhook(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            for name, value in serving.SETTINGS.items():
                self.cfg.set(name, value)

        def load(self):
            from skill.edge.app import create_app

            return create_app(settings)

    Webhook().run()
    return 0


def check(content_dir: Path, models: Path, sources: Path | None = None) -> int:
    from coach_tools import evidence
    from coach_tools.model_lint import lint_models
    from coach_tools.models import bare_answers, stale_models
    from coach_tools.package import load_listing
    from skill.alexa.startup_checks import handled_intents, loaded_and_checked, model_expectations

    problems: list[str] = []
    content = None
    try:
        content = loaded_and_checked(content_dir)[DEFAULT_LOCALE]
        for locale in locale_names(content_dir):  # the published locales; a language's fallback has no listing
            load_listing(content_dir, locale)
    except (ContentError, OSError) as error:
        problems.extend(getattr(error, "problems", [str(error)]))
    bare: frozenset[str] = frozenset()
    try:
        bare = bare_answers(models, content.language if content else "en")
        problems.extend(stale_models(models, content_dir))
    except (ContentError, OSError, ValueError) as error:
        problems.extend(getattr(error, "problems", [str(error)]))
    problems.extend(lint_models(models, handled_intents(content) if content else None,
                                model_expectations(content) if content else None, bare))
    problems.extend(evidence.problems(content_dir, models, sources or sources_file()))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("content and interaction models are valid")
    return 0


def model_for(locale: str) -> Path:
    """The locale's interaction model; for a locale the skill has none for (en-NZ), the nearest of its language,
    as said on the terminal."""
    path = model_dir() / f"{locale}.json"
    if path.exists():
        return path
    nearest = nearest_locale(locale, locale_names())
    print(f"(no interaction model for {locale}: heard through {nearest}'s)", file=sys.stderr)
    return model_dir() / f"{nearest}.json"


def chat(args: argparse.Namespace) -> int:
    import tempfile

    from coach_tools.local_timers import LocalTimersApi
    from coach_tools.model_lint import load_model
    from coach_tools.nlu import Understanding, on_device
    from coach_tools.simulator import Chat, announcer, in_process_sender, script_lines, url_sender

    lines: list[str] = list(args.say or [])
    if args.script:
        script = Path(args.script)
        if not script.is_file():
            print(f"no script at {script}: give a file of utterances, one per line (docs/conversation.txt is one)",
                  file=sys.stderr)
            return 2
        lines += list(script_lines(script.read_text(encoding="utf-8")))
    interactive = not lines
    if args.url:
        send = url_sender(args.url)
    else:
        from skill.edge.app import create_app

        # The simulator's requests are not signed by Amazon, so the in-process skill runs unverified.
        # Its log lines would break into the conversation on the terminal: only errors are written.
        settings = replace(Settings.from_env(), verify=False, skill_ids=(), log_level="ERROR")
        if args.fresh:
            settings = replace(settings, data_dir=Path(tempfile.mkdtemp()))
        send = in_process_sender(create_app(settings))
    model = args.model or model_for(args.locale)
    understanding = on_device(args.locale, model=model) if args.strict else Understanding(load_model(model))
    queue = iter(lines)

    def permission() -> str:
        if interactive:
            return input("(yes/no) > ")
        answer = next(queue, "")
        print(f"you: {answer}")
        return answer

    with LocalTimersApi(time_scale=args.time_scale, on_fire=announcer(print, args.speak)) as timers:
        conversation = Chat(send, understanding, timers, permission=permission, replay=args.replay or "",
                            locale=args.locale)
        answered = True
        if interactive:
            print("Say something to Spasm Coach, for example: open spasm coach. Ctrl-D to leave.")
            while True:
                try:
                    line = input("you> ").strip()
                except EOFError:
                    print()
                    break
                if line:
                    conversation.say(line)
        else:
            for line in queue:
                print(f"you: {line}")
                answered = conversation.say(line) and answered
            if args.wait_for_timers:
                conversation.wait_for_timers()
        return 0 if answered else 1


def models(content_dir: Path, model_dir: Path | None) -> int:
    from coach_tools.models import write_models
    from skill.bundled import model_dir as shipped

    if model_dir is None:
        if not (shipped().parent / "pyproject.toml").exists():  # an installed package, not a source tree
            print(f"spasm-coach: the shipped models ({shipped()}) are part of the installed package and are not"
                  " rewritten; give --model-dir DIR to write them elsewhere", file=sys.stderr)
            return 2
        model_dir = shipped()

    for path in write_models(model_dir, content_dir):
        print(path)
    return 0


def people(path: Path) -> int:
    import logging
    import tempfile

    import yaml

    from coach_tools.people import Replay, care_words, summary
    from coach_tools.simulator import in_process_sender
    from skill.edge.app import create_app

    logging.disable(logging.WARNING)  # the verdicts are the output, not the skill's log of each turn
    settings = replace(Settings.from_env(), verify=False, skill_ids=(), data_dir=Path(tempfile.mkdtemp()))
    replay = Replay(in_process_sender(create_app(settings)), care_words(settings.content_dir))
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return 1 if summary([replay.run(case) for case in cases]) else 0


def fallbacks(log: Path) -> int:
    from coach_tools.fallbacks import rates, report

    with log.open(encoding="utf-8", errors="replace") as lines:
        print(report(rates(lines)))
    return 0


def package(args: argparse.Namespace) -> int:
    from coach_tools.package import write_package

    try:
        written = write_package(Path(args.out), args.endpoint, args.certificate, args.content_dir or
                                Settings.from_env().content_dir, args.model_dir or model_dir(), args.privacy_url,
                                args.terms_url)
    except ValueError as error:
        print(f"spasm-coach: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(f"ready: cd {args.out} && ask deploy --target skill-metadata")
    return 0


def maintain(args: argparse.Namespace) -> int:
    """``forget-idle`` and ``backup``: the jobs deploy/'s timers run against the service's own database."""
    import shutil

    from skill.alexa.startup_checks import check_settings
    from skill.clients.persistence import build_adapter

    settings = Settings.from_env()
    check_settings(settings)
    store = build_adapter(settings.resolved_database_url, settings.user_key_secret, settings.data_dir)
    try:
        if args.command == "forget-idle":
            print(f"forgot {store.forget_idle(args.days)} users idle for more than {args.days} days")
            return 0
        try:
            print(store.backup(args.folder))
        except ValueError as error:
            print(f"spasm-coach: {error}", file=sys.stderr)
            return 2
        key = settings.data_dir / "user-key.secret"
        if not settings.user_key_secret and key.exists():  # without it, the copy's rows belong to nobody
            print(shutil.copy2(key, args.folder / key.name))
        return 0
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spasm-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the Alexa webhook with gunicorn")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--workers", type=int, default=2)
    lint = commands.add_parser("check", help="validate content and interaction models; exit 1 on any problem")
    lint.add_argument("--content-dir", type=Path, help="default: SPASM_COACH_CONTENT_DIR, or the shipped content")
    lint.add_argument("--model-dir", type=Path, help="default: the shipped interaction models")
    lint.add_argument("--sources", type=Path, help="the sources every content source names; default: docs/sources.md")
    talk = commands.add_parser("chat", help="talk to the skill from a terminal, with timers that really fire")
    talk.add_argument("--say", action="append", help="one utterance; repeat for several")
    talk.add_argument("--script", help="a file of utterances, one per line (# starts a comment)")
    talk.add_argument("--url", help="send to a running server's /alexa instead of in-process")
    talk.add_argument("--time-scale", type=float, default=1.0, help="run local timers N times faster")
    talk.add_argument("--speak", action="store_true", help="speak timer announcements with espeak-ng")
    talk.add_argument("--wait-for-timers", action="store_true", help="after the last line, wait for timers to fire")
    talk.add_argument("--fresh", action="store_true", help="start as a new user with an empty database")
    talk.add_argument("--replay", metavar="NAME", help="pick the same wording every run (request ids from NAME)")
    talk.add_argument("--locale", default="en-US", help="the request locale, and the shipped model to hear with")
    talk.add_argument("--strict", action="store_true",
                      help="hear as a device does: only the model's samples and slot values (the default forgives "
                           "Alexa's own phrases for built-in intents, courtesy words and values outside a list)")
    talk.add_argument("--model", type=Path, help="an interaction model; default: the shipped one of --locale")
    replay = commands.add_parser("people", help="replay people's words at their points of a conversation, heard "
                                                "as a device hears them; exit 1 on any miss")
    replay.add_argument("cases", type=Path, help="a case file such as tests/corpus/people-words-dev.yaml")
    measure = commands.add_parser("fallbacks", help="how often people were not understood at the safety screen, "
                                                    "in an exercise or at a timer question, from the request log")
    measure.add_argument("log", type=Path, help="a file of the service's JSON log lines")
    build = commands.add_parser("models", help="write interaction_model/<locale>.json from interaction_model/source")
    build.add_argument("--content-dir", type=Path, help="default: SPASM_COACH_CONTENT_DIR, or the shipped content")
    build.add_argument("--model-dir", type=Path, help="default: the shipped interaction models")
    pack = commands.add_parser("package", help="write an ASK CLI skill package for ask deploy")
    pack.add_argument("--endpoint", required=True, help="the HTTPS endpoint, e.g. https://coach.example.com/alexa")
    pack.add_argument("--certificate", default="Trusted", choices=("Trusted", "Wildcard", "SelfSigned"))
    # Not under setuptools' build/: the ASK CLI keeps the skill id in .ask/ask-states.json, and losing it would make
    # the next deploy create a second skill.
    pack.add_argument("--out", default="ask-project")
    pack.add_argument("--privacy-url", help="the privacy policy's https URL; default: the endpoint host's /privacy,"
                                            " which the service serves")
    pack.add_argument("--terms-url", help="the terms of use's https URL; default: the endpoint host's /terms")
    pack.add_argument("--content-dir", type=Path, help="default: SPASM_COACH_CONTENT_DIR, or the shipped content")
    pack.add_argument("--model-dir", type=Path, help="default: the shipped interaction models")
    idle = commands.add_parser("forget-idle", help="delete the rows of users idle for more than --days days")
    idle.add_argument("--days", type=int, default=400, help="default 400: a year of seasons, and a month more")
    keep = commands.add_parser("backup", help="SQLite: copy the database and its user key into FOLDER")
    keep.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args.host, args.port, args.workers)
        if args.command == "chat":
            return chat(args)
        if args.command == "people":
            return people(args.cases)
        if args.command == "fallbacks":
            return fallbacks(args.log)
        if args.command == "package":
            return package(args)
        if args.command in ("forget-idle", "backup"):
            return maintain(args)
        if args.command == "models":
            return models(args.content_dir or Settings.from_env().content_dir, args.model_dir)
        settings = Settings.from_env()
        if args.content_dir is None:  # the server's own settings: held to what serving needs, as serve holds them
            from skill.alexa.startup_checks import check_settings

            check_settings(settings)
        return check(args.content_dir or settings.content_dir, args.model_dir or model_dir(), args.sources)
    except (SettingsError, ContentError) as error:
        print(f"spasm-coach: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
