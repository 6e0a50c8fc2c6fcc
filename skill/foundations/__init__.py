"""What everything stands on: settings, log lines, the clock, Alexa's limits and outbound HTTP with one deadline."""
