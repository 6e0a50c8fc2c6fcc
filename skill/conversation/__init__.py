"""The conversation: handlers (one per feature), the walk-throughs and questions, speech and state."""
