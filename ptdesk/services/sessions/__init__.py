"""Session records: record what was done in a visit, sign or co-sign it, add addenda.

Who may do what, enforced here by the acting staff member's role:

- technicians and aides record what was done and what the patient reported; they never write
  an assessment or a plan, and their records wait for a therapist's co-sign;
- therapists (PT) and assistants (PTA) sign their own records and co-sign technicians' records,
  adding an assessment;
- the owner signs and co-signs only when licensed (credentials such as "PT, DPT" or "PTA"):
  a clinic owner is often a therapist, but not always, and a co-sign is a clinical signature;
- a signed record is locked: a later change is an addendum with who and when.

The modules: ``values`` (the plain values), ``signers`` (who may sign), ``reading`` (a record
and the lists), ``checking`` (the form's checks), ``writing`` (save, sign, co-sign, addenda)
Every name stays importable from here (the printable summary is made by services/documents.py).
"""

from __future__ import annotations

from ptdesk.services.sessions.checking import _in_range, _text, check_vitals, clean_input
from ptdesk.services.sessions.reading import (
    _appointment,
    _default_supervisor,
    _detail,
    _list_query,
    _name,
    _record_of,
    _rows,
    awaiting_cosign,
    get_record,
    list_records,
    new_input,
    patient_records,
    prescribed_words,
    record_for_appointment,
    visits_to_record,
)
from ptdesk.services.sessions.signers import (
    _check_supervisor,
    _require_signer,
    _staff_can_sign,
    can_sign,
    is_licensed,
    needs_cosign,
    signers,
)
from ptdesk.services.sessions.values import (
    ENTITY,
    LICENCES,
    MAX_TEXT,
    RECORDABLE,
    AddendumInfo,
    ExerciseEntry,
    InterventionEntry,
    RecordDetail,
    RecordLocked,
    RecordRow,
    SessionInput,
    SignerInfo,
    VisitRow,
)
from ptdesk.services.sessions.writing import (
    _apply_and_write,
    _apply_fields,
    _snapshot,
    _write_lines,
    add_addendum,
    cosign,
    save_record,
)

__all__ = [
    "ENTITY",
    "LICENCES",
    "MAX_TEXT",
    "RECORDABLE",
    "AddendumInfo",
    "ExerciseEntry",
    "InterventionEntry",
    "RecordDetail",
    "RecordLocked",
    "RecordRow",
    "SessionInput",
    "SignerInfo",
    "VisitRow",
    "_appointment",
    "_apply_and_write",
    "_apply_fields",
    "_check_supervisor",
    "_default_supervisor",
    "_detail",
    "_in_range",
    "_list_query",
    "_name",
    "_record_of",
    "_require_signer",
    "_rows",
    "_snapshot",
    "_staff_can_sign",
    "_text",
    "_write_lines",
    "add_addendum",
    "awaiting_cosign",
    "can_sign",
    "check_vitals",
    "clean_input",
    "cosign",
    "get_record",
    "is_licensed",
    "list_records",
    "needs_cosign",
    "new_input",
    "patient_records",
    "prescribed_words",
    "record_for_appointment",
    "save_record",
    "signers",
    "visits_to_record",
]
