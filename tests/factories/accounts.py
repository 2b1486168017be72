from datetime import timedelta

import factory
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.accounts.models import Invitation, User
from guilde.accounts.tokens import hash_secret


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.MEMBER
    password = factory.django.Password("correct horse battery staple")


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation whose link secret is `secret` (not a model field: only its hash is stored)."""

    class Meta:
        model = Invitation
        exclude = ("secret",)

    secret = factory.Sequence(lambda n: f"invitation-secret-{n}")
    email = factory.Sequence(lambda n: f"invited{n}@outside.test")
    role = Role.MEMBER
    token_hash = factory.LazyAttribute(lambda o: hash_secret(o.secret))
    invited_by = factory.SubFactory(UserFactory, role=Role.PRODUCT_OPS)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
