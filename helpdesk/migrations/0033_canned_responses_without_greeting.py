# A canned response is the middle of a reply: the email greets the customer and signs with the
# agent's name, so a greeting or signature stored in the text reached customers twice.

import re

from django.db import migrations, models

# A first paragraph of one short line naming the customer ("Dear {customer_name},", "Kedves
# {customer_name}!", "Dzień dobry, {customer_name},"), and a last one of at most two short lines
# ending with the agent's name ("Kind regards,\n{agent_name}", "Üdvözlettel:\n{agent_name}").
GREETING = re.compile(r"\A[^\n]{0,40}\{customer_name\}[,!]?[ \t]*\n\s*\n")
SIGNATURE = re.compile(r"\n\s*\n[^\n]{0,40}\n?[ \t]*\{agent_name\}\s*\Z")


def without_greeting_and_signature(body: str) -> str:
    text = SIGNATURE.sub("", GREETING.sub("", body))
    return text[:1].upper() + text[1:]


def strip_greetings(apps, schema_editor):
    CannedResponse = apps.get_model("helpdesk", "CannedResponse")
    for response in CannedResponse.objects.only("pk", "body"):
        body = without_greeting_and_signature(response.body)
        if body != response.body:
            CannedResponse.objects.filter(pk=response.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0032_faq_search_word_forms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cannedresponse",
            name="body",
            field=models.TextField(
                help_text=(
                    "Placeholders: {customer_name}, {reference}, {expected_time}, {agent_name}. "
                    "No greeting and no signature: the email to the customer adds them."
                ),
                verbose_name="text",
            ),
        ),
        migrations.RunPython(strip_greetings, migrations.RunPython.noop),
    ]
