"""The skill's clients of the outside world: the Alexa Timers API (and the timers the skill keeps there) and the
database. Each returns results or raises; none answers a request."""
