"""The production recipe in deploy/, run on this machine: nginx from Debian's packages with the site as shipped
(only the names, paths and ports marked "yours" changed), a throwaway certificate, and three instances of
``spasm-coach serve`` on one PostgreSQL database behind it. Signatures are off in the instances (no Amazon here);
that the signed bytes and headers pass through untouched is checked on their own.

Skipped, saying so, where nginx is not installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import envelope
from test_whole_conversations import Person, day_zero

from coach_tools.tls import HOST, throwaway_certificate

DEPLOY = Path(__file__).parent.parent / "deploy"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light; .ci/run"
                                                      " does), so the deploy recipe cannot be run here")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Proxy:
    """nginx running deploy/nginx/ with this machine's names, paths and ports."""

    def __init__(self, folder: Path, upstreams: list[int]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.cert, key = throwaway_certificate(folder)
        self.port = _free_port()
        proxy_conf = folder / "spasm-coach-proxy.conf"
        shutil.copyfile(DEPLOY / "nginx" / "spasm-coach-proxy.conf", proxy_conf)
        site = (DEPLOY / "nginx" / "spasm-coach.conf").read_text()
        servers = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in upstreams)
        site, found = re.subn(r"    server 127\.0\.0\.1:8080 [^\n]*\n", servers, site)
        assert found == 1, "the upstream line of the site changed: update this test's substitution"
        for shipped, ours in ((" 443 ssl;", f" {self.port} ssl;"),
                              ("/etc/nginx/spasm-coach-proxy.conf", str(proxy_conf)),
                              ("/etc/letsencrypt/live/coach.example.com/fullchain.pem", str(self.cert)),
                              ("/etc/letsencrypt/live/coach.example.com/privkey.pem", str(key))):
            assert shipped in site, shipped
            site = site.replace(shipped, ours)
        (folder / "site.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach this test's private folder
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
            f"  include {folder}/site.conf;\n}}\n")
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c",
                                         str(folder / "nginx.conf"), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1).close(), self.process)

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context(), timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _wait_for(ready, process: subprocess.Popen) -> None:
    for _ in range(200):  # bounded; not an assertion on time
        try:
            ready()
            return
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
    raise AssertionError("never came up")


class Instance:
    """One ``spasm-coach serve`` with one worker, as systemd would start it, on the shared database."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.port = _free_port()
        env = {**os.environ, "SPASM_COACH_VERIFY": "0", "SPASM_COACH_DATABASE_URL": database_url,
               "SPASM_COACH_USER_KEY_SECRET": "one-secret-for-every-host", "SPASM_COACH_DATA_DIR": str(folder),
               "SPASM_COACH_CONTACT": "Ada Lovelace, privacy@coach.example.com"}
        command = [str(Path(sys.executable).parent / "spasm-coach"), "serve", "--port", str(self.port),
                   "--workers", "1"]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self) -> None:
        _wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1).close(), self.process)

    def stop(self) -> list[dict]:
        """Stop it as systemd does (SIGTERM) and return the request log lines it wrote."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=15)
        lines = [json.loads(line) for line in self.process.stderr.read().decode().splitlines() if line.strip()]
        return [line for line in lines if line["logger"] == "skill.requests"]


class ThroughProxy:
    """What the tests' Alexa posts with: over TLS through nginx, a new connection per request, as Alexa does.
    ``after`` is called with the number of requests sent, after each one."""

    def __init__(self, proxy: Proxy, after) -> None:
        self.proxy, self.after, self.sent = proxy, after, 0

    def post(self, path: str, data: str, content_type: str):
        status, body = self.proxy.request("POST", path, data.encode(), {"Content-Type": content_type})
        self.sent += 1
        self.after(self.sent)
        return _Answer(status, body)


class _Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code, self.body = status, body

    def get_json(self) -> dict:
        return json.loads(self.body)


@pytest.fixture
def three_instances(tmp_path, postgres_url):
    instances = [Instance(tmp_path / f"host{i}", postgres_url) for i in range(3)]
    try:
        for instance in instances:
            instance.wait()
        proxy = Proxy(tmp_path / "nginx", [instance.port for instance in instances])
        try:
            yield proxy, instances
        finally:
            proxy.stop()
    finally:
        for instance in instances:
            if instance.process.poll() is None:
                instance.process.kill()


