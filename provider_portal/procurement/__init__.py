"""procurement pages."""

from . import (
    bid_files,  # noqa: F401,E402  (a bid's files register on the blueprint)
    contract_actions,  # noqa: F401,E402  (a contract's extension and referral register on the blueprint)
    contract_documents,  # noqa: F401,E402  (a contract's documents register on the blueprint)
    draft_edit,  # noqa: F401,E402  (a draft tender's edit page registers on the blueprint)
    entry,  # noqa: F401,E402  (a new tender and a contract entered directly register on the blueprint)
    invoices,  # noqa: F401,E402  (the attestation queue and the attestation register on the blueprint)
    milestones,  # noqa: F401,E402  (the milestone claims and relapses register on the blueprint)
    notices,  # noqa: F401,E402  (the notice queue and the absence list register on the blueprint)
    participants,  # noqa: F401,E402  (a contract's participant list registers on the blueprint)
    providers,  # noqa: F401,E402  (the provider pages register on the blueprint)
    reports,  # noqa: F401,E402  (the report review pages register on the blueprint)
    tender_material,  # noqa: F401,E402  (a tender's material and questions register on the blueprint)
    tenders,  # noqa: F401,E402  (the tender pages register on the blueprint)
    users,  # noqa: F401,E402  (the users page registers on the blueprint)
)
