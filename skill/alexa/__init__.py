"""The Alexa adapter: the ask-sdk skill built from the conversation, every check made before it serves, and the
envelopes ask-sdk cannot read as they come."""
