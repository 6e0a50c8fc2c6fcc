"""The web service as its operator sees it: health, logs, settings, and gunicorn on a real socket."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import envelope, intent_request

from coach_tools.local_timers import Fault
from skill import __version__
from skill.alexa.assembly import handler_deps
from skill.cli import main
from skill.clients.sql_dialects import DatabaseLimits
from skill.content import load_content
from skill.edge.app import database_limits
from skill.foundations.config import Settings, SettingsError
from skill.foundations.logs import JsonLines
from skill.foundations.times import parse_timestamp, utc_now


def test_healthz_reports_version_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": __version__, "database": True}


def test_the_store_listings_privacy_policy_and_terms_are_served_naming_the_operator(settings, contents):
    from skill.edge.app import create_app

    client = create_app(replace(settings, contact="Ada Lovelace, privacy@coach.example.com"), contents=contents
                        ).test_client()
    privacy, terms = client.get("/privacy"), client.get("/terms")
    assert privacy.status_code == terms.status_code == 200
    assert privacy.mimetype == terms.mimetype == "text/plain" and privacy.mimetype_params["charset"] == "utf-8"
    assert "Ada Lovelace, privacy@coach.example.com" in privacy.text and "forget me" in privacy.text
    assert "not a substitute for professional medical advice" in " ".join(terms.text.split())
    assert "Ada Lovelace" in terms.text
    assert "{contact}" not in privacy.text + terms.text


def test_every_log_line_says_when_in_utc(client):
    stream = io.StringIO()
    handler, logger = JsonLines(stream), logging.getLogger("skill")
    logger.addHandler(handler)
    try:
        client.post("/alexa", data=json.dumps(envelope(intent_request("AMAZON.HelpIntent"))))  # the fast path
        logging.getLogger("skill.app").warning("a warning")  # and the formatter
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {line["message"] for line in lines} >= {"request", "a warning"}
    for line in lines:
        assert line["time"].endswith("Z") and abs(parse_timestamp(line["time"]) - utc_now()) < dt.timedelta(minutes=5)


def test_one_json_line_per_request_without_secrets(client, log_lines):
    body = envelope(intent_request("AMAZON.HelpIntent"))
    client.post("/alexa", data=json.dumps(body))
    client.post("/alexa", data=b"not json")
    lines = [line for line in log_lines() if line["logger"] == "skill.requests"]
    assert len(lines) == 2
    answered, rejected = lines
    assert answered["request_id"] == body["request"]["requestId"]
    assert (answered["request_type"], answered["intent"], answered["outcome"]) == \
        ("IntentRequest", "AMAZON.HelpIntent", "answered")
    assert isinstance(answered["ms"], float)
    assert rejected["outcome"] == "rejected" and rejected["reason"] == "body is not JSON"
    everything = json.dumps(log_lines())
    for secret in ("TESTUSER", "secret-api-access-token", "amzn1.ask.account"):
        assert secret not in everything


def test_the_service_handler_writes_the_request_line_as_logging_would(client, log_lines):
    """The service's own handler writes the request line without a LogRecord; a plain handler with the same
    formatter (log_lines) gets it through logging. Both must say the same."""
    stream = io.StringIO()
    handler = JsonLines(stream)
    logging.getLogger("skill").addHandler(handler)
    try:
        client.post("/alexa", data=json.dumps(envelope(intent_request("AMAZON.HelpIntent"))))
        client.post("/alexa", data=b"{}")
    finally:
        logging.getLogger("skill").removeHandler(handler)
    ours = [json.loads(line) for line in stream.getvalue().splitlines()]
    through_logging = [line for line in log_lines() if line["logger"] == "skill.requests"]
    assert [line["outcome"] for line in ours] == ["answered", "rejected"]
    assert ours == through_logging


def test_log_lines_are_bounded_whatever_a_request_carries(client, log_lines):
    """A 100 KB request id, intent name and request type: every field is cut, on both handlers, so no line nears
    the 16 KiB at which log drivers split lines."""
    huge = "x" * 100_000
    body = envelope(intent_request(huge), request_id=huge)
    body["request"]["type"] = "IntentRequest"
    stream = io.StringIO()
    handler = JsonLines(stream)
    logging.getLogger("skill").addHandler(handler)
    try:
        client.post("/alexa", data=json.dumps(body))
        odd = envelope({"type": "Odd" + huge})
        client.post("/alexa", data=json.dumps(odd))
    finally:
        logging.getLogger("skill").removeHandler(handler)
    written = stream.getvalue().splitlines()
    assert written and all(len(line.encode()) < 16 * 1024 for line in written)
    assert all(len(line.encode()) < 16 * 1024 for line in map(json.dumps, log_lines()))
    request_lines = [json.loads(line) for line in written if '"skill.requests"' in line]
    assert request_lines[0]["request_id"].endswith("…[cut]") and len(request_lines[0]["request_id"]) == 1024
    assert request_lines[0]["intent"].endswith("…[cut]")


def test_session_end_reason_and_error_are_logged(client, log_lines):
    request = {"type": "SessionEndedRequest", "reason": "ERROR",
               "error": {"type": "INVALID_RESPONSE", "message": "SSML was invalid"}}
    client.post("/alexa", data=json.dumps(envelope(request)))
    ended = next(line for line in log_lines() if line["message"] == "session ended")
    assert (ended["level"], ended["reason"], ended["error_type"], ended["error_message"]) == \
        ("WARNING", "ERROR", "INVALID_RESPONSE", "SSML was invalid")


def test_alexa_refusing_a_response_is_a_warning_with_its_detail(client, log_lines):
    request = {"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE", "message": "bad SSML"},
               "cause": {"requestId": "amzn1.echo-api.request.earlier"}}
    response = client.post("/alexa", data=json.dumps(envelope(request)))
    assert response.status_code == 200 and "outputSpeech" not in response.get_json()["response"]
    refused = next(line for line in log_lines() if line["message"] == "alexa could not use a response")
    assert (refused["level"], refused["error_type"], refused["error_message"], refused["cause_request_id"]) == \
        ("WARNING", "INVALID_RESPONSE", "bad SSML", "amzn1.echo-api.request.earlier")


def test_settings_from_the_environment(tmp_path):
    settings = Settings.from_env({"SPASM_COACH_VERIFY": "false", "SPASM_COACH_SKILL_ID": "a, b",
                                  "SPASM_COACH_LOG_LEVEL": "debug", "XDG_DATA_HOME": str(tmp_path)})
    assert settings.verify is False and settings.skill_ids == ("a", "b") and settings.log_level == "DEBUG"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'spasm-coach' / 'spasm-coach.sqlite3'}"
    assert Settings.from_env({}).verify is True
    with pytest.raises(SettingsError, match="SPASM_COACH_VERIFY"):
        Settings.from_env({"SPASM_COACH_VERIFY": "maybe"})
    with pytest.raises(SettingsError, match="CERT_FETCH_TIMEOUT"):
        Settings.from_env({"SPASM_COACH_CERT_FETCH_TIMEOUT": "30"})


def test_every_limit_has_one_default_the_settings():
    """A timeout or limit is written once: unset in the environment, in the database adapter, in the skill."""
    plain, unset = Settings(), Settings.from_env({})
    limits = (plain.api_timeout, plain.cert_fetch_timeout, plain.db_lock_timeout, plain.db_statement_timeout,
              plain.min_free_mb)
    assert limits == (3.0, 2.0, 2.0, 3.0, 16)
    assert (unset.api_timeout, unset.cert_fetch_timeout, unset.db_lock_timeout, unset.db_statement_timeout,
            unset.min_free_mb) == limits
    assert DatabaseLimits() == database_limits(plain)
    assert handler_deps(load_content()).api_client.timeout == plain.api_timeout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(tmp_path: Path, port: int, workers: int = 1) -> subprocess.Popen:
    """``spasm-coach serve`` with one worker (or ``workers``), as a real process, once it answers /healthz."""
    env = {**os.environ, "SPASM_COACH_VERIFY": "0", "XDG_DATA_HOME": str(tmp_path)}
    command = [str(Path(sys.executable).parent / "spasm-coach"), "serve", "--port", str(port), "--workers",
               str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):  # wait for gunicorn to bind; bounded, and not an assertion on time
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.1)
    raise AssertionError("the server never answered /healthz")


def test_spasm_coach_serve_answers_a_launch_over_a_real_socket(tmp_path):
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        url = f"http://127.0.0.1:{port}"
        health = json.load(urllib.request.urlopen(url + "/healthz", timeout=1))
        assert health["database"] is True
        launch = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
        request = urllib.request.Request(url + "/alexa", data=launch, headers={"Content-Type": "application/json"})
        reply = json.load(urllib.request.urlopen(request, timeout=5))
        assert "Welcome to Spasm Coach" in reply["response"]["outputSpeech"]["ssml"]
        assert (tmp_path / "spasm-coach" / "spasm-coach.sqlite3").exists()
        assert oct((tmp_path / "spasm-coach" / "user-key.secret").stat().st_mode & 0o777) == "0o600"
    finally:
        server.terminate()
        server.wait(timeout=10)
    lines = [json.loads(line) for line in server.stderr.read().decode().splitlines() if line.strip()]  # all JSON
    assert all(line["time"] and line["level"] for line in lines)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    assert any(line["logger"] == "skill.requests" and line["outcome"] == "answered" for line in lines)


def _post(port: int, body: dict, timeout: float = 10) -> socket.socket:
    """POST ``body`` to /alexa on a raw connection of its own, left open for the answer."""
    data = json.dumps(body).encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    connection.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Connection: close\r\nContent-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
    return connection


def _hold_a_worker(port: int, timers_api, timeout: float = 10) -> socket.socket:
    """A timer question whose Timers API call answers a second late: when this returns, a worker is inside it."""
    timers_api.grant("secret-api-access-token")
    timers_api.faults.append(Fault(method="GET", delay=1.0))
    held = _post(port, envelope(intent_request("TimerStatusIntent"), api_endpoint=timers_api.url, consent=True),
                 timeout)
    for _ in range(100):  # bounded wait until the worker is inside the call; not an assertion on time
        if timers_api.requests:
            break
        time.sleep(0.05)
    return held


def test_sigterm_answers_the_requests_already_queued(tmp_path, timers_api):
    """A deploy stops the server while one request is in hand and three wait in the queue: all four are answered."""
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        in_hand = _hold_a_worker(port, timers_api)  # the only worker
        queued = [_post(port, envelope({"type": "LaunchRequest"}, new=True, unique_ids=True)) for _ in range(3)]
        server.send_signal(signal.SIGTERM)
        for connection in [in_hand, *queued]:
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            connection.close()
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()


def test_two_servers_on_one_machine_run_side_by_side(tmp_path):
    """gunicorn's per-user control socket would be one path for both; serve turns it off, so neither fights."""
    ports = [_free_port(), _free_port()]
    servers = [_serve(tmp_path / str(port), port) for port in ports]
    try:
        for port in ports:
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
        servers[0].terminate()
        assert servers[0].wait(timeout=15) == 0
        assert urllib.request.urlopen(f"http://127.0.0.1:{ports[1]}/healthz", timeout=2).status == 200
        assert b"control" not in servers[0].stderr.read().lower()
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()