def test_a_conversation_through_nginx_across_three_instances_survives_one_stopping(three_instances, timers_api):
    proxy, instances = three_instances
    stopped: list[list[dict]] = []

    def stop_one_midway(sent: int) -> None:
        if sent == 6:  # in the middle of the safety screen and the plan
            stopped.append(instances[1].stop())

    someone = Person(ThroughProxy(proxy, stop_one_midway), timers_api, "en-GB", "DEPLOYED")
    kept = day_zero(someone)  # a whole first conversation, a real ice timer set through the Timers API
    back = someone.launch()  # the next day, on whichever instance: the place kept in the shared database
    assert back.speech.startswith("Welcome back. You were partway through the treatment steps.")
    someone.says("carry on")
    someone.says("no")
    assert someone.says("it started yesterday").speech.startswith("Back to warmth") and someone.place == kept

    before, after = stopped[0], [instances[0].stop(), instances[2].stop()]
    assert len(before) >= 2 and all(line["outcome"] == "answered" for line in before)  # it served its share
    assert all(after) and all(line["outcome"] == "answered" for lines in after for line in lines)
    assert len(before) + sum(map(len, after)) == someone.alexa.client.sent  # each turn answered once, none lost


def test_only_the_services_routes_are_exposed_and_slow_clients_stay_at_the_proxy(three_instances):
    proxy, instances = three_instances
    assert proxy.request("GET", "/healthz")[0] == 200
    status, policy = proxy.request("GET", "/privacy")
    assert status == 200 and b"Ada Lovelace" in policy
    for path in ("/metrics", "/", "/alexa/../metrics", "/admin"):
        assert proxy.request("GET", path)[0] == 404, path
    assert proxy.request("POST", "/alexa", b"x" * (300 * 1024), {"Content-Type": "application/json"})[0] == 413

    slow = []
    for _ in range(20):  # each sends its headers and a sliver of its body, then stalls
        connection = proxy.context().wrap_socket(socket.create_connection(("127.0.0.1", proxy.port)),
                                                 server_hostname=HOST)
        connection.sendall(b"POST /alexa HTTP/1.1\r\nHost: coach.test\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1000\r\n\r\n{\"version\"")
        slow.append(connection)
    try:
        time.sleep(0.5)  # let nginx read what they sent
        ports = {instance.port for instance in instances}
        assert not _established_to(ports), "a slow client reached an instance"
        launch = json.dumps(envelope({"type": "LaunchRequest"}, new=True))
        status, body = proxy.request("POST", "/alexa", launch.encode(), {"Content-Type": "application/json"})
        assert status == 200 and "Welcome to Spasm Coach" in json.loads(body)["response"]["outputSpeech"]["ssml"]
    finally:
        for connection in slow:
            connection.close()


def _established_to(ports: set[int]) -> list[str]:
    """Connections to ``ports`` on this machine in the ESTABLISHED state, from /proc/net/tcp."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return [row for row in rows if row.split()[3] == "01" and int(row.split()[1].split(":")[1], 16) in ports]


def test_the_signed_bytes_and_headers_reach_the_service_untouched(tmp_path):
    """Alexa's signature covers the exact body: nginx must pass it, and both signature headers, as they came,
    even when the client sends the body in chunks."""
    seen: list[tuple[dict, bytes]] = []

    class Capture(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((dict(self.headers), body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = Proxy(tmp_path / "nginx", [server.server_address[1]])
    body = '{"version":"1.0",  "request" : {"type":"LaunchRequest","x":"é\\u00e9 \\n"}}\n'.encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "Signature-256": "c2lnbmF0dXJl+/==",
               "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-12.pem"}
    try:
        assert proxy.request("POST", "/alexa", body, headers)[0] == 200
        # An iterable body: http.client sends it with Transfer-Encoding: chunked.
        assert proxy.request("POST", "/alexa", iter([body[:7], body[7:]]), headers)[0] == 200
    finally:
        proxy.stop()
        server.shutdown()
    assert len(seen) == 2
    for received, received_body in seen:
        assert received_body == body
        for name in ("Signature-256", "SignatureCertChainUrl", "Content-Type"):
            assert received[name] == headers[name]


def test_the_systemd_units_are_valid_and_run_commands_the_service_has(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    command = Path(sys.executable).parent / "spasm-coach"
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/opt/spasm-coach/bin/spasm-coach", str(command))
        (tmp_path / unit.name).write_text(text.replace("EnvironmentFile=/etc/", "EnvironmentFile=-/etc/"))
    result = subprocess.run([analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True, env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"})
    problems = [line for line in result.stderr.splitlines() if "spasm-coach" in line]
    assert result.returncode == 0 and not problems, result.stderr
    for unit in (DEPLOY / "systemd").glob("*.service"):  # each command line is one the CLI accepts
        line = next(row for row in unit.read_text().splitlines() if row.startswith("ExecStart="))
        arguments = line.split("spasm-coach", 2)[-1].split()
        with pytest.raises(SystemExit) as done:
            from skill.cli import main

            main([arguments[0], "--help"])
        assert done.value.code == 0
