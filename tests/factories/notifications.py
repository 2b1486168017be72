import factory

from guilde.notifications.enums import Verb
from guilde.notifications.models import Notification
from tests.factories.accounts import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    actor = None
    verb = Verb.GENERIC
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = ""
    url = "/"
