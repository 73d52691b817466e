"""Rules of the codebase that a reviewer should not have to remember."""

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def python_files(app):
    return [path for path in (PROJECT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [("helpdesk", ("crisis", "feedback")), ("crisis", ("feedback",))],
)
def test_dependencies_point_one_way(app, forbidden):
    pattern = re.compile(rf"^\s*(from|import)\s+({'|'.join(forbidden)})\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(PROJECT)) for path in python_files(app) if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_ticket_status_changes_only_inside_the_models():
    # A transition is a verb on the model that owns the state (it guards, records, saves): a
    # ticket's status, a compensation proposal's or an incident update's state.
    assignment = re.compile(r"\.(status|state)\s*=(?!=)")
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for app in ("helpdesk", "crisis", "feedback")
        for path in python_files(app)
        if "models" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if assignment.search(line)
    ]
    assert offenders == []
