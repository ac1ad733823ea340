"""Who may manage whom (contracts.services.user_admin), as a table: each manager, each action,
each kind of target; the answer is done, refused (403) or not found (404)."""

from __future__ import annotations

import pytest

from contracts.services import DomainError
from contracts.services.invitations import invite
from contracts.services.user_admin import check_approve, set_user_active
from tests.conftest import TEST_ACTOR


@pytest.fixture
def people(db_session, make_provider, make_user):
    own, other = make_provider(db_session), make_provider(db_session)
    found = {
        "admin": make_user(db_session, "admin@k.dk", "admin"),
        "procurement": make_user(db_session, "indkob@k.dk", "procurement"),
        "finance": make_user(db_session, "okonomi@k.dk", "finance"),
        "provider": make_user(db_session, "bruger@own.dk", "provider", own.id),
        "provider_admin": make_user(db_session, "admin@own.dk", "provider", own.id),
        "colleague": make_user(db_session, "kollega@own.dk", "provider", own.id),
        "other_provider": make_user(db_session, "bruger@other.dk", "provider", other.id),
    }
    found["provider_admin"].manages_users = True
    db_session.flush()
    return found, own.id, other.id


def _outcome(action) -> int:
    try:
        action()
    except DomainError as refusal:
        return refusal.status
    return 200


INVITES = [
    # manager, role, provider ("own", "other", None), expected
    ("admin", "procurement", None, 200),
    ("admin", "finance", None, 200),
    ("admin", "admin", None, 200),
    ("admin", "provider", "own", 403),
    ("procurement", "provider", "own", 200),
    ("procurement", "provider", "other", 200),
    ("procurement", "finance", None, 403),
    ("provider_admin", "provider", "own", 200),
    ("provider_admin", "provider", "other", 404),
    ("provider_admin", "procurement", None, 403),
    ("provider", "provider", "own", 403),
    ("finance", "provider", "own", 403),
    ("finance", "finance", None, 403),
]


@pytest.mark.parametrize(("manager", "role", "provider", "expected"), INVITES)
def test_who_may_invite_whom(db_session, people, manager, role, provider, expected):
    users, own, other = people
    provider_id = {"own": own, "other": other, None: None}[provider]
    outcome = _outcome(
        lambda: invite(db_session, TEST_ACTOR, users[manager], "ny@x.dk", role, provider_id)
    )
    assert outcome == expected


ACTIVITY = [
    # manager, target, expected
    ("admin", "procurement", 200),
    ("admin", "colleague", 200),
    ("admin", "admin", 403),  # not itself
    ("procurement", "colleague", 200),
    ("procurement", "other_provider", 200),
    ("procurement", "finance", 403),
    ("provider_admin", "colleague", 200),
    ("provider_admin", "other_provider", 404),  # never revealing that it exists
    ("provider_admin", "finance", 404),
    ("provider_admin", "provider_admin", 403),
    ("provider", "colleague", 403),
    ("finance", "colleague", 403),
]


@pytest.mark.parametrize(("manager", "target", "expected"), ACTIVITY)
@pytest.mark.parametrize("active", [False, True])
def test_who_may_deactivate_and_reactivate_whom(
    db_session, people, manager, target, expected, active
):
    users, _own, _other = people
    target_id = users[target].id
    outcome = _outcome(
        lambda: set_user_active(db_session, TEST_ACTOR, users[manager], target_id, active)
    )
    assert outcome == expected


def test_an_unknown_user_is_not_found_for_every_manager(db_session, people):
    users, _own, _other = people
    for manager in ("admin", "procurement", "provider_admin"):
        assert (
            _outcome(
                lambda m=manager: set_user_active(db_session, TEST_ACTOR, users[m], 999_999, False)
            )
            == 404
        )


@pytest.mark.parametrize(
    ("approver", "expected"),
    [("procurement", 200), ("admin", 403), ("finance", 403), ("provider_admin", 403)],
)
def test_only_procurement_approves_staff(db_session, people, approver, expected):
    users, _own, _other = people
    pending = invite(db_session, TEST_ACTOR, users["admin"], "ny@k.dk", "finance").user
    assert pending.awaiting_approval and not pending.is_active
    assert _outcome(lambda: check_approve(users[approver], pending)) == expected


def test_the_inviter_never_approves_their_own_invitation(db_session, people):
    users, _own, _other = people
    pending = invite(db_session, TEST_ACTOR, users["admin"], "ny@k.dk", "procurement").user
    pending.invited_by_id = users["procurement"].id  # as if procurement had invited it
    assert _outcome(lambda: check_approve(users["procurement"], pending)) == 403
