"""Developer tools, never imported while serving (import-linter holds that): the conversation simulator and its
language understanding, a local Timers API, the request-envelope builder, the model lint and the ASK package
writer. ``spasm-coach chat``, ``check`` and ``package`` reach them through the command line."""
