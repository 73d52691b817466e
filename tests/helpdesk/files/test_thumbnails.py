"""Pictures show as thumbnails in the timelines, made by the worker after the file is stored;
until then (and for every other file) the timeline shows the file's name."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from helpdesk import tasks, thumbnails
from helpdesk.models import Attachment
from tests.helpdesk.files.conftest import PDF, incoming, picture


def test_a_stored_picture_asks_the_worker_for_its_thumbnail_after_commit(
    make_ticket, django_capture_on_commit_callbacks, monkeypatch
):
    asked = []
    monkeypatch.setattr(thumbnails, "enqueue", asked.append)

    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(attachments=[incoming("meter.jpg", picture(kind="JPEG")), incoming("bill.pdf", PDF)])

    assert asked == [Attachment.objects.get(filename="meter.jpg").pk]


def test_the_timeline_shows_the_name_until_the_thumbnail_exists_then_the_picture(client, agent, make_ticket):
    ticket = make_ticket(attachments=[incoming("meter.png", picture((1600, 900)))])
    attachment = Attachment.objects.get()
    client.force_login(agent)
    workspace, status = f"/agent/tickets/{ticket.reference}/", f"/status/{ticket.status_token}/"
    assert 'data-testid="thumbnail"' not in client.get(workspace).text
    assert 'data-testid="thumbnail"' not in client.get(status).text

    tasks.make_thumbnail(attachment.pk)

    assert f'src="/agent/files/{attachment.pk}/thumbnail/"' in client.get(workspace).text
    assert f'src="/status/{ticket.status_token}/files/{attachment.pk}/thumbnail/"' in client.get(status).text
    response = client.get(f"/agent/files/{attachment.pk}/thumbnail/")
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as small:
        assert small.size == (480, 270)


def test_making_a_thumbnail_twice_makes_one(make_ticket, media):
    make_ticket(attachments=[incoming("logo.png", picture())])
    attachment = Attachment.objects.get()

    first = tasks.make_thumbnail(attachment.pk)
    second = tasks.make_thumbnail(attachment.pk)

    attachment.refresh_from_db()
    assert attachment.thumbnail.name == first
    assert second == "nothing to do"
    assert len(list((media / "thumbnails").rglob("*.*"))) == 1


def test_a_picture_pillow_cannot_read_keeps_its_link(make_ticket):
    make_ticket(attachments=[incoming("broken.png", picture())])
    attachment = Attachment.objects.get()
    attachment.file.save("broken.png", ContentFile(picture()[:40]))

    assert tasks.make_thumbnail(attachment.pk) == "not readable"
    attachment.refresh_from_db()
    assert not attachment.thumbnail


def test_no_thumbnail_for_a_pdf_or_a_file_that_is_gone(make_ticket):
    make_ticket(attachments=[incoming("bill.pdf", PDF)])

    assert tasks.make_thumbnail(Attachment.objects.get().pk) == "nothing to do"
    assert tasks.make_thumbnail(999999) == "nothing to do"


def test_a_picture_whose_task_never_ran_gets_its_thumbnail_from_the_scan(
    client, agent, make_ticket, time_machine
):
    """The worker was down when the pictures arrived: their tasks were never run."""
    time_machine.move_to("2026-03-16 10:00 +01:00", tick=False)
    ticket = make_ticket(
        attachments=[
            incoming("meter.png", picture((1600, 900))),
            incoming("broken.png", picture()),
            incoming("bill.pdf", PDF),
        ]
    )
    broken = Attachment.objects.get(filename="broken.png")
    broken.file.save("broken.png", ContentFile(picture()[:40]))
    meter = Attachment.objects.get(filename="meter.png")

    time_machine.move_to("2026-03-16 10:01 +01:00", tick=False)
    assert tasks.make_missing_thumbnails() == "0 thumbnail(s) made"  # the task may still be on its way

    time_machine.move_to("2026-03-16 10:06 +01:00", tick=False)
    assert tasks.make_missing_thumbnails() == "1 thumbnail(s) made"

    meter.refresh_from_db()
    assert meter.thumbnail
    client.force_login(agent)
    assert (
        f'src="/agent/files/{meter.pk}/thumbnail/"' in client.get(f"/agent/tickets/{ticket.reference}/").text
    )
    broken.refresh_from_db()
    assert broken.thumbnail_unreadable  # tried once, then left as a link
    assert tasks.make_missing_thumbnails() == "0 thumbnail(s) made"


def test_the_scan_of_missing_thumbnails_is_scheduled_by_a_migration(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="make missing thumbnails")
    assert schedule.func == "helpdesk.tasks.make_missing_thumbnails"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)


def test_pictures_removed_under_the_retention_policy_do_not_hold_up_the_scan(
    agent, make_ticket, time_machine
):
    """A removed picture keeps its row without a file; the scan, taking a batch at a time, must
    pass over it to the picture whose task never ran."""
    time_machine.move_to("2026-03-16 10:00 +01:00", tick=False)
    old = make_ticket(attachments=[incoming("old.png", picture())])
    old.resolve(by=agent)
    Attachment.objects.get(filename="old.png").remove_file()
    make_ticket(attachments=[incoming("new.png", picture())])

    time_machine.move_to("2026-03-16 10:06 +01:00", tick=False)
    assert thumbnails.make_missing_thumbnails(timezone.now(), batch=1) == 1

    assert Attachment.objects.get(filename="new.png").thumbnail
