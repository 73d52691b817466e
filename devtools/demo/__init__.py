"""Demo data for `seed_demo`: the helpdesk's own, then each installed optional app's.

Every seeder takes agent= and manager=, is safe to run again and returns its counts.
"""

from importlib import import_module

from django.apps import apps

from devtools.demo import helpdesk

# Crisis: an incident with its briefing and compensation; feedback: survey answers and a lesson.
OPTIONAL_SEEDERS = {"crisis": "devtools.demo.crisis", "feedback": "devtools.demo.feedback"}


def seed(*, agent, manager) -> dict[str, int]:
    counts = helpdesk.seed(agent=agent, manager=manager)
    for app, module in OPTIONAL_SEEDERS.items():
        if apps.is_installed(app):
            counts.update(import_module(module).seed(agent=agent, manager=manager))
    return counts