def test_a_hung_worker_is_replaced_and_its_caller_let_go(tmp_path, timers_api, monkeypatch):
    """A worker stopped (SIGSTOP) in the middle of a request: gunicorn kills and replaces it at the worker timeout
    (10 s by default, 2 s here), so the caller is let go and the next request is answered."""
    from skill.edge import serving

    assert serving.timeout <= 10  # Alexa gives up at 8 s
    monkeypatch.setenv("SPASM_COACH_WORKER_TIMEOUT", "2")
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        worker = int(subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True,
                                    check=True).stdout.split()[0])
        caller = _hold_a_worker(port, timers_api, timeout=20)  # a guard: the old 30 s would trip it
        os.kill(worker, signal.SIGSTOP)
        try:
            let_go = caller.recv(65536)
        except ConnectionResetError:
            let_go = b""
        caller.close()
        assert not let_go.startswith(b"HTTP/1.1 200")  # no answer from a stopped worker, but no endless wait
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status == 200  # replaced
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.mark.parametrize("slow", [1, 50])
def test_slow_clients_never_stand_between_a_genuine_request_and_its_answer(tmp_path, slow):
    """Connections that send a header line now and then and never finish (as many as workers, and fifty) do not
    hold the worker: a genuine launch sent after them is answered while they are all still being waited on."""
    port = _free_port()
    server = _serve(tmp_path, port)
    slow_ones = []
    try:
        for _ in range(slow):
            connection = socket.create_connection(("127.0.0.1", port), timeout=20)
            connection.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
            slow_ones.append(connection)
        launch = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/alexa", data=launch,
                                         headers={"Content-Type": "application/json"})
        reply = json.load(urllib.request.urlopen(request, timeout=20))
        assert "Welcome to Spasm Coach" in reply["response"]["outputSpeech"]["ssml"]
        # Every slow one is still open and unanswered: the answer did not wait for any of them to be cut off.
        ready, _, _ = select.select(slow_ones, [], [], 0)
        assert not ready
    finally:
        for connection in slow_ones:
            connection.close()
        server.terminate()
        server.wait(timeout=15)


