"""rasa-sdk custom actions, one module per feature; thin wrappers over `knowledge/`."""

from __future__ import annotations

from rasa_sdk import Action

from actions.centers import ActionAskPlace, ActionFindCenter, ValidateCenterForm
from actions.deps import ActionDeps
from actions.eligibility import ActionAnswerEligibility, ActionAskProgram, ValidateEligibilityForm
from actions.handoff import ActionRequestHuman
from actions.help import ActionShowHelp
from actions.inform import ActionAcknowledgeFacts
from actions.programs import ActionProgramInfo, ActionSuggestPrograms


def build_actions(deps: ActionDeps) -> list[Action]:
    """Every action the domain lists, with its dependencies injected."""
    return [
        ActionShowHelp(),
        ActionRequestHuman(),
        ActionSuggestPrograms(deps),
        ActionProgramInfo(deps),
        ValidateEligibilityForm(deps),
        ActionAskProgram(deps),
        ActionAnswerEligibility(deps),
        ValidateCenterForm(deps),
        ActionAskPlace(deps),
        ActionFindCenter(deps),
        ActionAcknowledgeFacts(deps),
    ]
