"""Conversation state: one small versioned shape for the session, one for what outlives it.

Session state says where the user is right now (the active flow and the yes/no question waiting for an
answer). User state is persisted and holds only what the user needs next time: that the notice was heard and a
bookmark into content. Never symptoms or answers: Alexa policy forbids skills to collect health information.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

SESSION_VERSION = 1
_REQUEST_KEY = "spasm_coach.state"


@dataclass(frozen=True)
class Cursor:
    """A position in a flow: which flow, which variant of it (a plan id), which item (0-based)."""

    flow: str
    variant: str
    index: int

    def moved(self, index: int) -> Cursor:
        return replace(self, index=index)

    def to_attributes(self) -> dict:
        return {"flow": self.flow, "variant": self.variant, "index": self.index}

    @classmethod
    def parse(cls, raw: Any) -> Cursor | None:
        if not isinstance(raw, dict):
            return None
        flow, variant, index = raw.get("flow"), raw.get("variant"), raw.get("index")
        if isinstance(flow, str) and isinstance(variant, str) and isinstance(index, int) and index >= 0:
            return cls(flow, variant, index)
        return None


@dataclass
class SessionState:
    cursor: Cursor | None = None
    pending: str | None = None  # the question a yes or no would answer
    offer: dict | None = None  # what that question offers, e.g. {"kind": "ice", "duration": "PT15M"}
    # Self-check answers by question id. Session only, never persisted or logged: health information.
    answers: dict[str, str] = field(default_factory=dict)
    misses: int = 0  # turns in a row the skill did not understand
    # Safety checks passed this session (names.SCREENED, names.MOVING_OK): asked again in the next one, never stored.
    checks: list[str] = field(default_factory=list)
    # Which variant each wording with several last said, by speech key: the next time it says the next one.
    said: dict[str, int] = field(default_factory=dict)
    _missed_now: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def parse(cls, raw: Any) -> SessionState:
        if not isinstance(raw, dict) or raw.get("v") != SESSION_VERSION:
            return cls()  # an unknown or older shape: start clean rather than misread it
        pending, offer, answers = raw.get("pending"), raw.get("offer"), raw.get("answers")
        answers = {k: v for k, v in answers.items() if isinstance(v, str)} if isinstance(answers, dict) else {}
        misses, checks, said = raw.get("misses"), raw.get("checks"), raw.get("said")
        checks = [c for c in checks if isinstance(c, str)] if isinstance(checks, list) else []
        return cls(Cursor.parse(raw.get("cursor")), pending if isinstance(pending, str) else None,
                   offer if isinstance(offer, dict) else None, answers,
                   misses if isinstance(misses, int) and 0 <= misses < 100 else 0, checks,
                   {k: v for k, v in said.items() if isinstance(k, str) and isinstance(v, int) and 0 <= v < 100}
                   if isinstance(said, dict) and len(said) < 200 else {})

    def missed(self) -> int:
        """Count a turn the skill did not understand; returns how many in a row, this one included."""
        if not self._missed_now:
            self._missed_now = True
            self.misses += 1
        return self.misses

    def passed(self, check: str) -> bool:
        return check in self.checks

    def pass_check(self, check: str) -> None:
        if check not in self.checks:
            self.checks.append(check)

    def ask(self, question: str | None, offer: dict | None = None) -> None:
        self.pending, self.offer = question, offer

    def leave_flow(self) -> None:
        """No flow active and no question waiting: the conversation is over or starts afresh."""
        self.cursor = None
        self.ask(None)

    def to_attributes(self) -> dict:
        # A turn that was understood ends a run of misunderstandings.
        misses = self.misses if self._missed_now else 0
        return {"v": SESSION_VERSION, "cursor": self.cursor.to_attributes() if self.cursor else None,
                "pending": self.pending, "offer": self.offer, "answers": self.answers, "misses": misses,
                "checks": self.checks, "said": self.said}


@dataclass
class UserState:
    notice_heard: bool = False
    bookmark: Cursor | None = None
    cautions_heard: bool = False  # the cold and heat safety line, said once with the first timer
    # When a session last passed the safety screen (to the minute): within a day, a one-line re-screen. Not health
    # information: it says a screen was answered, never what was said, as a red flag ends the session unscreened.
    screened_at: str | None = None

    @classmethod
    def parse(cls, raw: Any) -> UserState:
        if not isinstance(raw, dict):
            return cls()
        at = raw.get("screened_at")
        return cls(bool(raw.get("notice_heard")), Cursor.parse(raw.get("bookmark")), bool(raw.get("cautions_heard")),
                   at if isinstance(at, str) and len(at) < 40 else None)

    def to_attributes(self) -> dict:
        """Only what differs from a new user, so a user who has changed nothing has nothing to store, and the
        persistence adapter's diff against what it loaded is the one record of what changed."""
        attributes: dict[str, Any] = {}
        if self.notice_heard:
            attributes["notice_heard"] = True
        if self.bookmark:
            attributes["bookmark"] = self.bookmark.to_attributes()
        if self.cautions_heard:
            attributes["cautions_heard"] = True
        if self.screened_at:
            attributes["screened_at"] = self.screened_at
        return attributes


@dataclass
class State:
    """Both states for one request. User state is read from the database only if a handler asks for it."""

    session: SessionState
    _handler_input: HandlerInput = field(repr=False)
    _user: UserState | None = None

    @classmethod
    def of(cls, handler_input: HandlerInput) -> State:
        attributes = handler_input.attributes_manager.request_attributes
        if _REQUEST_KEY not in attributes:
            raw = handler_input.attributes_manager.session_attributes if \
                handler_input.request_envelope.session else {}
            attributes[_REQUEST_KEY] = cls(SessionState.parse(raw), handler_input)
        return attributes[_REQUEST_KEY]

    @classmethod
    def existing(cls, handler_input: HandlerInput) -> State | None:
        return handler_input.attributes_manager.request_attributes.get(_REQUEST_KEY)

    @property
    def user(self) -> UserState:
        if self._user is None:
            self._user = UserState.parse(self._handler_input.attributes_manager.persistent_attributes)
        return self._user

    def update_user(self, **changes: Any) -> None:
        self._user = replace(self.user, **changes)

    def forget(self) -> None:
        """Erase everything stored about the user now; nothing of this turn is written back."""
        self._handler_input.attributes_manager.delete_persistent_attributes()
        self._user = None

    def save(self) -> None:
        """Write user state to the database, if this turn read it, and then session state into the response.

        In that order, so a turn lands whole or not at all: when the save fails, the session still holds what the
        turn started with, and the apology carries that back, so the user's next "next" skips nothing."""
        manager = self._handler_input.attributes_manager
        if self._user is not None:
            stored = manager.persistent_attributes
            # Update in place: the adapter diffs against what it loaded, writes nothing when nothing changed, and
            # writes only the changed attributes otherwise, so concurrent writers merge.
            stored.clear()
            stored.update(self._user.to_attributes())
            manager.save_persistent_attributes()
        if self._handler_input.request_envelope.session is not None:
            manager.session_attributes = self.session.to_attributes()
