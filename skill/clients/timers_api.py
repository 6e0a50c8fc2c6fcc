"""The Alexa Timers API: the skill's own timers, created, read and changed, every call of a turn within one
deadline for them all.

Calls go through ask-sdk's ``ApiClient`` seam (one implementation, with the deadline and the scheme rule) to the
``apiEndpoint`` of the request, with its ``apiAccessToken``. A turn's calls share one budget (a round of three
timers and its listing must still leave Alexa's eight seconds room for the reply), and each call ends by the
budget's end, however slowly the other side answers. The SDK's own timer service client is not used because it
reports a timeout or a refused connection as an HTTP 500, and the user deserves to hear which it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.utils
import ipaddress
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

from skill.foundations import metrics
from skill.foundations.alexa_platform import TIMERS_PATH
from skill.foundations.outbound import OutboundError, exchange
from skill.foundations.times import iso_duration, parse_duration, parse_timestamp, utc_now


class Unreachable(ApiClientException):
    """The API did not answer: a timeout, a refused connection, or a non-HTTPS endpoint. ``late`` when the
    deadline ended an exchange already sent, so what was asked may have been done."""

    def __init__(self, reason: str, late: bool = False) -> None:
        super().__init__(reason)
        self.late = late


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


MAX_ANSWER_BYTES = 256 * 1024  # a listing of a user's timers is a few kilobytes


class TimeoutApiClient(ApiClient):
    """ask-sdk's client interface with a deadline on every call (``timeout`` seconds, or what the turn has left),
    and plain HTTP allowed only to this machine (tests and the local simulator); Alexa's real endpoints are always
    HTTPS. The SDK's ``DefaultApiClient`` is not used: it cannot keep a deadline, and it would load ``requests``
    (130 modules, 6 MiB a worker) for calls ``http.client`` makes as well."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout  # seconds for all of one turn's calls together

    def invoke(self, request: ApiClientRequest, seconds: float | None = None) -> ApiClientResponse:
        url = urlsplit(request.url or "")
        if url.scheme != "https" and not (url.scheme == "http" and is_loopback(url.hostname)):
            raise Unreachable(f"refusing a non-HTTPS API endpoint: {url.scheme}://{url.hostname}")
        headers: dict[str, str] = {}
        for name, value in request.headers or ():  # a repeated header is joined, as the SDK's client does
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        data = request.body
        if data is not None and not isinstance(data, (str, bytes)):
            data = json.dumps(data)
        try:
            answer = exchange(request.method or "GET", request.url or "", headers=headers,
                              body=data.encode("utf-8") if isinstance(data, str) else data,
                              seconds=self.timeout if seconds is None else seconds, max_bytes=MAX_ANSWER_BYTES)
        except OutboundError as error:
            raise Unreachable(error.reason, late=error.late) from None
        return ApiClientResponse(headers=list(answer.headers.items()), status_code=answer.status,
                                 body=answer.body.decode("utf-8", "replace"))


class TimerError(Exception):
    """A Timers API call failed; ``reason`` names what the user will be told (one of ``REASONS``)."""

    BY_STATUS = {400: "rejected", 401: "permission", 403: "permission", 404: "not_found", 429: "busy",
                 504: "offline"}
    # "left_over": a round that failed half-way, and some of what it set could not be taken back.
    # "unconfirmed": a timer asked for whose answer was lost, and the listing that would tell came too late too.
    REASONS = frozenset({*BY_STATUS.values(), "failed", "unreachable", "left_over", "unconfirmed"})

    def __init__(self, reason: str, status: int | None = None, *, lost: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{reason} ({status})" if status else reason)
        self.reason = reason
        self.status = status
        self.lost = lost  # the request was sent and its answer never came: it may have been done
        self.retry_after = retry_after  # seconds, from a 429's Retry-After

    @classmethod
    def for_status(cls, status: int, retry_after: float | None = None) -> TimerError:
        return cls(cls.BY_STATUS.get(status, "failed"), status, retry_after=retry_after)


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
    """The Timers API as one user's request may use it: every call ends by ``ends`` (``time.monotonic()``), the
    deadline of the turn's calls together."""

    def __init__(self, client: TimeoutApiClient, endpoint: str, token: str, ends: float,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._client = client
        self._base = endpoint.rstrip("/") + TIMERS_PATH
        self._token = token
        self._ends = ends
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
        created = self._call("POST", "", body)
        if not isinstance(created, dict) or not created.get("id"):
            # Set or not, a timer without an id cannot be told apart, paused or cancelled: not a timer to promise.
            raise TimerError("failed", 200)
        return _parse_timer(created, self._clock())

    def with_grace(self, seconds: float) -> TimersApi:
        """The same API with ``seconds`` of its own from now: to find out, after an answer was lost, what was done."""
        grace = copy.copy(self)
        grace._ends = time.monotonic() + seconds
        return grace

    def list(self) -> list[Timer]:
        data = self._call("GET", "")
        now = self._clock()
        try:
            return [_parse_timer(item, now) for item in (data or {}).get("timers") or []]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise TimerError("failed", 200) from None

    def delete(self, timer_id: str) -> None:
        self._call("DELETE", f"/{timer_id}")

    def pause(self, timer_id: str) -> None:
        self._call("POST", f"/{timer_id}/pause")

    def resume(self, timer_id: str) -> None:
        self._call("POST", f"/{timer_id}/resume")

    def _call(self, method: str, path: str, body: dict | None = None) -> dict | None:
        try:
            answer = self._send(method, path, body)
        except TimerError as error:
            metrics.timers_api(error.reason)
            raise
        metrics.timers_api("ok")
        return answer

    def _send(self, method: str, path: str, body: dict | None) -> dict | None:
        headers = [("Authorization", f"Bearer {self._token}")]
        if body is not None:
            headers.append(("Content-type", "application/json"))
        request = ApiClientRequest(headers=headers, method=method, url=self._base + path, body=body)
        left = self._ends - time.monotonic()
        if left <= 0:
            raise TimerError("unreachable")  # the turn's time for the API is spent: answer the user now
        try:
            response = self._client.invoke(request, seconds=left)
        except ApiClientException as error:
            raise TimerError("unreachable", lost=getattr(error, "late", False)) from None
        if not 200 <= response.status_code < 300:
            raise TimerError.for_status(response.status_code, retry_after(response.headers))
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError:
            raise TimerError("failed", response.status_code) from None


def retry_after(headers: list[tuple[str, str]] | None) -> float | None:
    """Seconds from a Retry-After header (seconds, or an HTTP date), if there is a sensible one."""
    value = next((v for k, v in headers or () if k.lower() == "retry-after"), None)
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max((moment - utc_now()).total_seconds(), 0.0)
