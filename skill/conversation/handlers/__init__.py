"""The handlers in dispatch order. The first that can handle a request wins, so this list is the priority."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from skill.conversation.dialogue.questions import YesNoQuestion, question_registry
from skill.conversation.dialogue.registry import Registry
from skill.conversation.handlers import (
    builtin,
    events,
    exercises,
    faq,
    launch,
    navigation,
    permission,
    privacy,
    safety,
    screen,
    selfcheck,
    timer_changes,
    timers,
    treatment,
)
from skill.conversation.handlers.base import Deps
from skill.conversation.handlers.errors import ApologyHandler
from skill.conversation.names import HOME

# What the safety screen carries on with once it passes, by the name kept in its offer.
AFTER_SCREEN = {treatment.AFTER_SCREEN: treatment.after_screen, selfcheck.AFTER_SCREEN: selfcheck.habits}
# Every yes/no question any feature asks; a name used twice stops the start.
QUESTIONS: Registry[YesNoQuestion] = question_registry(
    treatment.QUESTIONS, timers.QUESTIONS, timer_changes.QUESTIONS, selfcheck.QUESTIONS, privacy.QUESTIONS,
    exercises.QUESTIONS, safety.QUESTIONS, screen.Screen(AFTER_SCREEN).questions())


def contexts(deps: Deps) -> tuple[str, ...]:
    """Every "where the user is" that help and hints must cover: home, each pending question, each flow."""
    return (HOME, *QUESTIONS, timer_changes.TIMER_WHICH, *deps.flows.names)


def request_handlers(deps: Deps) -> list[AbstractRequestHandler]:
    return [
        # Not the user speaking.
        events.SkillDisabledHandler(),
        events.SessionEndedHandler(),
        events.ExceptionEncounteredHandler(),
        events.CanFulfillHandler(),
        builtin.OtherLanguageHandler(deps),
        permission.PermissionResponseHandler(deps),
        # A red flag, or pain during a movement, is answered at once, whatever else was going on; said to the
        # screen's risk question, a sign a doctor should see soon is answered and the screen goes on.
        screen.RiskAnswerHandler(deps, AFTER_SCREEN),
        safety.RedFlagHandler(deps),
        safety.WeightChangeHandler(deps),
        exercises.PainHandler(deps),
        # Answers to the question that is waiting, then moves in the active flow.
        builtin.AnswerHandler(deps, QUESTIONS),
        timer_changes.WhichTimerHandler(deps),
        builtin.WaitHandler(deps),
        builtin.ExplainHandler(deps),
        builtin.GoOnHandler(deps),
        navigation.FlowNavigationHandler(deps),
        navigation.PauseHandler(deps),
        navigation.BookmarkHandler(deps),
        navigation.WhereWasIHandler(deps),
        navigation.SkipHandler(deps, QUESTIONS),
        navigation.FeelingHandler(deps),
        # Features.
        launch.LaunchHandler(deps),
        treatment.TreatmentIntentHandler(deps),
        treatment.SpasmOnsetHandler(deps),
        selfcheck.SelfCheckHandler(deps),
        exercises.ExerciseHandler(deps),
        exercises.ListExercisesHandler(deps),
        exercises.RoutineHandler(deps),
        exercises.SelfMassageHandler(deps),
        exercises.FloorHandler(deps),
        exercises.RepsHandler(deps),
        timers.StartTimerHandler(deps),
        timers.AlternateHandler(deps),
        timer_changes.TimerStatusHandler(deps),
        timer_changes.CancelTimerHandler(deps),
        timer_changes.CancelAllTimersHandler(deps),
        timer_changes.PauseTimerHandler(deps, otherwise=navigation.not_started),
        timer_changes.ResumeTimerHandler(deps, otherwise=navigation.carry_on_from_the_start),
        timer_changes.AdjustTimerHandler(deps),
        faq.FaqHandler(deps),
        privacy.ForgetMeHandler(deps),
        # Built-ins, when nothing more specific applied.
        navigation.NoFlowHandler(deps),
        builtin.UnexpectedAnswerHandler(deps),
        builtin.HelpHandler(deps),
        builtin.RepeatQuestionHandler(deps),
        builtin.StopHandler(deps),
        builtin.FallbackHandler(deps, QUESTIONS),
        builtin.UnknownIntentHandler(deps, QUESTIONS),
        events.QuietHandler(),
    ]


def exception_handlers(deps: Deps) -> list[AbstractExceptionHandler]:
    return [ApologyHandler(deps)]
