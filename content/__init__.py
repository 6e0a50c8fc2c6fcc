"""Makes this folder the package skill.bundled.content, so the YAML ships inside the wheel (see pyproject.toml)."""
