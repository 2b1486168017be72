import factory

from guilde.accounts.enums import Role
from guilde.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.MEMBER
    password = factory.django.Password("correct horse battery staple")
