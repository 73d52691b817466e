"""Managers set up branches in the admin; the demo seeds two branches once."""

import io

import pytest
from django.core.management import call_command

from helpdesk.models import Branch, BranchService, Desk, Visit

pytestmark = pytest.mark.django_db


def test_a_manager_sets_up_a_branch_with_its_lines_and_desks_in_the_admin(client, manager, branch, line_a):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)

    assert client.get("/admin/helpdesk/branch/add/").status_code == 200
    page = client.get(f"/admin/helpdesk/branch/{branch.pk}/change/")
    assert page.status_code == 200
    assert "General questions" in page.text


def test_the_demo_seeds_two_branches_with_visitors_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = [model.objects.count() for model in (Branch, BranchService, Desk, Visit)]
    call_command("seed_demo", stdout=io.StringIO())

    assert [model.objects.count() for model in (Branch, BranchService, Desk, Visit)] == counts
    assert counts[0] == 2
    assert Visit.objects.filter(state=Visit.State.WAITING).count() == counts[3] > 0
    assert set(Branch.objects.values_list("display_language", flat=True)) == {"", "pl"}
