"""rasa-sdk custom actions, one module per feature; thin wrappers over `knowledge/`."""

from actions.handoff import ActionRequestHuman
from actions.help import ActionShowHelp

__all__ = ["ActionRequestHuman", "ActionShowHelp"]
