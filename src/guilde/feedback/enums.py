from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackStatus(models.TextChoices):
    """Where a feedback is in its life; every change is a `StatusChange` row."""

    NEW = "new", _("New")
    PROCESSED = "processed", _("Processed")
    PLANNED = "planned", _("Planned")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")


#: Statuses a feedback can be moved to from each status through `change_status`
#: (duplicate goes through `mark_duplicate`, which needs the original).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    FeedbackStatus.NEW: frozenset(
        {FeedbackStatus.PROCESSED, FeedbackStatus.PLANNED, FeedbackStatus.RESOLVED, FeedbackStatus.DECLINED}
    ),
    FeedbackStatus.PROCESSED: frozenset(
        {FeedbackStatus.NEW, FeedbackStatus.PLANNED, FeedbackStatus.RESOLVED, FeedbackStatus.DECLINED}
    ),
    FeedbackStatus.PLANNED: frozenset({FeedbackStatus.PROCESSED, FeedbackStatus.RESOLVED, FeedbackStatus.DECLINED}),
    FeedbackStatus.RESOLVED: frozenset({FeedbackStatus.PROCESSED, FeedbackStatus.PLANNED}),
    FeedbackStatus.DECLINED: frozenset({FeedbackStatus.NEW, FeedbackStatus.PROCESSED}),
    FeedbackStatus.DUPLICATE: frozenset({FeedbackStatus.NEW}),
}

#: Statuses that end the feedback's journey: the submitter is told, the loop is closed.
CLOSING_STATUSES = frozenset({FeedbackStatus.RESOLVED, FeedbackStatus.DECLINED})
#: Statuses still waiting for product (the backlog the processing SLA applies to).
OPEN_STATUSES = frozenset({FeedbackStatus.NEW})


class SourceChannel(models.TextChoices):
    SALES_CALL = "sales_call", _("Sales call")
    SUPPORT_TICKET = "support_ticket", _("Support ticket")
    CS_REVIEW = "cs_review", _("Customer success review")
    CHURN_INTERVIEW = "churn_interview", _("Churn interview")
    USER_RESEARCH = "user_research", _("User research")
    INTERNAL = "internal", _("Internal")


class Impact(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class OpportunityStatus(models.TextChoices):
    """An opportunity is a candidate until it is put in a roadmap column."""

    CANDIDATE = "candidate", _("Candidate")
    NOW = "now", _("Now")
    NEXT = "next", _("Next")
    LATER = "later", _("Later")
    SHIPPED = "shipped", _("Shipped")


ROADMAP_COLUMNS = (OpportunityStatus.NOW, OpportunityStatus.NEXT, OpportunityStatus.LATER, OpportunityStatus.SHIPPED)


class CriterionKind(models.TextChoices):
    """Which automatic check computes a rubric criterion from the feedback's fields."""

    PROBLEM_NOT_SOLUTION = "problem_not_solution", _("States the problem, not a solution")
    NAMES_CUSTOMER_AND_SEGMENT = "names_customer_and_segment", _("Names the customer and segment")
    HAS_EVIDENCE = "has_evidence", _("Has evidence (quote, ticket, recording)")
    SAYS_IMPACT = "says_impact", _("Says the impact")
    HAS_PRODUCT_AREA = "has_product_area", _("Names the product area")
    DETAILED_PROBLEM = "detailed_problem", _("Describes the problem in enough detail")


class RequiredField(models.TextChoices):
    """Fields the useful-feedback policy may require at submission."""

    TITLE = "title", _("Title")
    PROBLEM = "problem", _("Problem")
    EVIDENCE = "evidence", _("Evidence")
    ACCOUNT = "account", _("Customer account")
    CONTACT_NAME = "contact_name", _("Contact")
    IMPACT = "impact", _("Impact")
    PRODUCT_AREA = "product_area", _("Product area")
    SOURCE = "source", _("Source")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Validating")
    INVALID = "invalid", _("Has errors")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportPreset(models.TextChoices):
    GUILDE = "guilde", _("Guilde CSV")
    ZENDESK = "zendesk", _("Zendesk export")
    INTERCOM = "intercom", _("Intercom export")
    SALESFORCE = "salesforce", _("Salesforce-style export")
