"""Transfer checklists: the decision table, check templates, the assessment and its
recommendation, each checklist's life from start to outcome, and the lists looking back.

Each part lives in its own module; this package gives them one name, so
``from ptdesk.services import transfers as tr`` reaches every public function.
"""

from ptdesk.models import TransferType
from ptdesk.models.transfers import CONDITIONS
from ptdesk.services.transfers.assessment import (
    CONDITION_ADVICE,
    CONDITION_WORDS,
    PROFILE_FIELDS,
    Assessment,
    PatientBrief,
    Recommendation,
    assessment_from_patient,
    conditions_from_precautions,
    is_less_supported,
    patient_brief,
    profile_changes,
    recommend,
    save_assessment_to_profile,
    validate_assessment,
)
from ptdesk.services.transfers.checklists import (
    ChecklistData,
    ItemData,
    abort_checklist,
    complete_checklist,
    get_checklist,
    patient_of_appointment,
    plan_checklist,
    set_check,
    start_checklist,
)
from ptdesk.services.transfers.decision_table import (
    DEFAULT_BARIATRIC_BMI,
    METHOD_EQUIPMENT,
    METHOD_NEEDS,
    METHOD_STAFF,
    all_inputs,
    bariatric_threshold,
    decision_table,
    default_method,
    ensure_defaults,
    reset_decision_table,
    set_bariatric_threshold,
    set_decision,
)
from ptdesk.services.transfers.default_checks import APPLIES_WHEN, PHASES, default_template
from ptdesk.services.transfers.history import (
    count_by_status,
    list_checklists,
    local_time,
    todays_checklists,
)
from ptdesk.services.transfers.pickers import Choice, patient_choices, staff_choices
from ptdesk.services.transfers.templates import (
    TemplateItemData,
    add_template_item,
    delete_template_item,
    list_template,
    move_template_item,
    reset_template,
    update_template_item,
)

__all__ = [
    "APPLIES_WHEN",
    "CONDITIONS",
    "CONDITION_ADVICE",
    "CONDITION_WORDS",
    "DEFAULT_BARIATRIC_BMI",
    "METHOD_EQUIPMENT",
    "METHOD_NEEDS",
    "METHOD_STAFF",
    "PHASES",
    "PROFILE_FIELDS",
    "Assessment",
    "ChecklistData",
    "Choice",
    "ItemData",
    "PatientBrief",
    "Recommendation",
    "TemplateItemData",
    "TransferType",
    "abort_checklist",
    "add_template_item",
    "all_inputs",
    "assessment_from_patient",
    "bariatric_threshold",
    "complete_checklist",
    "conditions_from_precautions",
    "count_by_status",
    "decision_table",
    "default_method",
    "default_template",
    "delete_template_item",
    "ensure_defaults",
    "get_checklist",
    "is_less_supported",
    "list_checklists",
    "list_template",
    "local_time",
    "move_template_item",
    "patient_brief",
    "patient_choices",
    "patient_of_appointment",
    "plan_checklist",
    "profile_changes",
    "recommend",
    "reset_decision_table",
    "reset_template",
    "save_assessment_to_profile",
    "set_bariatric_threshold",
    "set_check",
    "set_decision",
    "staff_choices",
    "start_checklist",
    "todays_checklists",
    "update_template_item",
    "validate_assessment",
]
