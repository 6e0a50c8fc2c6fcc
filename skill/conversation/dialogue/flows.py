"""The shared walk-through: a flow is a list of items and a cursor kept in session state.

Next, Previous, Repeat, Start over, Pause and Resume act on whichever flow is active, so every feature that
reads something step by step (the treatment plan, exercises, self-massage, the self-check) gets the same
navigation by registering a :class:`Flow`. The cursor is also kept as the user's bookmark, so leaving and coming
back can offer to resume. A bookmark outlives the session, so it keeps only what says nothing about the user's
health: a flow whose variant was picked by a health answer keeps its step without the variant (see
:meth:`Flow.kept`) and asks again on the way back (:meth:`Flow.place`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.registry import Registry
from skill.conversation.speech import Line, Speaker
from skill.conversation.state import Cursor, State

PAUSE_MS = 400


@dataclass(frozen=True)
class Offer:
    """A yes/no question an item ends with instead of "say next" (a timer offered at the cold step)."""

    question: str
    data: dict
    line: Line


class Flow(ABC):
    """One kind of walk-through. ``variant`` picks which list (a plan id, an exercise id)."""

    name: str
    resumable = True  # whether leaving keeps a bookmark to come back to
    goodbye = keys.GOODBYE_PLAIN  # what stopping says, for a flow that keeps no bookmark
    # Whether the variant answers a health question (the plan says when the spasm began): such a bookmark keeps
    # no variant and asks the question again when picked up.
    variant_tells_health = False

    @abstractmethod
    def length(self, variant: str) -> int: ...

    @abstractmethod
    def title(self, variant: str, index: int) -> str: ...

    @abstractmethod
    def item(self, say: Speaker, variant: str, index: int) -> Line:
        """The words of one item, without its heading."""

    def heading(self, say: Speaker, variant: str, index: int) -> Line:
        """What announces an item: "Next, a cold pack." The first item needs none, and no item says "step 3 of
        14": the count is noise to a listener, and help says it when asked."""
        return say(keys.FLOW_NEXT, title=self.title(variant, index)) if index else Line()

    def offer(self, say: Speaker, variant: str, index: int) -> Offer | None:
        """What this item offers, if anything; "next" still moves on without taking it."""
        return None

    def finish(self, say: Speaker, state: State, variant: str) -> Line | None:
        """What moving past the last item says; None for the generic "that was every step"."""
        return None

    @abstractmethod
    def variants(self) -> tuple[str, ...]:
        """Every variant this flow can run."""

    def has(self, variant: str) -> bool:
        return self.length(variant) > 0

    def gentlest(self, cursor: Cursor) -> Cursor:
        """Where to come back to after a movement hurt: its gentlest step (this flow's first)."""
        return cursor.moved(0)

    def kept(self, cursor: Cursor) -> Cursor:
        """What a bookmark stores of ``cursor``. When the variant tells health, the variant is left out and the step
        held to the places every variant can keep (its last keeps none), so no stored step points to one plan."""
        if not self.variant_tells_health:
            return cursor
        return Cursor(cursor.flow, "", min(cursor.index, self.unplaced_steps() - 1))

    def unplaced_steps(self) -> int:
        """How many steps a bookmark without a variant can point to: those every variant can keep."""
        return min(self.length(variant) for variant in self.variants()) - 1 if self.variant_tells_health else 0

    def place(self, say: Speaker, index: int | None) -> Offer | None:
        """The question that picks the variant again for a bookmark kept without one, carrying the step
        (``{"index": ...}``, None to start over); None for a flow whose bookmarks keep their variant."""
        return None


