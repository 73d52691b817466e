import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from helpdesk.models import Queue, SlaTarget
from helpdesk.models.routing import DEFAULT_SLA


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Staff"
    email = factory.LazyAttribute(lambda user: f"{user.username}@helpdesk.example")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


def queue_with_default_sla(**fields) -> Queue:
    """A queue with the default SLA targets (normal: 8 business hours to answer)."""
    queue = Queue.objects.create(**fields)
    SlaTarget.objects.bulk_create(
        SlaTarget(queue=queue, priority=priority, first_response=first, resolution=resolution)
        for priority, (first, resolution) in DEFAULT_SLA.items()
    )
    return queue
