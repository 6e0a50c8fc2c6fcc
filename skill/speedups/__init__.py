"""Code that exists only for speed. Each piece stands in for a default of ask-sdk or Flask, imports nothing of the
skill, is held to the default's answers by tests, and stays for its measured share of a turn (docs/architecture.md,
"Why the speed-ups stay")."""
