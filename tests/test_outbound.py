"""Outbound HTTP keeps one connection per host and worker (keep-alive) inside the one-deadline design: what a
person feels is a timer turn's wait on Amazon, where every new connection costs round trips and a TLS handshake."""

from __future__ import annotations

import json
import ssl

import pytest
from conftest import Alexa
from test_timers import ICE

from coach_tools.local_timers import Fault, LocalTimersApi
from coach_tools.tls import server_context, throwaway_certificate
from skill.foundations import outbound
from skill.foundations.outbound import OutboundError, exchange

TOKEN = {"Authorization": "Bearer secret-api-access-token"}


@pytest.fixture(autouse=True)
def _no_connections_kept_between_tests():
    outbound.POOL.clear()
    yield
    outbound.POOL.clear()


def listing(api: LocalTimersApi, seconds: float = 2.0):
    return exchange("GET", api.url + "/v1/alerts/timers", seconds=seconds, max_bytes=65536, headers=TOKEN)


def test_a_round_and_the_turns_after_it_use_one_connection(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")  # a listing and three creates
    timed_alexa.intent("TimerStatusIntent")
    assert len(timers_api.requests) >= 5 and len(timers_api.timers) == 3
    assert timers_api.connections == 1


def test_over_tls_one_handshake_serves_every_call(tmp_path, monkeypatch):
    cert_file, key_file = throwaway_certificate(tmp_path)
    server = server_context(cert_file, key_file)
    monkeypatch.setattr(outbound, "_tls", lambda: ssl.create_default_context(cafile=str(cert_file)))
    api = LocalTimersApi().start(tls=server)
    try:
        api.grant("secret-api-access-token")
        assert api.url.startswith("https://")
        assert [listing(api).status for _ in range(4)] == [200] * 4
        assert api.connections == 1
    finally:
        api.stop()


def test_a_connection_the_server_closed_while_idle_is_replaced(timers_api):
    timers_api.grant("secret-api-access-token")
    timers_api.faults.append(Fault(method="GET", close=True))
    assert listing(timers_api).status == 200  # answered, then closed without a word
    assert listing(timers_api).status == 200
    assert timers_api.connections == 2


def test_a_stale_connection_found_only_by_sending_is_retried_when_repeatable(timers_api, monkeypatch):
    monkeypatch.setattr(outbound, "_still_open", lambda connection: True)  # the close lands as the call is sent
    timers_api.grant("secret-api-access-token")
    timers_api.faults.append(Fault(method="GET", close=True))
    listing(timers_api)
    assert listing(timers_api).status == 200  # a listing may be asked twice: once more, on a fresh connection
    assert timers_api.connections == 2



def test_a_create_whose_answer_is_lost_on_a_reused_connection_is_never_sent_twice(timers_api):
    timers_api.grant("secret-api-access-token")
    listing(timers_api)
    timers_api.faults.append(Fault(method="POST", drop=True))  # read, then the connection closes unanswered
    with pytest.raises(OutboundError):  # it may have been done: said as such by the caller, never repeated
        exchange("POST", timers_api.url + "/v1/alerts/timers", seconds=2.0, max_bytes=65536, headers=TOKEN,
                 body=b'{"duration": "PT15M"}')
    assert [method for method, *_ in timers_api.requests] == ["GET", "POST"]


def test_a_reused_connection_is_cut_at_the_deadline_and_not_kept(timers_api):
    timers_api.grant("secret-api-access-token")
    listing(timers_api)
    timers_api.faults.append(Fault(method="GET", delay=1.0))
    with pytest.raises(OutboundError) as late:
        listing(timers_api, seconds=0.3)
    assert late.value.late
    assert listing(timers_api).status == 200 and timers_api.connections == 2  # the cut one was not kept


def test_a_worker_without_the_timers_permission_still_reuses_the_connection(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    alexa.consent = True  # consented on the device, but Amazon refuses the token: 401 on every call
    alexa.intent("StartTimerIntent", ICE)
    alexa.intent("StartTimerIntent", ICE)
    assert timers_api.connections == 1


def test_a_call_with_no_time_left_is_late_without_connecting(timers_api):
    with pytest.raises(OutboundError) as late:
        listing(timers_api, seconds=0)
    assert late.value.late and timers_api.connections == 0


def test_the_first_call_on_a_fresh_connection_sends_its_body(timers_api):
    timers_api.grant("secret-api-access-token")
    body = {"duration": "PT15M", "timerLabel": "first",
            "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
            "triggeringBehavior": {"operation": {"type": "ANNOUNCE", "textToAnnounce": [
                {"locale": "en-US", "text": "Time's up."}]}, "notificationConfig": {"playAudible": True}}}
    created = exchange("POST", timers_api.url + "/v1/alerts/timers", seconds=2.0, max_bytes=65536, headers=TOKEN,
                       body=json.dumps(body).encode())
    assert created.status == 200 and [t.label for t in timers_api.timers.values()] == ["first"]


def test_a_fresh_connection_that_fails_is_an_error_not_a_retry(timers_api):
    timers_api.grant("secret-api-access-token")
    timers_api.faults.append(Fault(method="GET", drop=True))
    with pytest.raises(OutboundError):  # nothing stale about a new connection: the service failed
        listing(timers_api)
    assert [method for method, *_ in timers_api.requests] == ["GET"] and timers_api.connections == 1
