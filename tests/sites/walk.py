"""Seed the demo on the site DJANGO_SETTINGS_MODULE names, then open its pages as each persona.

Run by tests/test_site_layout.py in a process of its own (a site's apps are fixed when Django
starts). Prints one JSON object: each page opened and its status, and every link of the menus.
"""

import json
import re

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from helpdesk.models import Ticket  # noqa: E402
from tests import word_forms_index  # noqa: E402

word_forms_index.install()

CUSTOMER_PAGES = ["/", "/tickets/new/", "/status/", "/faq/", "/contact/", "/chat/", "/accounts/login/"]
MENU_LINK = re.compile(r'class="(?:nav-link|dropdown-item)" href="(/[^"#]*)"')


def main():
    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("seed_demo", verbosity=0)
    ticket = Ticket.objects.order_by("pk").first()
    pages, menus = {}, {}
    client = Client()
    for url in [*CUSTOMER_PAGES, f"/status/{ticket.draw_status_link()}/"]:
        pages[url] = client.get(url).status_code
    for username in ("agent", "manager"):
        client.force_login(get_user_model().objects.get(username=username))
        home = client.get("/agent/")
        menus[username] = MENU_LINK.findall(home.text)
        for url in [*menus[username], f"/agent/tickets/{ticket.reference}/"]:
            pages[f"{username} {url}"] = client.get(url).status_code
    print(json.dumps({"pages": pages, "menus": menus}))


main()
