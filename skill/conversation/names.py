"""The conversation's vocabulary: every name the code routes by, in one place. Values are what session state keeps
and what Alexa sends, so a value never changes once released; the name says which kind of thing it is.

- Walk-throughs (a ``Cursor``'s flow) and their variants.
- Questions waiting for a yes or no (the session's ``pending``), each said by its own speech. ``HOME`` is where no
  question waits and no walk-through runs.
- Checks a session has passed (the session's ``checks``): this session only, never stored.
- Answers, as the ids of the model's Answer slot type, and onsets, of its SpasmOnset slot type.
- Intents the code routes by, as the interaction model names them.
"""

# Walk-throughs and their variants
TREATMENT = "treatment"  # the treatment plan; its variants are the plans in content/treatment.yaml
EXERCISE, MASSAGE, ROUTINE = "exercise", "massage", "routine"
UPRIGHT = "routine_upright"  # the routine without the exercises done lying on the back, for pregnancy
SELFCHECK, STANDARD = "selfcheck", "standard"

# Questions waiting for an answer
HOME = "home"
START_OFFER = "start_offer"  # "would you like the treatment steps?"
RESUME_OFFER = "resume"  # "shall we carry on from where you left off?"
ONSET = "onset"  # "did it start in the last two days?", which picks the plan
LONG_ONSET = "long_onset"  # "it's been weeks: see a doctor or physical therapist too. Shall we start?"
TIMER_OFFER, SELFCHECK_OFFER = "timer_offer", "selfcheck_offer"  # offered by a step of the plan
PLAN_MORE = "plan_more"  # "that's the main thing for today; want a little more?"
SELFCHECK_ANSWER = "selfcheck_answer"  # waiting while a self-check question is asked
SCREEN_EMERGENCY = "screen_emergency"  # the nerves: bottom or genitals, bladder or bowels, both legs (999)
SCREEN_EMERGENCY_MORE = "screen_emergency_more"  # chest pain, belly pain or feeling faint, a serious accident (999)
SCREEN_URGENT = "screen_urgent"  # a fall or knock, a high temperature, pain worse at night (the same day)
SCREEN_RISK = "screen_risk"  # who is at higher risk: cancer, long-term steroids, osteoporosis, pregnancy
RISK_WHICH = "risk_which"  # after a yes to the risk question: which one?
RESCREEN = "rescreen"  # back within a day: anything new since last time?
SCREEN_GO_ON = "screen_go_on"  # after "I don't know" to a screen question: carry on?
SETTLED = "settled"  # has the sharpest pain settled enough for gentle movement?
WEIGHT_WITHOUT_TRYING = "weight_without_trying"  # "I've lost weight": without trying? (only that is a sign)
NEAREST = "nearest_exercise"  # "I don't coach knee hugs, but the bird dog is close. Shall we do that?"
TIMER_SWITCH = "timer_switch"  # "cancel the ice and start the heat?"
HEAT_EARLY = "timer_heat_early"  # heat asked for in the first two days, or not knowing when it began: ice instead?
TIMER_WHICH = "timer_which"  # "which one, ice or heat?", answered by a kind alone
ROUND_REST = "round_rest"  # a phase of the round cancelled: "shall I cancel the rest of the round too?"
FORGET = "forget"  # "shall I delete everything I've stored for you?"

# Checks passed this session
SCREENED = "screen"  # the safety screen
MOVING_OK = "moving_ok"  # the sharpest pain has settled: movement may be coached
PREGNANCY = "pregnancy"  # said to be pregnant: coaching adapts for the rest of the session

# Answers and onsets, as the model's slot ids
YES, NO, SOMETIMES, UNSURE = "YES", "NO", "SOMETIMES", "UNSURE"
RECENT, EARLIER, LONG = "RECENT", "EARLIER", "LONG"

# Intents the code routes by
YES_INTENT, NO_INTENT = "AMAZON.YesIntent", "AMAZON.NoIntent"
UNSURE_INTENT, SOMETIMES_INTENT = "UnsureIntent", "SometimesIntent"
NEXT_INTENT, PREVIOUS_INTENT, REPEAT_INTENT = "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent"
START_OVER_INTENT, PAUSE_INTENT, RESUME_INTENT = "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent"
FLAG_INTENT = "RedFlagIntent"
# Asked for without the skill's name ("Alexa, how do I treat a back spasm"), Alexa may offer these to Spasm Coach
# (CanFulfillIntentRequest): coaching and timers, never a warning sign, whose answer must not wait on a skill
# chosen for it.
NAME_FREE_INTENTS = frozenset({"TreatmentIntent", "ExerciseIntent", "RoutineIntent", "SelfMassageIntent",
                               "StartTimerIntent", "WhatIsSpasmIntent"})
