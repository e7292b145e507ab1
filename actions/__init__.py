"""rasa-sdk custom actions, one module per feature; thin wrappers over `knowledge/`."""

from __future__ import annotations

from rasa_sdk import Action

from actions.benefit_questions import ask_actions as benefit_ask_actions
from actions.booking import (
    ActionAskBookingSummary,
    ActionAskCenter,
    ActionBookAppointment,
    ActionStartBooking,
    ValidateBookingForm,
)
from actions.centers import ActionAskPlace, ActionFindCenter, ValidateCenterForm
from actions.deps import ActionDeps
from actions.eligibility import ActionAnswerEligibility, ActionAskProgram, ValidateEligibilityForm
from actions.handoff import ActionRequestHuman
from actions.help import ActionShowHelp
from actions.inform import ActionAcknowledgeFacts
from actions.job_fairs import (
    ActionAskAlertRegions,
    ActionListJobFairs,
    ActionStartAlerts,
    ActionSubscribeAlerts,
    ActionUnsubscribeAlerts,
    ValidateAlertsForm,
)
from actions.my_bookings import (
    ActionAskBookingCode,
    ActionAskCancelConfirmed,
    ActionAskRescheduleConfirmed,
    ActionCancelAppointment,
    ActionCheckAppointments,
    ActionRescheduleAppointment,
    ActionStartBookingChange,
    ValidateCancelForm,
    ValidateRescheduleForm,
)
from actions.my_data import ActionDeleteMyData, ValidateDeleteDataForm
from actions.out_of_scope import ActionOutOfScope
from actions.programs import ActionProgramInfo, ActionSuggestPrograms
from actions.repair import ActionPauseForm
from actions.session import ActionSessionStart
from actions.when import ActionAskDate, ActionAskTime


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
        ActionStartBooking(),
        ValidateBookingForm(deps),
        ActionAskCenter(deps),
        ActionAskDate(deps),
        ActionAskTime(deps),
        ActionAskBookingSummary(deps),
        ActionBookAppointment(deps),
        ActionCheckAppointments(deps),
        ActionStartBookingChange(deps),
        ValidateCancelForm(deps),
        ValidateRescheduleForm(deps),
        ActionAskBookingCode(deps),
        ActionAskCancelConfirmed(deps),
        ActionAskRescheduleConfirmed(deps),
        ActionCancelAppointment(deps),
        ActionRescheduleAppointment(deps),
        ValidateDeleteDataForm(),
        ActionDeleteMyData(deps),
        ActionListJobFairs(deps),
        ActionStartAlerts(deps),
        ValidateAlertsForm(deps),
        ActionAskAlertRegions(deps),
        ActionSubscribeAlerts(deps),
        ActionUnsubscribeAlerts(deps),
        ActionPauseForm(),
        ActionSessionStart(),
        ActionOutOfScope(deps),
        *benefit_ask_actions(),
    ]
