"""Makes this folder the package skill.bundled.interaction_model, so the models ship inside the wheel."""
