"""Feedback's tables, one module per concept, every name re-exported here.

`catalogue` (product areas, segments, customer accounts), `policy` (the useful-feedback rubric
and the policy), `opportunities` (opportunities and their links to feedback), `feedback` (feedback,
supporters, status history), `workspace` (saved views, import jobs), `kpis` (the pre-aggregated
KPI tables), `search` (the full-text index declaration).

Import from `guilde.feedback.models`: the modules are how the code is cut, not an API.
"""

from guilde.feedback.models.catalogue import (
    CustomerAccount,
    ProductArea,
    Segment,
    # Migration 0001 names it `guilde.feedback.models._Bilingual` (a base of ProductArea and Segment).
    _Bilingual,
)
from guilde.feedback.models.feedback import Feedback, FeedbackSupporter, StatusChange
from guilde.feedback.models.kpis import KpiLeadTime, KpiStat
from guilde.feedback.models.opportunities import FeedbackOpportunity, Opportunity
from guilde.feedback.models.policy import DEFAULT_REQUIRED_FIELDS, FeedbackPolicy, QualityCriterion
from guilde.feedback.models.search import FEEDBACK_SEARCH_INDEX
from guilde.feedback.models.workspace import ImportJob, SavedView

__all__ = [
    "DEFAULT_REQUIRED_FIELDS",
    "FEEDBACK_SEARCH_INDEX",
    "CustomerAccount",
    "Feedback",
    "FeedbackOpportunity",
    "FeedbackPolicy",
    "FeedbackSupporter",
    "ImportJob",
    "KpiLeadTime",
    "KpiStat",
    "Opportunity",
    "ProductArea",
    "QualityCriterion",
    "SavedView",
    "Segment",
    "StatusChange",
    "_Bilingual",
]