def test_a_client_that_waits_for_100_continue_is_answered(tmp_path):
    """curl and others send a larger body only after "100 Continue": reading the whole request first must not
    leave them waiting."""
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        body = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close"
                           b"\r\nExpect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 100 Continue")  # without the body, the server asks for it
        connection.sendall(body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        connection.close()
        assert b"HTTP/1.1 200" in answer and b"Welcome to Spasm Coach" in answer
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.mark.parametrize(("env", "said"), [
    ({"SPASM_COACH_DATABASE_URL": "mysql://coach@db/coach"},
     "SPASM_COACH_DATABASE_URL: unsupported database URL scheme 'mysql'"),
    ({"SPASM_COACH_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/test", "SPASM_COACH_USER_KEY_SECRET": "k"},
     "SPASM_COACH_DATABASE_URL: the database would not take a write"),
    ({"SPASM_COACH_CONTENT_DIR": "/nowhere/content"}, "SPASM_COACH_CONTENT_DIR: /nowhere/content is not a content"),
    ({"SPASM_COACH_DATA_DIR": "/proc/spasm-coach"}, "SPASM_COACH_DATA_DIR (/proc/spasm-coach): cannot write there"),
])
@pytest.mark.parametrize("command", ["serve", "check"])
def test_a_bad_setting_stops_serve_and_check_with_one_line(monkeypatch, capsys, env, said, command):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([command, "--port", "1"] if command == "serve" else [command]) == 2  # before gunicorn starts
    err = capsys.readouterr().err
    assert err.startswith(f"spasm-coach: {said}") and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_postgres_driver_is_named_with_what_to_install(monkeypatch, capsys):
    monkeypatch.setenv("SPASM_COACH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    assert main(["check"]) == 2
    assert "pip install 'spasm-coach[postgres]'" in capsys.readouterr().err


def test_the_wsgi_module_stops_with_one_line_on_a_bad_setting(tmp_path):
    env = {**os.environ, "SPASM_COACH_CONTENT_DIR": str(tmp_path / "none")}
    run = subprocess.run([sys.executable, "-c", "import skill.edge.wsgi"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1
    assert run.stderr.startswith("spasm-coach: SPASM_COACH_CONTENT_DIR:") and "Traceback" not in run.stderr


# ---------------------------------------------------------------------------------------------- metrics


def _samples(text: str) -> dict[tuple, float]:
    from prometheus_client.parser import text_string_to_metric_families

    return {(sample.name, *sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_metrics_are_off_unless_enabled(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_timers_fallbacks_and_database_errors(settings, contents, timers_api, tmp_path):
    from conftest import Alexa, slot

    from skill.edge.app import create_app
    from skill.foundations import metrics

    app = create_app(replace(settings, metrics_dir=tmp_path / "metrics"), contents=contents)
    try:
        client = app.test_client()
        alexa = Alexa(client, api_endpoint=timers_api.url)
        timers_api.grant(alexa.api_token)
        alexa.consent = True
        alexa.launch()
        alexa.intent("AMAZON.FallbackIntent")  # not understood at the launch's question
        alexa.intent("StartTimerIntent", slot("therapy", "ice pack", "ICE", "TherapyType"))
        alexa.apology_expected = True
        (settings.data_dir / "spasm-coach.sqlite3").unlink()
        alexa.launch()
        scraped = client.get("/metrics")
    finally:
        metrics.configure(None)
    assert scraped.status_code == 200 and scraped.mimetype == "text/plain"
    counts = _samples(scraped.text)
    launch = ("spasm_coach_requests_total", ("intent", "none"), ("outcome", "answered"),
              ("request_type", "LaunchRequest"))
    assert counts[launch] == 1
    assert counts[(*launch[:2], ("outcome", "apologized"), launch[3])] == 1
    assert counts[("spasm_coach_request_seconds_count", ("request_type", "IntentRequest"))] == 2
    assert counts[("spasm_coach_timers_api_calls_total", ("result", "ok"))] >= 2  # a listing, then the create
    assert [place for (name, *labels), n in counts.items() if name == "spasm_coach_fallbacks_total"
            for _, place in labels] == ["start_offer"]
    assert counts[("spasm_coach_database_errors_total",)] >= 1


def test_metrics_add_up_every_worker_of_a_real_server(tmp_path, monkeypatch, timers_api):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"a previous run's counts")  # cleared at start, never added in
    monkeypatch.setenv("SPASM_COACH_METRICS_DIR", str(folder))
    port = _free_port()
    server = _serve(tmp_path, port, workers=2)
    try:
        url = f"http://127.0.0.1:{port}"
        launch = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
        held = _hold_a_worker(port, timers_api)  # so the other worker answers the launches meanwhile
        for _ in range(20):
            request = urllib.request.Request(url + "/alexa", data=launch, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as answer:
                assert answer.status == 200
        assert held.recv(65536).startswith(b"HTTP/1.1 200")
        held.close()
        workers = {path.name.rsplit("_", 1)[-1] for path in folder.glob("counter_*.db")}
        counts = _samples(urllib.request.urlopen(url + "/metrics", timeout=5).read().decode())
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert counts[("spasm_coach_requests_total", ("intent", "none"), ("outcome", "answered"),
                   ("request_type", "LaunchRequest"))] == 20
    assert len(workers) == 2, workers  # two workers counted, and /metrics summed them
