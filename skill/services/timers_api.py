"""The Alexa Timers API: the skill's own timers, created, read and changed with a timeout on every call.

Calls go through ask-sdk's ``ApiClient`` seam (one subclass adds the timeout and the scheme rule) to the
``apiEndpoint`` of the request, with its ``apiAccessToken``. The SDK's own timer service client is not used
because it reports a timeout or a refused connection as an HTTP 500, and the user deserves to hear which it was.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest, ApiClientResponse

from skill.alexa_platform import TIMERS_PATH
from skill.times import iso_duration, parse_duration, parse_timestamp, utc_now


class Unreachable(ApiClientException):
    """The API did not answer: a timeout, a refused connection, or a non-HTTPS endpoint."""


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class TimeoutApiClient(DefaultApiClient):
    """ask-sdk's client with a timeout on every call, and plain HTTP allowed only to this machine (tests and the
    local simulator); Alexa's real endpoints are always HTTPS."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._session = requests.Session()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        url = urlsplit(request.url or "")
        if url.scheme != "https" and not (url.scheme == "http" and is_loopback(url.hostname)):
            raise Unreachable(f"refusing a non-HTTPS API endpoint: {url.scheme}://{url.hostname}")
        headers = self._convert_list_tuples_to_dict(request.headers)
        data = request.body
        if data is not None and "json" in headers.get("Content-type", ""):
            data = json.dumps(data)
        try:
            response = self._session.request(request.method or "GET", request.url, headers=headers, data=data,
                                             timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as error:
            raise Unreachable(f"{type(error).__name__}") from None
        return ApiClientResponse(headers=self._convert_dict_to_list_tuples(dict(response.headers)),
                                 status_code=response.status_code, body=response.text)


class TimerError(Exception):
    """A Timers API call failed; ``reason`` names what the user will be told (one of ``REASONS``)."""

    BY_STATUS = {400: "rejected", 401: "permission", 403: "permission", 404: "not_found", 429: "busy",
                 504: "offline"}
    REASONS = frozenset({*BY_STATUS.values(), "failed", "unreachable"})

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(f"{reason} ({status})" if status else reason)
        self.reason = reason
        self.status = status

    @classmethod
    def for_status(cls, status: int) -> TimerError:
        return cls(cls.BY_STATUS.get(status, "failed"), status)


@dataclass(frozen=True)
class Timer:
    id: str
    label: str
    status: str  # ON, PAUSED or OFF
    remaining: dt.timedelta | None


def _parse_timer(data: dict, now: dt.datetime) -> Timer:
    remaining = None
    if data.get("status") == "PAUSED" and data.get("remainingTimeWhenPaused"):
        remaining = parse_duration(data["remainingTimeWhenPaused"])
    elif data.get("triggerTime"):
        remaining = max(parse_timestamp(data["triggerTime"]) - now, dt.timedelta(0))
    return Timer(str(data["id"]), str(data.get("timerLabel") or ""), str(data.get("status") or "ON"), remaining)


class TimersApi:
    """The Timers API as one user's request may use it."""

    def __init__(self, client: DefaultApiClient, endpoint: str, token: str,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._client = client
        self._base = endpoint.rstrip("/") + TIMERS_PATH
        self._token = token
        self._clock = clock

    def create(self, duration: dt.timedelta, label: str, announce: str, locale: str) -> Timer:
        body = {
            "duration": iso_duration(duration),
            "timerLabel": label,
            "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
            "triggeringBehavior": {
                "operation": {"type": "ANNOUNCE", "textToAnnounce": [{"locale": locale, "text": announce}]},
                "notificationConfig": {"playAudible": True},
            },
        }
        return _parse_timer(self._call("POST", "", body), self._clock())

    def list(self) -> list[Timer]:
        data = self._call("GET", "")
        now = self._clock()
        return [_parse_timer(item, now) for item in (data or {}).get("timers") or []]

    def delete(self, timer_id: str) -> None:
        self._call("DELETE", f"/{timer_id}")

    def pause(self, timer_id: str) -> None:
        self._call("POST", f"/{timer_id}/pause")

    def resume(self, timer_id: str) -> None:
        self._call("POST", f"/{timer_id}/resume")

    def _call(self, method: str, path: str, body: dict | None = None) -> dict | None:
        headers = [("Authorization", f"Bearer {self._token}")]
        if body is not None:
            headers.append(("Content-type", "application/json"))
        request = ApiClientRequest(headers=headers, method=method, url=self._base + path, body=body)
        try:
            response = self._client.invoke(request)
        except ApiClientException:
            raise TimerError("unreachable") from None
        if not 200 <= response.status_code < 300:
            raise TimerError.for_status(response.status_code)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError:
            raise TimerError("failed", response.status_code) from None