class Flows:
    """The registry of flows and the moves that work on any of them."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows = Registry("flow", ((flow.name, flow) for flow in flows))

    def get(self, name: str) -> Flow | None:
        return self._flows.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._flows)

    def valid(self, cursor: Cursor | None) -> bool:
        flow = self.get(cursor.flow) if cursor else None
        return bool(flow and flow.has(cursor.variant) and cursor.index < flow.length(cursor.variant))

    def can_pick_up(self, bookmark: Cursor | None) -> bool:
        """Whether a stored bookmark still points into content: with its variant, or without one where the flow
        keeps it so."""
        if bookmark is None or bookmark.variant:
            return self.valid(bookmark)
        flow = self.get(bookmark.flow)
        return bool(flow and bookmark.index < flow.unplaced_steps())

    def keep(self, state: State, cursor: Cursor | None) -> None:
        """The one place a bookmark is set: what the flow may keep of ``cursor``, or none (None, or a flow that
        keeps no bookmark)."""
        flow = self.get(cursor.flow) if cursor else None
        if flow and not flow.resumable:
            return
        state.update_user(bookmark=flow.kept(cursor) if flow else None)

    def active(self, state: State) -> Cursor | None:
        cursor = state.session.cursor
        return cursor if self.valid(cursor) else None

    def _own_offer(self, say: Speaker, state: State) -> Offer | None:
        cursor = self.active(state)
        offer = self._flows[cursor.flow].offer(say, cursor.variant, cursor.index) if cursor else None
        return offer if offer and (offer.question, offer.data) == (state.session.pending, state.session.offer) else None

    def asking_own_offer(self, say: Speaker, state: State) -> bool:
        """Whether the question waiting is the one the current item ended with (so repeating the item re-asks it)."""
        return self._own_offer(say, state) is not None

    def own_offer_plainly(self, say: Speaker, state: State) -> Line | None:
        """The question the current item ended with, in its reprompt's plainer words, if that is what waits."""
        offer = self._own_offer(say, state)
        reprompt = offer.line.reprompt if offer else None
        return Line(reprompt, reprompt) if reprompt else None

    def position(self, cursor: Cursor) -> dict[str, object]:
        """Values for speech about where the user is: number, total, next, title."""
        flow = self._flows[cursor.flow]
        total = flow.length(cursor.variant)
        return {"number": cursor.index + 1, "total": total, "next": min(cursor.index + 2, total),
                "title": flow.title(cursor.variant, cursor.index)}

    # -- moves: each sets the cursor, keeps the bookmark in step and returns what to say
    def start(self, say: Speaker, state: State, flow: str, variant: str) -> Line:
        return self._show(say, state, Cursor(flow, variant, 0))

    def go_to(self, say: Speaker, state: State, cursor: Cursor) -> Line:
        """Any item, announced as the flow announces it."""
        return self._show(say, state, cursor)

    def resume(self, say: Speaker, state: State, cursor: Cursor) -> Line:
        return self._show(say, state, cursor, heading=say(keys.FLOW_RESUMED, title=self.position(cursor)["title"]))

    def next(self, say: Speaker, state: State) -> Line:
        cursor = self.active(state)
        flow = self._flows[cursor.flow]
        if cursor.index + 1 >= flow.length(cursor.variant):
            ending = flow.finish(say, state, cursor.variant)
            if ending is not None:
                state.session.leave_flow()
                return ending
            return say(keys.FLOW_ENDED)
        return self._show(say, state, cursor.moved(cursor.index + 1))

    def previous(self, say: Speaker, state: State) -> Line:
        cursor = self.active(state)
        if cursor.index == 0:
            return say(keys.FLOW_AT_FIRST) + self._show(say, state, cursor)
        return self._show(say, state, cursor.moved(cursor.index - 1))

    def repeat(self, say: Speaker, state: State) -> Line:
        return self._show(say, state, self.active(state))

    def start_over(self, say: Speaker, state: State) -> Line:
        return self._show(say, state, self.active(state).moved(0))

    def _show(self, say: Speaker, state: State, cursor: Cursor, heading: Line | None = None) -> Line:
        flow = self._flows[cursor.flow]
        state.session.cursor = cursor
        # The bookmark points at the step to come back to; a finished flow leaves none behind.
        if flow.resumable:
            self.keep(state, None if self._last(cursor) else cursor)
        line, offer = self.compose(say, cursor, heading)
        state.session.ask(offer.question, offer.data) if offer else state.session.ask(None)
        return line

    def compose(self, say: Speaker, cursor: Cursor, heading: Line | None = None) -> tuple[Line, Offer | None]:
        """One item as it is said: heading (the flow's own unless given), words, then its question or the cue to
        say next."""
        flow = self._flows[cursor.flow]
        offer = flow.offer(say, cursor.variant, cursor.index)
        if offer:
            ending = offer.line
        else:
            ending = say(keys.FLOW_LAST) if self._last(cursor) else say(keys.FLOW_CONTINUE, **self.position(cursor))
        heading = heading or flow.heading(say, cursor.variant, cursor.index)
        # A breath after the heading and before the cue lets someone lying down take the step in.
        heading = heading.pause(PAUSE_MS) if heading.speech else heading
        return heading + flow.item(say, cursor.variant, cursor.index).pause(PAUSE_MS) + ending, offer

    def every_item(self) -> list[Cursor]:
        """A cursor on every item of every variant of every flow, for checking what each one says."""
        return [Cursor(flow.name, variant, index) for flow in self._flows.values()
                for variant in flow.variants() for index in range(flow.length(variant))]

    def _last(self, cursor: Cursor) -> bool:
        return cursor.index + 1 >= self._flows[cursor.flow].length(cursor.variant)
