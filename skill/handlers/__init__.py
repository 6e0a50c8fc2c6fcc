"""The handlers in dispatch order. The first that can handle a request wins, so this list is the priority."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from skill.flows import Flow
from skill.handlers import builtin, events, launch, navigation, timers, treatment
from skill.handlers.base import Deps
from skill.handlers.errors import ApologyHandler


def flows(content) -> list[Flow]:
    return [treatment.TreatmentFlow(content)]


def request_handlers(deps: Deps) -> list[AbstractRequestHandler]:
    questions = {**treatment.QUESTIONS, **timers.QUESTIONS}
    return [
        # Not the user speaking.
        events.SkillDisabledHandler(),
        events.SessionEndedHandler(),
        events.CanFulfillHandler(),
        timers.PermissionResponseHandler(deps),
        # Answers to the question that is waiting, then moves in the active flow.
        builtin.AnswerHandler(deps, questions),
        navigation.FlowNavigationHandler(deps),
        navigation.PauseHandler(deps),
        navigation.BookmarkHandler(deps),
        # Features.
        launch.LaunchHandler(deps),
        treatment.TreatmentIntentHandler(deps),
        treatment.SpasmOnsetHandler(deps),
        timers.StartTimerHandler(deps),
        timers.AlternateHandler(deps),
        timers.TimerStatusHandler(deps),
        timers.CancelTimerHandler(deps),
        timers.CancelAllTimersHandler(deps),
        timers.PauseTimerHandler(deps),
        timers.ResumeTimerHandler(deps),
        # Built-ins, when nothing more specific applied.
        navigation.NoFlowHandler(deps),
        builtin.UnexpectedAnswerHandler(deps),
        builtin.HelpHandler(deps),
        builtin.RepeatQuestionHandler(deps),
        builtin.StopHandler(deps),
        builtin.FallbackHandler(deps),
        builtin.UnknownIntentHandler(deps),
        events.QuietHandler(),
    ]


def exception_handlers(deps: Deps) -> list[AbstractExceptionHandler]:
    return [ApologyHandler(deps)]
