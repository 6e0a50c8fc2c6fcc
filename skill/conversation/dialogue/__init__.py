"""The conversation's shapes, apart from the handlers that answer requests: the walk-through mechanism
(``flows``), the walk-throughs themselves (treatment, exercises and self-massage, the self-check), and the
registry of yes/no questions."""

from __future__ import annotations

from skill.content import Content
from skill.conversation.dialogue.exercises import ExerciseFlow, MassageFlow
from skill.conversation.dialogue.flows import Flow, Flows
from skill.conversation.dialogue.selfcheck import SelfCheckFlow
from skill.conversation.dialogue.treatment import TreatmentFlow


def walkthroughs(content: Content) -> Flows:
    flows: list[Flow] = [TreatmentFlow(content), SelfCheckFlow(content), ExerciseFlow(content), MassageFlow(content)]
    return Flows(flows)
