"""A conversation with the skill from a terminal: typed words in, what Alexa would say out.

Each line is resolved through the interaction model (``coach_tools.nlu``), wrapped in a real request envelope (a
stable user, a session carrying its attributes, a fresh timestamp, an apiEndpoint and apiAccessToken) and sent
to the skill, in-process or to a running server. A local Timers API runs on 127.0.0.1 and the skill really
calls it; when a timer goes off, its announcement is printed, and spoken with espeak-ng if asked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from coach_tools.envelopes import envelope, intent_request
from coach_tools.local_timers import Fired, LocalTimersApi
from coach_tools.nlu import Understanding
from skill.content.phrasing import heard
from skill.foundations.alexa_platform import FALLBACK_INTENT, TIMERS_PERMISSION

USER_ID = "amzn1.ask.account.SPASM-COACH-SIMULATOR"
SKILL_ID = "amzn1.ask.skill.spasm-coach-simulator"
TOKEN = "simulator-api-access-token"
YES_WORDS = {"yes", "yeah", "sure", "ok", "okay", "allow", "accept"}

Send = Callable[[dict], dict]


def in_process_sender(app) -> Send:
    client = app.test_client()

    def send(body: dict) -> dict:
        response = client.post("/alexa", data=json.dumps(body), content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"the skill answered HTTP {response.status_code}: {response.get_data(as_text=True)}")
        return response.get_json()

    return send


def url_sender(url: str, timeout: float = 10.0) -> Send:
    def send(body: dict) -> dict:
        request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"the skill answered HTTP {error.code}: {error.read()[:200]!r}") from None
        except (urllib.error.URLError, OSError) as error:
            raise RuntimeError(f"could not reach {url}: {error}") from None

    return send


def spoken(ssml: str) -> str:
    """SSML as text: pauses of a second or more shown, so the pacing can be read."""
    def pause(match: re.Match) -> str:
        ms = int(match.group(1))
        return f" (pause {ms / 1000:g}s) " if ms >= 1000 else " "

    return heard(re.sub(r'<break time="(\d+)ms"/>', pause, ssml))


@dataclass
class Chat:
    send: Send
    understanding: Understanding
    timers: LocalTimersApi
    out: Callable[[str], None] = print
    permission: Callable[[], str] = lambda: input("(yes/no) > ")
    locale: str = "en-US"
    attributes: dict = field(default_factory=dict)
    in_session: bool = False
    session_id: str = ""
    replay: str = ""  # when set, request ids follow from it, so the skill picks the same wording every run
    sent: int = 0
    user_id: str = USER_ID

    # -- one utterance
    def say(self, utterance: str) -> bool:
        """Send one utterance; True if the skill answered with a valid response."""
        launch, rest = self.understanding.invocation_split(utterance)
        if launch:
            self.in_session = False
            if not rest:
                return self._send({"type": "LaunchRequest"})
            utterance = rest
        resolved = self.understanding.resolve(utterance)
        if resolved.intent == FALLBACK_INTENT:
            hint = "; ".join(f'"{n}"' for n in self.understanding.nearest(utterance)) or "nothing close"
            self.out(f"  (heard as {FALLBACK_INTENT}; nearest samples: {hint})")
        else:
            values = resolved.slot_values()
            self.out(f"  (heard as {resolved.intent}{f' {values}' if values else ''})")
        return self._send(intent_request(resolved.intent, *resolved.slots.values()))

    def _send(self, request: dict) -> bool:
        body = self._envelope(request)
        try:
            reply = self.send(body)
        except RuntimeError as error:
            self.out(f"  [no answer] {error}")
            return False
        return self._show(reply)

    def _envelope(self, request: dict) -> dict:
        new = not self.in_session
        if new:
            self.attributes, self.session_id = {}, f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.in_session = True
        self.sent += 1
        request_id = None
        if self.replay:
            request_id = f"amzn1.echo-api.request.{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.replay}/{self.sent}')}"
        return envelope(request, user_id=self.user_id, attributes=self.attributes, new=new, session_id=self.session_id,
                        application_id=SKILL_ID, locale=self.locale, api_endpoint=self.timers.url, api_token=TOKEN,
                        consent=TOKEN in self.timers.granted_tokens, unique_ids=True, request_id=request_id)

    def _show(self, reply: dict) -> bool:
        if not isinstance(reply, dict) or "response" not in reply:
            self.out("  [no answer] the reply is not an Alexa response envelope")
            return False
        response = reply["response"]
        speech = (response.get("outputSpeech") or {}).get("ssml")
        if speech:
            self.out(f"Alexa: {spoken(speech)}")
        card = response.get("card")
        if card:
            summary = card.get("title") or ", ".join(card.get("permissions", []))
            self.out(f"  [card {card.get('type')}: {summary}]")
        self.attributes = reply.get("sessionAttributes") or {}
        if response.get("shouldEndSession") is True:
            self.in_session = False
            self.out("  [session ended]")
        for directive in response.get("directives") or []:
            if directive.get("type") == "Connections.SendRequest" and directive.get("name") == "AskFor":
                return self._ask_permission(directive)
            self.out(f"  [directive {directive.get('type')}]")
        return bool(speech or response.get("directives") or response.get("shouldEndSession") is not None)

    def _ask_permission(self, directive: dict) -> bool:
        """What a device does with AskFor: Alexa asks the user, then tells the skill the answer."""
        scope = directive.get("payload", {}).get("permissionScope")
        what = "update your timers" if scope == TIMERS_PERMISSION else f"use {scope}"
        self.out(f"Alexa: Do you give Spasm Coach permission to {what}? You can say I approve, or no.")
        status = permission_status(self.permission() or "")
        if status == "ACCEPTED" and scope == TIMERS_PERMISSION:
            self.timers.grant(TOKEN)
        self.out(f"  (permission {status.lower()})")
        return self._send({"type": "Connections.Response", "name": "AskFor", "token": directive.get("token", ""),
                           "status": {"code": "200", "message": "OK"},
                           "payload": {"status": status, "permissionScope": scope, "isCardThrown": False}})

    # -- timers
    def wait_for_timers(self, limit_seconds: float = 300) -> None:
        """Stay until every local timer has gone off (bounded), so a script can hear its announcements."""
        deadline = time.monotonic() + limit_seconds
        while self.timers.timers and time.monotonic() < deadline:
            time.sleep(0.05)


def permission_status(answer: str) -> str:
    """The user's reply to Alexa's permission question, as Connections.Response reports it."""
    words = set(re.findall(r"[a-z']+", answer.lower()))
    if not words:
        return "NOT_ANSWERED"
    if words & {"no", "not", "don't", "deny", "nope"}:
        return "DENIED"
    return "ACCEPTED" if words & (YES_WORDS | {"approve"}) else "NOT_ANSWERED"


def announcer(out: Callable[[str], None], speak: bool) -> Callable[[Fired], None]:
    speaker = shutil.which("espeak-ng") if speak else None
    if speak and not speaker:
        out("(--speak needs espeak-ng, which is not installed: apt-get install espeak-ng; announcements are "
            "printed only)")

    def announce(event: Fired) -> None:
        out(f"\n  [timer {event.label!r} went off] Alexa: {event.text}")
        if speaker:
            subprocess.run([speaker, event.text], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return announce


def script_lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line
