"""The queue, end to end in a real browser: a customer sees their place in line, an agent takes
them, answers with a canned response, writes a summary and the next step; the customer sees it
all, confirms the summary, leaves the line, and the customer behind moves up by one."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devtools.demo.canned_responses import seed_canned_responses
from helpdesk.models import Ticket

pytestmark = pytest.mark.browser


def submit_request(page, *, name, email, subject):
    page.goto("/tickets/new/")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Tell us what happened").fill("The router restarts every twenty minutes since Monday.")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("link", name="See the status of your request").click()


@pytest.mark.long
def test_a_customer_is_served_in_turn_and_the_next_one_moves_up(new_page, agent, queue):
    seed_canned_responses()
    first_customer = new_page()
    second_customer = new_page()
    agent_page = new_page()

    submit_request(first_customer, name="Emma Clarke", email="emma@example.com", subject="Router restarts")
    expect(first_customer.get_by_test_id("position")).to_contain_text("Your place in line: 1")
    submit_request(second_customer, name="Piotr Nowak", email="piotr@example.pl", subject="Slow internet")
    expect(second_customer.get_by_test_id("position")).to_contain_text("Your place in line: 2")

    agent_page.goto("/accounts/login/")
    agent_page.get_by_label("Username").fill("anna")
    agent_page.get_by_label("Password").fill("correct horse battery")
    agent_page.get_by_role("button", name="Sign in").click()
    agent_page.get_by_role("button", name="Take next").click()
    emma = Ticket.objects.get(customer__email="emma@example.com")
    expect(agent_page.get_by_role("heading", name=emma.reference)).to_be_visible()
    agent_page.wait_for_load_state("load")  # the canned-response picker's script is attached

    agent_page.get_by_label("Start from a canned response").select_option(label="Acknowledge and apologise")
    reply_box = agent_page.get_by_label("Reply to the customer")
    # No greeting of its own (the email adds it); what only the agent knows is left to fill in.
    expect(reply_box).to_have_value(re.compile(r"^Thank you for telling us about this"))
    agent_page.get_by_role("button", name="Send reply").click()
    expect(
        agent_page.get_by_text("Fill in {expected_time}, [the problem in your own words] before")
    ).to_be_visible()
    typed = reply_box.input_value()
    assert "[the problem in your own words]" in typed  # the refused reply keeps what was typed
    reply_box.fill(
        typed.replace("[the problem in your own words]", "your router restarts every twenty minutes").replace(
            "{expected_time}", "tomorrow noon"
        )
    )
    agent_page.get_by_role("button", name="Send reply").click()
    expect(agent_page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    agent_page.get_by_label("The problem, in your own words").fill(
        "Your router restarts every twenty minutes."
    )
    agent_page.get_by_role("button", name="Save and ask the customer to check").click()
    agent_page.get_by_label("What happens next").fill("A technician checks the line")
    agent_page.get_by_label("By").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    agent_page.get_by_role("button", name="Add next step").click()
    expect(agent_page.get_by_test_id("next-steps")).to_contain_text("A technician checks the line")

    first_customer.reload()
    expect(first_customer.get_by_test_id("timeline")).to_contain_text("Thank you for telling us about this")
    expect(first_customer.get_by_test_id("next-steps")).to_contain_text("A technician checks the line")
    expect(first_customer.get_by_test_id("summary")).to_contain_text(
        "Your router restarts every twenty minutes."
    )
    first_customer.get_by_role("button", name="This is right").click()
    expect(first_customer.get_by_test_id("summary-state")).to_contain_text("You confirmed this summary.")
    expect(first_customer.get_by_test_id("position")).to_have_count(0)

    second_customer.reload()
    expect(second_customer.get_by_test_id("position")).to_contain_text("Your place in line: 1")
