"""Work done for handlers against the outside world, returning results or raising, never answering a request
itself: the Alexa Timers API client and the timers the skill manages through it."""
