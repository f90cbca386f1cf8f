"""Two moderators pressing their buttons at the same instant: one decision, one petition."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import make_staff
from tests.proposals.helpers import make_proposal
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Petition
from undersigned.proposals import services
from undersigned.proposals.models import Proposal
from undersigned.proposals.states import IllegalTransition, ProposalState


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_leave_exactly_one(organisation):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    moderators = [make_staff(organisation, Role.MODERATOR) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(index: int) -> None:
        mine = Proposal.objects.select_related("organisation").get(pk=proposal.pk)
        try:
            barrier.wait(timeout=10)
            if index == 0:
                services.publish_proposal(mine, acting_user=moderators[0])
            else:
                services.reject_proposal(mine, "duplicate", acting_user=moderators[1])
            outcomes.append("decided")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["decided", "refused"]
    stored = Proposal.objects.get()
    assert stored.state in {ProposalState.PUBLISHED, ProposalState.REJECTED}
    assert Petition.objects.count() == (1 if stored.state == ProposalState.PUBLISHED else 0)
