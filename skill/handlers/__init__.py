"""The handlers in dispatch order. The first that can handle a request wins, so this list is the priority."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from skill.flows import Flow
from skill.handlers import builtin, events, exercises, launch, navigation, safety, selfcheck, timers, treatment
from skill.handlers.base import HOME, Deps
from skill.handlers.errors import ApologyHandler


def flows(content) -> list[Flow]:
    return [treatment.TreatmentFlow(content), selfcheck.SelfCheckFlow(content), exercises.ExerciseFlow(content),
            exercises.MassageFlow(content)]


QUESTIONS = {**treatment.QUESTIONS, **timers.QUESTIONS, **selfcheck.QUESTIONS}


def contexts(content) -> set[str]:
    """Every "where the user is" that help and hints must cover: home, each flow, each pending question."""
    return {HOME, *(flow.name for flow in flows(content)), *QUESTIONS}


def request_handlers(deps: Deps) -> list[AbstractRequestHandler]:
    questions = QUESTIONS
    return [
        # Not the user speaking.
        events.SkillDisabledHandler(),
        events.SessionEndedHandler(),
        events.CanFulfillHandler(),
        timers.PermissionResponseHandler(deps),
        # A red flag, or pain during a movement, is answered at once, whatever else was going on.
        safety.RedFlagHandler(deps),
        exercises.PainHandler(deps),
        # Answers to the question that is waiting, then moves in the active flow.
        builtin.AnswerHandler(deps, questions),
        selfcheck.SelfCheckAnswerHandler(deps),
        navigation.FlowNavigationHandler(deps),
        navigation.PauseHandler(deps),
        navigation.BookmarkHandler(deps),
        # Features.
        launch.LaunchHandler(deps),
        treatment.TreatmentIntentHandler(deps),
        treatment.SpasmOnsetHandler(deps),
        selfcheck.SelfCheckHandler(deps),
        exercises.ExerciseHandler(deps),
        exercises.ListExercisesHandler(deps),
        exercises.RoutineHandler(deps),
        exercises.SelfMassageHandler(deps),
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
