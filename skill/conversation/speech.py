"""Speech: the one SSML builder, and the one place that turns content into what Alexa says.

Handlers never write SSML or spoken literals: they ask a :class:`Speaker` for a content key and get a
:class:`Line` (speech, optional reprompt and card), which they can join with ``+``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from skill.content import Content, SpeechItem
from skill.content.phrasing import SAID_AS, shown
from skill.foundations.alexa_platform import MAX_BREAK_MS, MAX_SSML_CHARS


class SpeechError(ValueError):
    """Speech the platform would refuse, or a content key rendered without its placeholders."""


@dataclass(frozen=True)
class Speech:
    """Text and pauses, kept apart until rendered so escaping and limits are applied in one place."""

    parts: tuple[str | int, ...] = ()  # str: text to say; int: a pause in milliseconds

    @classmethod
    def of(cls, text: str) -> Speech:
        return cls((text,)) if text else cls()

    def pause(self, milliseconds: int) -> Speech:
        return Speech((*self.parts, int(milliseconds)))

    def __add__(self, other: Speech) -> Speech:
        return Speech(self.parts + other.parts)

    def counted(self, numbers: range, gap_ms: int, then: str) -> Speech:
        """Counting aloud at a steady pace: a pause, a number, a pause, the next... then the closing words."""
        speech = self
        for number in numbers:
            speech = speech.pause(gap_ms) + Speech.of(str(number))
        return speech.pause(gap_ms) + Speech.of(then)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def ssml(self) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, int):
                remaining = max(part, 0)
                while remaining > 0:
                    chunk = min(remaining, MAX_BREAK_MS)
                    out.append(f'<break time="{chunk}ms"/>')
                    remaining -= chunk
            else:
                if out and not out[-1].endswith(("/>", " ")):
                    out.append(" ")
                out.append(_said_as_sub(escape(part)))
        ssml = "<speak>" + "".join(out).strip() + "</speak>"
        if len(ssml) >= MAX_SSML_CHARS:
            raise SpeechError(f"speech is {len(ssml)} characters; Alexa accepts fewer than {MAX_SSML_CHARS}")
        return ssml

    def plain(self) -> str:
        """For cards and logs: text only, pauses dropped, no markup, numbers as digits."""
        return " ".join(shown(p) for p in self.parts if isinstance(p, str))


def _said_as_sub(text: str) -> str:
    """Words said one way and shown another (see ``phrasing.SAID_AS``) as SSML: heard as the alias."""
    return SAID_AS.sub(lambda match: f'<sub alias="{match.group(2).replace(chr(34), "&quot;")}">{match.group(1)}</sub>',
                       text)


@dataclass(frozen=True)
class Line:
    """One turn's worth of output: what to say, what to say if the user stays silent, and an optional card."""

    speech: Speech = Speech()
    reprompt: Speech = Speech()
    card: tuple[str, str] | None = None

    def pause(self, milliseconds: int) -> Line:
        return Line(self.speech.pause(milliseconds), self.reprompt, self.card)

    def __add__(self, other: Line) -> Line:
        # The later part decides the reprompt: it is the question the user is left with.
        return Line(self.speech + other.speech, other.reprompt or self.reprompt, other.card or self.card)


class Speaker:
    """Renders content keys for one request. A wording with variants says the one after the variant it said last
    in this session (``said``, kept in session state), so the same closing is never said twice in a row; the
    first time, the variant the request id picks, so replays match."""

    def __init__(self, content: Content, seed: str = "", said: dict[str, int] | None = None) -> None:
        self._content = content
        self._seed = zlib.crc32(seed.encode("utf-8"))
        self._said = said if said is not None else {}

    def item(self, key: str) -> SpeechItem:
        try:
            return self._content.speech[key]
        except KeyError:
            raise SpeechError(f"no speech item {key!r} in content") from None

    def __call__(self, key: str, **values: object) -> Line:
        item = self.item(key)
        missing = item.placeholders - set(values)
        if missing:
            raise SpeechError(f"speech item {key!r} needs {sorted(missing)}")
        turn = self._next(key, len(item.variants))
        say = item.variants[turn % len(item.variants)].format_map(values)
        reprompt = item.reprompts[turn % len(item.reprompts)].format_map(values) if item.reprompts else ""
        card = (item.card_title, say) if item.card_title else None
        return Line(Speech.of(say), Speech.of(reprompt), card)

    def text(self, text: str, reprompt: str = "") -> Line:
        """Content that is not a speech item (a treatment step's words), already validated at load."""
        return Line(Speech.of(text), Speech.of(reprompt))

    def _next(self, key: str, count: int) -> int:
        if count < 2:
            return 0
        last = self._said.get(key)
        self._said[key] = chosen = self._seed % count if last is None else (last + 1) % count
        return chosen

