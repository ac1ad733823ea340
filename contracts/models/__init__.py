"""The domain's models, on one declarative base with a constraint naming convention."""

from .attachments import BidAttachment, ContractDocument
from .base import Base, utcnow
from .benchmark import BenchmarkImport
from .contract import Amendment, Contract
from .files import StoredFile
from .invoices import Invoice, InvoiceLine
from .milestones import ContractMilestone, MilestoneClaim, Relapse
from .notices import Notice
from .notifications import Notification, NotificationOptOut
from .numbering import InvoiceApproval, InvoiceNumberCounter  # noqa: F401
from .participants import Enrolment, Participant
from .parties import Programme, Provider
from .people import (
    ROLES,
    ApiToken,
    AuditEvent,
    Invitation,
    ReadMark,
    RecoveryCode,
    SamlAssertion,
    User,
)
from .procurement import Bid, Lot, Tender, tender_predecessor
from .report_follow_ups import ReportFollowUp
from .reports import MonthlyReport, ReportLine
from .scores import Score
from .sessions import LoginSession
from .tender_material import DeadlineMove, TenderDocument, TenderDocumentVersion, TenderQuestion

__all__ = [
    "ROLES",
    "Amendment",
    "ApiToken",
    "AuditEvent",
    "Base",
    "BenchmarkImport",
    "Bid",
    "BidAttachment",
    "Contract",
    "ContractDocument",
    "ContractMilestone",
    "DeadlineMove",
    "Enrolment",
    "Invoice",
    "Invitation",
    "InvoiceLine",
    "LoginSession",
    "MilestoneClaim",
    "Lot",
    "MonthlyReport",
    "Notice",
    "Notification",
    "NotificationOptOut",
    "Participant",
    "Programme",
    "Provider",
    "ReadMark",
    "RecoveryCode",
    "Relapse",
    "ReportFollowUp",
    "ReportLine",
    "SamlAssertion",
    "Score",
    "StoredFile",
    "Tender",
    "TenderDocument",
    "TenderDocumentVersion",
    "TenderQuestion",
    "User",
    "tender_predecessor",
    "utcnow",
]
