"""Forms of the feedback pages: validation only, the services decide."""

from __future__ import annotations

from guilde.feedback.forms.base import BLANK, BootstrapFormMixin, ListField, VersionedForm
from guilde.feedback.forms.importing import IMPORT_FIELD_LABELS, ImportMappingForm, ImportUploadForm
from guilde.feedback.forms.intake import DuplicateForm, FeedbackForm, LinkForm, StatusForm, SupportForm
from guilde.feedback.forms.kpis import KpiPeriodForm
from guilde.feedback.forms.opportunities import OpportunityEditForm, OpportunityForm, RoadmapStatusForm, ShipForm
from guilde.feedback.forms.setup import AreaForm, CriterionForm, PolicyForm, SegmentForm
from guilde.feedback.forms.triage import BULK_ACTIONS, BulkForm, InboxFilterForm, SavedViewForm

__all__ = [
    "BLANK",
    "BULK_ACTIONS",
    "IMPORT_FIELD_LABELS",
    "AreaForm",
    "BootstrapFormMixin",
    "BulkForm",
    "CriterionForm",
    "DuplicateForm",
    "FeedbackForm",
    "ImportMappingForm",
    "ImportUploadForm",
    "InboxFilterForm",
    "KpiPeriodForm",
    "LinkForm",
    "ListField",
    "OpportunityEditForm",
    "OpportunityForm",
    "PolicyForm",
    "RoadmapStatusForm",
    "SavedViewForm",
    "SegmentForm",
    "ShipForm",
    "StatusForm",
    "SupportForm",
    "VersionedForm",
]
